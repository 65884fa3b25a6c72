using System.Diagnostics;

namespace Ekeng.Rigs.CardHolder;

/// <summary>
/// The command: exit 0 after the return URL (prints "url: ..." and "title: ..."), 1 when the page says no (its message
/// on stderr), 2 for a usage error. It never prints the card number or the CVC.
/// </summary>
public static class CardHolderCli
{
    public static int Run(string[] args, Func<string, string?> environment, TextWriter output, TextWriter error, CardBrowser? browser = null)
    {
        CardHolderOptions options;
        try
        {
            options = CardHolderOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine(CardHolderOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            output.WriteLine(CardHolderOptions.Usage);
            return 0;
        }

        if (options.PolicyPage)
        {
            // No site is visited: the pin is SHA-256 of nothing, so the browser trusts no certificate at all.
            using var policyBrowser = browser == null ? new CardBrowser(["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="], options.Chromium, options.ChromeDriver) : null;
            output.WriteLine((browser ?? policyBrowser!).PolicyPageText(options.Timeout));
            return 0;
        }

        try
        {
            var pins = new List<string>(options.Spki);
            if (options.SpkiFromPem != null)
            {
                if (options.Url == null)
                {
                    pins.AddRange(SpkiPins.ReadPem(options.SpkiFromPem).Select(SpkiPins.Hash));
                }
                else
                {
                    pins.AddRange(SpkiPins.FromPem(options.SpkiFromPem, options.Url));
                }
            }

            if (options.Url == null)
            {
                if (options.SpkiFromPem == null)
                {
                    error.WriteLine("--url is required.");
                    error.WriteLine(CardHolderOptions.Usage);
                    return 2;
                }

                foreach (string pin in pins)
                {
                    output.WriteLine(pin);
                }

                return 0;
            }

            if (pins.Count == 0)
            {
                error.WriteLine("--spki or --spki-from-pem is required: the browser trusts the sandbox's certificate and nothing else.");
                error.WriteLine(CardHolderOptions.Usage);
                return 2;
            }

            TestCard card = TestCard.FromEnvironment(environment);
            var watch = Stopwatch.StartNew();
            CardBrowser? owned = browser == null ? new CardBrowser(pins, options.Chromium, options.ChromeDriver) : null;
            try
            {
                CardBrowser b = browser ?? owned!;
                TimeSpan start = watch.Elapsed;
                CardHolderResult result = b.Pay(options.Url, card, options.ThreeDsCode, options.Timeout, options.ReturnUrl);
                output.WriteLine("url: " + result.FinalUrl);
                output.WriteLine("title: " + result.Title);
                output.WriteLine($"3ds: {(result.PassedThreeDSecure ? "yes" : "no")}");
                output.WriteLine($"timing: browser {(owned != null ? start.TotalMilliseconds : 0):0} ms, form {result.FormTime.TotalMilliseconds:0} ms");
                return 0;
            }
            finally
            {
                owned?.Dispose();
            }
        }
        catch (CardPageException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or IOException or System.Security.Cryptography.CryptographicException)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }
}
