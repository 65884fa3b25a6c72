using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Ekeng.Sandbox.Hosting;

/// <summary>
/// The sandbox's command line, read by the configuration's command-line provider into <see cref="SandboxArguments"/>
/// and validated; refuses any listener that is not loopback.
/// </summary>
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

    /// <summary>Each property of <see cref="SandboxArguments"/> is one switch: SmsDailyLimit is --sms-daily-limit.</summary>
    private static readonly Dictionary<string, string> Switches = typeof(SandboxArguments).GetProperties().ToDictionary(
        p => "--" + string.Concat(p.Name.Select((c, i) => (i > 0 && char.IsUpper(c) ? "-" : "") + char.ToLowerInvariant(c))), p => p.Name, StringComparer.Ordinal);

    /// <summary>
    /// The command line through the configuration's command-line provider, bound to <see cref="SandboxArguments"/>
    /// and validated (its attributes, then loopback only, files that exist); any refusal is a CommandLineException.
    /// </summary>
    public static SandboxOptions Parse(string[] args)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddCommandLine([.. Normalize(args)], Switches).Build();
        if (configuration.GetChildren().FirstOrDefault(c => !Switches.ContainsValue(c.Key)) is { } unknown)
            throw new CommandLineException($"Unknown option --{unknown.Key}.");
        var arguments = new SandboxArguments();
        try
        {
            configuration.Bind(arguments);
        }
        catch (InvalidOperationException e)
        {
            // The binder could not convert a value: the rule of that switch, with the value given.
            string key = Switches.Values.First(k => e.Message.Contains($"'{k}'", StringComparison.Ordinal));
            string? rule = typeof(SandboxArguments).GetProperty(key)!.GetCustomAttributes(typeof(ValidationAttribute), false).OfType<ValidationAttribute>().FirstOrDefault()?.ErrorMessage;
            throw Refused(configuration, key, rule ?? "not a valid value.");
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(arguments, new ValidationContext(arguments), results, validateAllProperties: true))
        {
            ValidationResult first = results[0];
            throw first.MemberNames.FirstOrDefault() is { } member && configuration[member] is not null ? Refused(configuration, member, first.ErrorMessage!) : new CommandLineException(first.ErrorMessage!);
        }
        List<string> cas = [.. arguments.ClientCa.Select(Path.GetFullPath)];
        if (cas.FirstOrDefault(ca => !File.Exists(ca)) is { } missing) throw new CommandLineException($"--client-ca {missing}: no such file.");
        return new SandboxOptions
        {
            CrmEndpoints = ParseUrls("--urls", arguments.Urls),
            GatewayEndpoints = ParseUrls("--gateway-urls", arguments.GatewayUrls),
            DataDirectory = Path.GetFullPath(arguments.Data!),
            ClientCaFiles = cas,
            UsableDelay = arguments.UsableDelay,
            SmsLifetime = arguments.SmsLifetime,
            ResendInterval = arguments.ResendInterval,
            SmsDailyLimit = arguments.SmsDailyLimit,
            TestControls = arguments.TestControls,
            MerchantUser = arguments.MerchantUser,
            MerchantPassword = ReadPassword(arguments.MerchantPasswordFile is { } file ? Path.GetFullPath(file) : null),
            PaymentSessionTimeoutSeconds = arguments.PaymentSessionTimeout,
            GatewayBaseForEkeng = arguments.GatewayBaseForEkeng is { } gateway ? ParseGatewayBase("--gateway-base-for-ekeng", gateway) : null,
        };
    }

    /// <summary>
    /// What the command-line provider does not do itself: --merchant-password refused with its value unread (a command
    /// line is readable by every user: ps, /proc/&lt;pid&gt;/cmdline), --test-controls without a value, --client-ca
    /// repeated (numbered for the binder), a switch without its value, a word that is no switch.
    /// </summary>
    private static IEnumerable<string> Normalize(string[] args)
    {
        var result = new List<string>();
        int cas = 0;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i].Split('=', 2)[0];
            bool inline = args[i].Length > name.Length;
            if (name == "--merchant-password")
                throw new CommandLineException($"--merchant-password is not accepted (a command line is readable by every user): use --merchant-password-file <file> or the environment variable {PasswordVariable}.");
            if (!name.StartsWith("--", StringComparison.Ordinal)) throw new CommandLineException($"Unknown option {name}.");
            if (name == "--test-controls" && !inline)
            {
                result.Add("--test-controls=true");
                continue;
            }
            if (!inline && i + 1 == args.Length) throw new CommandLineException($"{name} needs a value.");
            string value = inline ? args[i][(name.Length + 1)..] : args[++i];
            result.Add((name == "--client-ca" ? $"--{nameof(SandboxArguments.ClientCa)}:{cas++}" : name) + "=" + value);
        }
        return result;
    }

    private static CommandLineException Refused(IConfiguration configuration, string key, string rule) =>
        new($"{Switches.First(s => s.Value == key).Key} {configuration[key]}: {rule}");

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
