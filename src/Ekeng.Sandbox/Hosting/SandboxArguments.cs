using System.ComponentModel.DataAnnotations;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// The sandbox's options as the configuration binder fills them from the command line (one property per documented
/// switch: <c>--sms-daily-limit</c> is <see cref="SmsDailyLimit"/>), with the rules each value must keep.
/// </summary>
public sealed class SandboxArguments
{
    public string Urls { get; set; } = "https://127.0.0.1:0";

    public string GatewayUrls { get; set; } = "https://127.0.0.1:0";

    [Required(ErrorMessage = "--data <dir> is required.")]
    public string? Data { get; set; }

    /// <summary>--client-ca, repeatable.</summary>
    public List<string> ClientCa { get; set; } = [];

    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05", ErrorMessage = "not a time span (hh:mm:ss).")]
    public TimeSpan UsableDelay { get; set; } = TimeSpan.FromHours(3);

    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05", ErrorMessage = "not a time span (hh:mm:ss).")]
    public TimeSpan SmsLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:00", "10675199.02:48:05", ErrorMessage = "not a time span (hh:mm:ss).")]
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 1000, ErrorMessage = "a whole number from 1 to 1000.")]
    public int SmsDailyLimit { get; set; } = 10;

    public string MerchantUser { get; set; } = "ekeng_api";

    public string? MerchantPasswordFile { get; set; }

    [Range(1, 1200, ErrorMessage = "whole seconds from 1 to 1200 (the gateway's sessionTimeoutSecs).")]
    public int? PaymentSessionTimeout { get; set; }

    public string? GatewayBaseForEkeng { get; set; }

    public bool TestControls { get; set; }
}
