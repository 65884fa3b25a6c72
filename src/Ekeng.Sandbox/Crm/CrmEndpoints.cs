using System.Net;
using System.Text.Json;
using Ekeng.Sandbox.Fee;
using Ekeng.Sandbox.Hosting;
using Ekeng.Sandbox.Storage;

namespace Ekeng.Sandbox.Crm;

/// <summary>The CRM listener's routes: the card-login API, the fee, and the sandbox-only paths.</summary>
public static class CrmEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext ctx, RegistrationService reg) =>
        {
            Holder h = HolderOf(ctx);
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
        app.MapGet("/api/v1/me", (HttpContext ctx, RegistrationService reg) =>
        {
            Holder h = HolderOf(ctx);
            return Results.Json(new Dictionary<string, object?>
            {
                ["holderName"] = h.Name,
                ["publicServiceNumber"] = h.PublicServiceNumber,
                ["certificateThumbprint"] = h.Thumbprint,
                ["registration"] = reg.View(h),
            });
        });
        app.MapGet("/api/v1/terms", (Settings settings) =>
            Results.Json(new Dictionary<string, object?> { ["version"] = settings.Get("terms.version"), ["text"] = settings.Get("terms.text") }));
        app.MapGet("/api/v1/registration", (HttpContext ctx, RegistrationService reg) => Results.Json(reg.View(HolderOf(ctx))));
        app.MapPost("/api/v1/registration", async (HttpContext ctx, RegistrationService reg) =>
            await Body<RegistrationRequest>(ctx) is (true, var body) ? await reg.Register(HolderOf(ctx), body) : BadJson());
        app.MapPost("/api/v1/registration/resend", (HttpContext ctx, RegistrationService reg) => reg.Resend(HolderOf(ctx)));
        app.MapPost("/api/v1/registration/activate", async (HttpContext ctx, RegistrationService reg) =>
            await Body<ActivationRequest>(ctx) is (true, var body) ? await reg.Activate(HolderOf(ctx), body) : BadJson());

        app.MapGet("/api/v1/fee", (HttpContext ctx, FeeService fee) => fee.Fee(HolderOf(ctx)));
        app.MapPost("/api/v1/fee/orders", async (HttpContext ctx, FeeService fee) =>
            await Body<FeeOrderRequest>(ctx) is (true, var body) ? await fee.Create(HolderOf(ctx), body) : BadJson());
        app.MapGet("/api/v1/fee/orders", (HttpContext ctx, FeeService fee) => fee.List(HolderOf(ctx)));
        app.MapGet("/api/v1/fee/orders/{orderNumber}", (HttpContext ctx, string orderNumber, FeeService fee) => fee.Get(HolderOf(ctx), orderNumber));

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

    private static Holder HolderOf(HttpContext ctx) => (Holder)ctx.Items[HolderReader.HolderKey]!;

    private static async Task<(bool Ok, T? Body)> Body<T>(HttpContext ctx)
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

    private static IResult BadJson() => ApiError.Result(400, "InvalidRequest", "The body is not the expected JSON.");

    private static IResult Html(string html, int status = 200) => Results.Content(html, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
