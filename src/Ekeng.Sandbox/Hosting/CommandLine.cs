using System.Globalization;
using System.Net;

namespace Ekeng.Sandbox.Hosting;

/// <summary>Parses the sandbox's options; refuses any listener that is not loopback.</summary>
public static class CommandLine
{
    public const string Usage =
        "Usage: Ekeng.Sandbox --urls https://127.0.0.1:0 --gateway-urls https://127.0.0.1:0 --data <dir> " +
        "[--client-ca <pem>]... [--usable-delay 03:00:00] [--sms-lifetime 00:05:00] [--resend-interval 00:00:30] " +
        "[--sms-daily-limit 10] [--merchant-user ekeng_api] [--merchant-password-file <file>] [--payment-session-timeout 1200] " +
        "[--gateway-base-for-ekeng https://127.0.0.1:<port>] [--test-controls]; the merchant password may also come from " +
        PasswordVariable + ".";

    /// <summary>The environment variable that may hold the gateway's merchant password (never the command line).</summary>
    public const string PasswordVariable = "EKENG_SANDBOX_MERCHANT_PASSWORD";

    public static SandboxOptions Parse(string[] args)
    {
        string? urls = null, gatewayUrls = null, data = null;
        var cas = new List<string>();
        TimeSpan usable = TimeSpan.FromHours(3), sms = TimeSpan.FromMinutes(5), resend = TimeSpan.FromSeconds(30);
        string user = "ekeng_api";
        string? passwordFile = null;
        int dailyLimit = 10;
        bool testControls = false;
        int? sessionTimeout = null;
        Uri? gatewayForEkeng = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--test-controls")
            {
                testControls = true;
                continue;
            }
            // A secret on the command line is readable by every user (ps, /proc/<pid>/cmdline): refused, value unread.
            if (name == "--merchant-password" || name.StartsWith("--merchant-password=", StringComparison.Ordinal))
                throw new CommandLineException($"--merchant-password is not accepted (a command line is readable by every user): use --merchant-password-file <file> or the environment variable {PasswordVariable}.");
            string value = name.Contains('=') ? name[(name.IndexOf('=') + 1)..] : (i + 1 < args.Length ? args[++i] : throw new CommandLineException($"{name} needs a value."));
            if (name.Contains('=')) name = name[..name.IndexOf('=')];
            switch (name)
            {
                case "--urls": urls = value; break;
                case "--gateway-urls": gatewayUrls = value; break;
                case "--data": data = value; break;
                case "--client-ca": cas.Add(Path.GetFullPath(value)); break;
                case "--usable-delay": usable = ParseTime(name, value); break;
                case "--sms-lifetime": sms = ParseTime(name, value); break;
                case "--resend-interval": resend = ParseTime(name, value); break;
                case "--merchant-user": user = value; break;
                case "--merchant-password-file": passwordFile = Path.GetFullPath(value); break;
                case "--sms-daily-limit": dailyLimit = ParseCount(name, value); break;
                case "--payment-session-timeout": sessionTimeout = ParseSessionTimeout(name, value); break;
                case "--gateway-base-for-ekeng": gatewayForEkeng = ParseGatewayBase(name, value); break;
                default: throw new CommandLineException($"Unknown option {name}.");
            }
        }
        if (data is null) throw new CommandLineException("--data <dir> is required.");
        foreach (string ca in cas)
        {
            if (!File.Exists(ca)) throw new CommandLineException($"--client-ca {ca}: no such file.");
        }
        string password = ReadPassword(passwordFile);
        return new SandboxOptions
        {
            CrmEndpoints = ParseUrls("--urls", urls ?? "https://127.0.0.1:0"),
            GatewayEndpoints = ParseUrls("--gateway-urls", gatewayUrls ?? "https://127.0.0.1:0"),
            DataDirectory = Path.GetFullPath(data),
            ClientCaFiles = cas,
            UsableDelay = usable,
            SmsLifetime = sms,
            ResendInterval = resend,
            SmsDailyLimit = dailyLimit,
            TestControls = testControls,
            MerchantUser = user,
            MerchantPassword = password,
            PaymentSessionTimeoutSeconds = sessionTimeout,
            GatewayBaseForEkeng = gatewayForEkeng,
        };
    }

    private static TimeSpan ParseTime(string name, string value)
    {
        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out TimeSpan t) && t >= TimeSpan.Zero) return t;
        throw new CommandLineException($"{name} {value}: not a time span (hh:mm:ss).");
    }

    /// <summary>--merchant-password-file (first line, at most 30 characters as the gateway allows), else the environment, else "sandbox".</summary>
    private static string ReadPassword(string? file)
    {
        string? password;
        if (file is not null)
        {
            try
            {
                using var reader = new StreamReader(file);
                char[] buffer = new char[64];
                int read = reader.ReadBlock(buffer, 0, buffer.Length);
                password = new string(buffer, 0, read).Split('\n')[0].TrimEnd('\r');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CommandLineException($"--merchant-password-file {file}: cannot be read ({e.GetType().Name}).");
            }
        }
        else
        {
            password = Environment.GetEnvironmentVariable(PasswordVariable);
            if (password is null) return "sandbox";
        }
        if (password.Length is 0 or > 30)
            throw new CommandLineException($"The merchant password ({(file is null ? PasswordVariable : "--merchant-password-file")}) must be 1 to 30 characters on one line.");
        return password;
    }

    private static int ParseCount(string name, string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n is >= 1 and <= 1000) return n;
        throw new CommandLineException($"{name} {value}: a whole number from 1 to 1000.");
    }

    /// <summary>The sessionTimeoutSecs EKENG's side gives register.do: whole seconds, 1..1200 as the gateway allows.</summary>
    private static int ParseSessionTimeout(string name, string value)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int s) && s is >= 1 and <= 1200) return s;
        throw new CommandLineException($"{name} {value}: whole seconds from 1 to 1200 (the gateway's sessionTimeoutSecs).");
    }

    /// <summary>
    /// Where EKENG's side sends its server-to-server gateway calls instead of the gateway listener (to simulate an
    /// unreachable gateway, e.g. a closed port): an https URL on loopback, as every address of the sandbox.
    /// </summary>
    private static Uri ParseGatewayBase(string name, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps)
            throw new CommandLineException($"{name} {value}: not an https:// URL.");
        bool loopback = string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address) && IPAddress.IsLoopback(address));
        if (!loopback) throw new CommandLineException($"{name} {value}: the sandbox talks to loopback only (127.0.0.0/8, ::1 or localhost).");
        return uri;
    }

    /// <summary>Only https on 127.0.0.0/8, ::1 or localhost (bound as 127.0.0.1); port 0 is a free one.</summary>
    public static IReadOnlyList<IPEndPoint> ParseUrls(string name, string value)
    {
        var list = new List<IPEndPoint>();
        foreach (string part in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps)
                throw new CommandLineException($"{name} {part}: not an https:// URL.");
            IPAddress address;
            if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase)) address = IPAddress.Loopback;
            else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address!) || !IPAddress.IsLoopback(address))
                throw new CommandLineException($"{name} {part}: the sandbox binds loopback only (127.0.0.0/8, ::1 or localhost).");
            list.Add(new IPEndPoint(address, uri.Port));
        }
        if (list.Count == 0) throw new CommandLineException($"{name}: no URL.");
        return list;
    }
}
