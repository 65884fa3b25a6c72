using System.Diagnostics;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Ekeng.Rigs.CardHolder;

/// <summary>
/// One headless Chromium (Debian's chromium and chromedriver, named explicitly so Selenium Manager never runs) that
/// trusts only the pinned certificates (--ignore-certificate-errors-spki-list; never a blanket accept-insecure).
/// One per test run: starting it costs about a second; each payment reuses it.
/// </summary>
public sealed class CardBrowser : IDisposable
{
    public const string DefaultChromium = "/usr/bin/chromium";
    public const string DefaultChromeDriver = "/usr/bin/chromedriver";

    private readonly ChromeDriver _driver;
    private readonly string _profile;

    public CardBrowser(IEnumerable<string> spkiPins, string chromium = DefaultChromium, string chromeDriver = DefaultChromeDriver)
    {
        var pins = spkiPins.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        if (pins.Count == 0)
        {
            throw new ArgumentException("At least one SPKI pin is required: the browser trusts the sandbox's certificate and nothing else.");
        }

        foreach (string file in new[] { chromium, chromeDriver })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"{file} is missing: install Debian's chromium and chromium-driver (build.ps1 -Task Deps).", file);
            }
        }

        // Backstop: Selenium Manager must never run (it would try the network).
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        var watch = Stopwatch.StartNew();
        _profile = Directory.CreateTempSubdirectory("ekeng-cardholder-").FullName;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(chromeDriver)!, Path.GetFileName(chromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = chromium };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--user-data-dir=" + _profile,
            "--ignore-certificate-errors-spki-list=" + string.Join(",", pins));
        try
        {
            _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        }
        catch
        {
            TryDelete(_profile);
            throw;
        }

        _driver.Manage().Timeouts().ImplicitWait = TimeSpan.Zero;
        StartTime = watch.Elapsed;
    }

    /// <summary>How long starting the browser took.</summary>
    public TimeSpan StartTime { get; }

    /// <summary>
    /// Opens <paramref name="formUrl"/>, types the card into the inputs named pan, cardholder, expiry and cvc, clicks
    /// id=pay, types <paramref name="threeDsCode"/> on a 3-D Secure page (input id=code, button id=confirm), and waits
    /// until the browser leaves the card page's origin (the return URL) or <paramref name="returnUrlPrefix"/> is reached.
    /// A message the page shows (role=alert, .error, #error) or a timeout throws <see cref="CardPageException"/>.
    /// </summary>
    public CardHolderResult Pay(Uri formUrl, TestCard card, string? threeDsCode, TimeSpan timeout, string? returnUrlPrefix = null)
    {
        var watch = Stopwatch.StartNew();
        _driver.Navigate().GoToUrl(formUrl);
        Await(timeout, formUrl, returnUrlPrefix, expectForm: true);
        Type(By.Name("pan"), card.Pan);
        Type(By.Name("cardholder"), card.Cardholder);
        Type(By.Name("expiry"), card.Expiry);
        Type(By.Name("cvc"), card.Cvc);
        _driver.FindElement(By.Id("pay")).Click();

        bool threeDs = false;
        Step step = Await(timeout - watch.Elapsed, formUrl, returnUrlPrefix, expectForm: false);
        if (step == Step.ThreeDSecure)
        {
            if (string.IsNullOrEmpty(threeDsCode))
            {
                throw new CardPageException("The card page asks for a 3-D Secure code: pass --three-ds-code.");
            }

            Type(By.Id("code"), threeDsCode);
            _driver.FindElement(By.Id("confirm")).Click();
            threeDs = true;
            step = Await(timeout - watch.Elapsed, formUrl, returnUrlPrefix, expectForm: false, allowThreeDs: false);
        }

        return new CardHolderResult(_driver.Url, _driver.Title, threeDs, watch.Elapsed);
    }

    private enum Step
    {
        Form,
        ThreeDSecure,
        Returned,
    }

    private void Type(By by, string text)
    {
        IWebElement input = _driver.FindElement(by);
        input.Clear();
        input.SendKeys(text);
    }

    private Step Await(TimeSpan timeout, Uri formUrl, string? returnUrlPrefix, bool expectForm, bool allowThreeDs = true)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new CardPageException("Timed out on the card page.");
        }

        string? error = null;
        var wait = new WebDriverWait(_driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(50) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        object? step;
        try
        {
            // Until takes reference types or bool only: the step is boxed.
            step = wait.Until<object?>(d =>
            {
                string url = d.Url;
                // Chromium's own pages: a network error (#main-frame-error) or a certificate interstitial; WebDriver
                // reports the URL that failed, not chrome-error://, so the page's elements tell.
                if (url.StartsWith("chrome-error:", StringComparison.Ordinal)
                    || d.FindElements(By.CssSelector("#main-frame-error, .interstitial-wrapper")).Count > 0)
                {
                    error = $"The browser could not load {url} (is the server up, and its certificate pinned?): {Shorten(SafeBodyText())}";
                    return Step.Form;
                }

                if (!expectForm && Returned(url, formUrl, returnUrlPrefix))
                {
                    return Step.Returned;
                }

                string? message = PageError(d);
                if (message != null)
                {
                    error = message;
                    return Step.Form;
                }

                if (expectForm && d.FindElements(By.Name("pan")).Count > 0 && d.FindElements(By.Id("pay")).Count > 0)
                {
                    return Step.Form;
                }

                if (!expectForm && allowThreeDs && d.FindElements(By.Id("code")).Count > 0 && d.FindElements(By.Id("confirm")).Count > 0)
                {
                    return Step.ThreeDSecure;
                }

                return null;
            });
        }
        catch (WebDriverTimeoutException)
        {
            string body = Shorten(SafeBodyText());
            throw new CardPageException(expectForm
                ? $"The card page at {_driver.Url} shows no card form (inputs pan, cardholder, expiry, cvc and button id=pay): {body}"
                : $"The card page did not lead to the return URL within the timeout; it shows: {body}");
        }

        if (error != null)
        {
            throw new CardPageException(error);
        }

        return step is Step found ? found : Step.Form;
    }

    private static bool Returned(string url, Uri formUrl, string? returnUrlPrefix)
    {
        if (returnUrlPrefix != null)
        {
            return url.StartsWith(returnUrlPrefix, StringComparison.OrdinalIgnoreCase);
        }

        return Uri.TryCreate(url, UriKind.Absolute, out Uri? now)
            && (now.Scheme == "http" || now.Scheme == "https")
            && !string.Equals(now.GetLeftPart(UriPartial.Authority), formUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The message of a visible error element (role=alert, class error, id error), or null.</summary>
    private static string? PageError(IWebDriver d)
    {
        foreach (IWebElement e in d.FindElements(By.CssSelector("[role=alert], .error, #error")))
        {
            if (e.Displayed)
            {
                string text = e.Text.Trim();
                if (text.Length > 0)
                {
                    return text;
                }
            }
        }

        return null;
    }

    private string SafeBodyText()
    {
        try
        {
            return _driver.FindElement(By.TagName("body")).Text;
        }
        catch (WebDriverException)
        {
            return _driver.Title;
        }
    }

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ").Trim();
        return s.Length <= 300 ? s : s[..300] + "...";
    }

    /// <summary>
    /// The text of chrome://policy (its shadow roots included): each policy the browser applied, its value and its
    /// status or error. Waits until the policy table is filled or <paramref name="timeout"/> passes.
    /// </summary>
    public string PolicyPageText(TimeSpan timeout)
    {
        const string script = @"
function t(n) {
  let s = '';
  if (n.shadowRoot) { s += t(n.shadowRoot); }
  for (const c of n.childNodes) {
    if (c.nodeType === 3) { s += c.textContent.trim() ? c.textContent.trim() + ' ' : ''; }
    else if (c.nodeType === 1 || c.nodeType === 11) {
      if (c.nodeType === 1 && (c.tagName === 'SCRIPT' || c.tagName === 'STYLE' || c.hidden)) { continue; }
      s += t(c);
      if (c.nodeType === 1 && /^(DIV|TR|LI|P|H[1-6])$/.test(c.tagName)) { s += '\n'; }
    }
  }
  return s;
}
return t(document.body);";
        _driver.Navigate().GoToUrl("chrome://policy");
        var wait = new WebDriverWait(_driver, timeout) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        string text = string.Empty;
        try
        {
            wait.Until(d =>
            {
                text = (string)((IJavaScriptExecutor)d).ExecuteScript(script)!;
                return text.Contains("AutoSelectCertificateForUrls", StringComparison.Ordinal) ? text : null;
            });
        }
        catch (WebDriverTimeoutException)
        {
        }

        return text;
    }

    public void Dispose()
    {
        try
        {
            _driver.Quit();
        }
        finally
        {
            _driver.Dispose();
            TryDelete(_profile);
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
