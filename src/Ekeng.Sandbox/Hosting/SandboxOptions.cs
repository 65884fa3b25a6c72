using System.Net;

namespace Ekeng.Sandbox.Hosting;

/// <summary>The command line, parsed: where to listen, where the state lives, whom to trust and the timings.</summary>
public sealed class SandboxOptions
{
    public required IReadOnlyList<IPEndPoint> CrmEndpoints { get; init; }
    public required IReadOnlyList<IPEndPoint> GatewayEndpoints { get; init; }
    public required string DataDirectory { get; init; }
    public required IReadOnlyList<string> ClientCaFiles { get; init; }
    public TimeSpan UsableDelay { get; init; } = TimeSpan.FromHours(3);
    public TimeSpan SmsLifetime { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan ResendInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>--sms-daily-limit: SMS codes one holder may be sent per UTC day (registration POSTs and resends together).</summary>
    public int SmsDailyLimit { get; init; } = 10;

    /// <summary>--test-controls: the /sandbox/test/ paths (the clock, gateway holds) that tests use instead of sleeping.</summary>
    public bool TestControls { get; init; }

    public string MerchantUser { get; init; } = "ekeng_api";
    public string MerchantPassword { get; init; } = "sandbox";

    /// <summary>--payment-session-timeout: the sessionTimeoutSecs EKENG's side gives register.do; null = not sent (the gateway's 1200).</summary>
    public int? PaymentSessionTimeoutSeconds { get; init; }

    /// <summary>--gateway-base-for-ekeng: EKENG's gateway calls go here instead of the gateway listener (an unreachable gateway).</summary>
    public Uri? GatewayBaseForEkeng { get; init; }
}
