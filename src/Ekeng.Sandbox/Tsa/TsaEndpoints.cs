namespace Ekeng.Sandbox.Tsa;

/// <summary>POST /tsa (application/timestamp-query → application/timestamp-reply), RFC 3161 §3.4; requests over 64 KiB are refused.</summary>
public static class TsaEndpoints
{
    public static void Map(WebApplication app, TimestampAuthority authority)
    {
        app.MapPost("/tsa", async (HttpContext ctx) =>
        {
            if (!string.Equals(ctx.Request.ContentType, "application/timestamp-query", StringComparison.OrdinalIgnoreCase))
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            using var body = new MemoryStream();
            byte[] buffer = new byte[8192];
            int read;
            while ((read = await ctx.Request.Body.ReadAsync(buffer)) > 0)
            {
                body.Write(buffer, 0, read);
                if (body.Length > 65536)
                {
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                }
            }

            return Results.Bytes(authority.Respond(body.ToArray()), "application/timestamp-reply");
        });
        app.MapGet("/tsa/certificate", () => Results.Text(authority.Certificate.ExportCertificatePem() + "\n", "application/x-pem-file"));
    }
}
