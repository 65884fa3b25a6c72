using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Ekeng.Sandbox.Hosting;

namespace Ekeng.Sandbox.Fee;

/// <summary>
/// EKENG's server-to-server client of the gateway: HTTPS to the gateway listener, trusting only the sandbox CA,
/// with the merchant credentials (which the module never sees).
/// </summary>
public sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ListenerUris _uris;
    private readonly SandboxOptions _options;

    public GatewayClient(ListenerUris uris, SandboxOptions options, TlsCertificates tls)
    {
        _uris = uris;
        _options = options;
        X509Certificate2 ca = tls.Ca;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is null) return false;
                    if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(certificate));
                },
            },
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
    }

    /// <summary>Calls a REST method; throws HttpRequestException (or a timeout) when the gateway cannot be reached.</summary>
    public async Task<JsonElement> Call(string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var all = new List<KeyValuePair<string, string>> { new("userName", _options.MerchantUser), new("password", _options.MerchantPassword) };
        all.AddRange(parameters);
        using var content = new FormUrlEncodedContent(all);
        string gatewayBase = _options.GatewayBaseForEkeng?.GetLeftPart(UriPartial.Authority) ?? _uris.Gateway;
        using HttpResponseMessage response = await _http.PostAsync($"{gatewayBase}/payment/rest/{method}", content);
        response.EnsureSuccessStatusCode();
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        using JsonDocument doc = await JsonDocument.ParseAsync(stream);
        return doc.RootElement.Clone();
    }

    /// <summary>errorCode as the manual allows it: absent, a number or a string; 0 = no system error.</summary>
    public static int ErrorCode(JsonElement reply) =>
        !reply.TryGetProperty("errorCode", out JsonElement e) ? 0
        : e.ValueKind == JsonValueKind.Number ? e.GetInt32()
        : int.TryParse(e.GetString(), out int n) ? n : 7;

    public void Dispose() => _http.Dispose();
}
