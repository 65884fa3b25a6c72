using System.Text.Json;

namespace Ekeng.Sandbox.Tests;

/// <summary>Helpers for talking to the gateway's REST methods as the merchant.</summary>
public static class GatewayApi
{
    public static async Task<JsonElement> Call(HttpClient gateway, string method, Dictionary<string, string> form, bool credentials = true)
    {
        if (credentials)
        {
            form.TryAdd("userName", "ekeng_api");
            form.TryAdd("password", "sandbox");
        }
        using HttpResponseMessage r = await gateway.PostAsync($"/payment/rest/{method}", new FormUrlEncodedContent(form));
        r.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public static string ErrorCode(JsonElement reply) =>
        !reply.TryGetProperty("errorCode", out JsonElement e) ? "0" : e.ValueKind == JsonValueKind.Number ? e.GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture) : e.GetString()!;

    public static Dictionary<string, string> Order(string orderNumber, long amount = 300000, string? currency = "051")
    {
        var d = new Dictionary<string, string> { ["orderNumber"] = orderNumber, ["amount"] = amount.ToString(System.Globalization.CultureInfo.InvariantCulture), ["returnUrl"] = "https://127.0.0.1:1/return" };
        if (currency is not null) d["currency"] = currency;
        return d;
    }
}
