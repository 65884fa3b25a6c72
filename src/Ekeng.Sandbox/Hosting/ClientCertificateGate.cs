using System.Security.Cryptography.X509Certificates;
using Ekeng.Sandbox.Crm;
using Ekeng.Sandbox.Storage;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// Every CRM path outside /sandbox/ and the contract document needs a client certificate, valid now, chaining to one of the --client-ca
/// certificates (custom root trust, no revocation check); otherwise 403 with the contract's reason.
/// Accepted logins are recorded and the holder is put on the request.
/// </summary>
public sealed class ClientCertificateGate(RequestDelegate next, TrustedClientCas cas, LoginLog logins, TimeProvider clock)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/sandbox") || context.Request.Path.Equals(ContractDocument.Path, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }
        X509Certificate2? certificate = context.Connection.ClientCertificate ?? await context.Connection.GetClientCertificateAsync();
        if (certificate is null)
        {
            await ApiError.Write(context, 403, "ClientCertificateRequired", "This service needs the ID card's authentication certificate (TLS client certificate).");
            return;
        }
        DateTime now = clock.GetUtcNow().UtcDateTime;
        if (certificate.NotAfter.ToUniversalTime() < now || certificate.NotBefore.ToUniversalTime() > now)
        {
            await ApiError.Write(context, 403, "ClientCertificateExpired",
                $"The client certificate is not valid now (valid {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd} to {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd}).");
            return;
        }
        if (!cas.Chains(certificate, now))
        {
            await ApiError.Write(context, 403, "ClientCertificateUntrusted", $"The client certificate's issuer is not trusted here ({certificate.Issuer}).");
            return;
        }
        Holder? holder = HolderReader.Read(certificate);
        if (holder is null)
        {
            await ApiError.Write(context, 403, "ClientCertificateNoHolder", "The client certificate names no public service number (SERIALNUMBER or a 10-digit group in CN).");
            return;
        }
        context.Items[HolderReader.HolderKey] = holder;
        await logins.Record(holder.Thumbprint, holder.Subject, context.Request.Path.Value ?? "/");
        await next(context);
    }
}
