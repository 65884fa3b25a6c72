using System.Globalization;

namespace Ekeng.Rigs.CardHolder;

/// <summary>The command line: --url, --spki | --spki-from-pem, [--three-ds-code], [--timeout], [--return-url], [--chromium], [--chromedriver].</summary>
public sealed class CardHolderOptions
{
    public const string Usage =
        "dotnet CardHolder.dll --url <formUrl> (--spki <base64 sha256 of the server's SPKI>[,...] | --spki-from-pem <file>)\n" +
        "       [--three-ds-code 123456] [--timeout 30] [--return-url <prefix>] [--chromium /usr/bin/chromium] [--chromedriver /usr/bin/chromedriver]\n" +
        "The TEST card comes from EKENG_TEST_PAN, EKENG_TEST_EXPIRY (MM/YY), EKENG_TEST_CVC, EKENG_TEST_CARDHOLDER.\n" +
        "dotnet CardHolder.dll --spki-from-pem <file> [--url <https loopback URL>]   prints the pins and exits.\n" +
        "dotnet CardHolder.dll --policy-page [--timeout 30]   prints the text of chrome://policy and exits.";

    public Uri? Url { get; private set; }
    public List<string> Spki { get; } = [];
    public string? SpkiFromPem { get; private set; }
    public string? ThreeDsCode { get; private set; }
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(30);
    public string? ReturnUrl { get; private set; }
    public string Chromium { get; private set; } = CardBrowser.DefaultChromium;
    public string ChromeDriver { get; private set; } = CardBrowser.DefaultChromeDriver;
    public bool Help { get; private set; }

    /// <summary>--policy-page: print the text of chrome://policy (what the browser applied, with any error) and exit.</summary>
    public bool PolicyPage { get; private set; }

    public static CardHolderOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CardHolderOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            switch (name)
            {
                case "--url":
                    string url = Value();
                    if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? u) || (u.Scheme != "https" && u.Scheme != "http"))
                    {
                        throw new ArgumentException($"--url is not an http(s) URL: '{url}'.");
                    }

                    o.Url = u;
                    break;
                case "--spki":
                    o.Spki.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--spki-from-pem":
                    o.SpkiFromPem = Value();
                    break;
                case "--three-ds-code":
                    o.ThreeDsCode = Value();
                    break;
                case "--timeout":
                    string t = Value();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds <= 0)
                    {
                        throw new ArgumentException($"--timeout is a positive number of seconds, not '{t}'.");
                    }

                    o.Timeout = TimeSpan.FromSeconds(seconds);
                    break;
                case "--return-url":
                    o.ReturnUrl = Value();
                    break;
                case "--chromium":
                    o.Chromium = Value();
                    break;
                case "--chromedriver":
                    o.ChromeDriver = Value();
                    break;
                case "--policy-page":
                    o.PolicyPage = true;
                    break;
                case "-h":
                case "--help":
                    o.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{name}'.");
            }
        }

        byte[] buffer = new byte[64];
        foreach (string pin in o.Spki)
        {
            if (!Convert.TryFromBase64String(pin, buffer, out int length) || length != 32)
            {
                throw new ArgumentException($"--spki '{pin}' is not the base64 of a SHA-256 hash.");
            }
        }

        return o;
    }
}
