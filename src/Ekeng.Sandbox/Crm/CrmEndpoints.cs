using System.Net;
using System.Text.Json;
using Ekeng.Sandbox.Fee;
using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;

namespace Ekeng.Sandbox.Crm;

/// <summary>The CRM listener's routes: the card-login API (/api/v1, the fee's in FeeEndpoints) and the sandbox-only paths.</summary>
public static class CrmEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", (Holder h, RegistrationService reg) =>
        {
            string status = reg.View(h)["status"] as string ?? "";
            return Html($"""
                <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>EKENG customer system (sandbox)</title></head>
                <body><h1>EKENG customer system (sandbox)</h1>
                <p>Holder: <strong id="holder">{WebUtility.HtmlEncode(h.Name)}</strong></p>
                <p>ՀԾՀ (public service number): <strong id="psn">{WebUtility.HtmlEncode(h.PublicServiceNumber)}</strong></p>
                <p>Registration: <span id="status">{WebUtility.HtmlEncode(status)}</span></p>
                </body></html>
                """);
        });

        RouteGroupBuilder api = app.MapGroup("/api/v1");
        api.MapGet("/me", (Holder h, RegistrationService reg) => Results.Json(new Dictionary<string, object?>
        {
            ["holderName"] = h.Name,
            ["publicServiceNumber"] = h.PublicServiceNumber,
            ["certificateThumbprint"] = h.Thumbprint,
            ["registration"] = reg.View(h),
        }));
        api.MapGet("/terms", (Settings settings) =>
            Results.Json(new Dictionary<string, object?> { ["version"] = settings.Get("terms.version"), ["text"] = settings.Get("terms.text") }));

        RouteGroupBuilder registration = api.MapGroup("/registration");
        registration.MapGet("", (Holder h, RegistrationService reg) => Results.Json(reg.View(h)));
        registration.MapPost("", async (HttpContext ctx, Holder h, RegistrationService reg) =>
            await Body<RegistrationRequest>(ctx) is (true, var body) ? await reg.Register(h, body) : BadJson());
        registration.MapPost("/resend", (Holder h, RegistrationService reg) => reg.Resend(h));
        registration.MapPost("/activate", async (HttpContext ctx, Holder h, RegistrationService reg) =>
            await Body<ActivationRequest>(ctx) is (true, var body) ? await reg.Activate(h, body) : BadJson());

        FeeEndpoints.Map(api.MapGroup("/fee"));

        // Sandbox-only: no client certificate (loopback).
        app.MapGet("/sandbox/health", (ListenerUris uris) => Results.Json(new Dictionary<string, object?> { ["crm"] = uris.Crm, ["gateway"] = uris.Gateway }));
        app.MapGet("/sandbox/sms", (string? phone, SmsOutbox outbox) =>
            string.IsNullOrWhiteSpace(phone)
                ? ApiError.Result(400, "InvalidPhone", "?phone=<E.164> is required.")
                : Results.Json(outbox.List(MobileNumbers.NormaliseAny(phone))));
        app.MapGet("/sandbox/logins", (LoginLog logins) => Results.Json(logins.List()));
        app.MapGet("/sandbox/gateway/orders", (Gateway.GatewayService gw) => Results.Json(gw.List()));
        app.MapGet("/sandbox/payment/return", async (string? orderId, FeeService fee) =>
        {
            FeeOrderRow? o = await fee.ForReturn(orderId);
            if (o is null) return Html(ReturnPage("Unknown order.", "unknown"), 404);
            string text = o.Status switch
            {
                "Paid" => $"Payment received: you may close this page. Order {o.OrderNumber}, {o.Amount} {o.Currency}, approval code {o.ApprovalCode}.",
                "Pending" => $"The payment of order {o.OrderNumber} is not finished yet.",
                _ => $"Payment not completed ({o.Status}): {o.ActionDescription ?? "no reason given"} (actionCode {o.ActionCode}).",
            };
            return Html(ReturnPage(text, o.Status));
        });
    }

    private static string ReturnPage(string text, string status) => $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>EKENG payment (sandbox)</title></head>
        <body><h1>EKENG payment (sandbox)</h1><p id="result" data-status="{WebUtility.HtmlEncode(status)}">{WebUtility.HtmlEncode(text)}</p></body></html>
        """;

    /// <summary>The JSON body (null when empty), or not Ok when it is not the expected JSON.</summary>
    public static async Task<(bool Ok, T? Body)> Body<T>(HttpContext ctx)
    {
        if (ctx.Request.ContentLength == 0) return (true, default);
        try
        {
            return (true, await ctx.Request.ReadFromJsonAsync<T>());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return (false, default);
        }
    }

    public static IResult BadJson() => ApiError.Result(400, "InvalidRequest", "The body is not the expected JSON.");

    private static IResult Html(string html, int status = 200) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
