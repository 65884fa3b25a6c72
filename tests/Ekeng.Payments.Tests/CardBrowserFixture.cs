using System.Diagnostics;
using Ekeng.Rigs.CardHolder;

namespace Ekeng.Payments.Tests;

/// <summary>One card page server and ONE headless Chromium for the whole run (two cores): the browser tests share them.</summary>
public sealed class CardBrowserFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ekeng-cardpage-").FullName;

    public CardPageServer Server { get; private set; } = null!;

    public CardBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser (Debian's chromium or chromium-driver missing), or null.</summary>
    public string? Missing { get; private set; }

    public IReadOnlyList<string> Pins { get; private set; } = [];

    public TimeSpan BrowserStart { get; private set; }

    public async Task InitializeAsync()
    {
        Server = await CardPageServer.StartAsync(_folder);
        Pins = SpkiPins.FromPem(Server.CaPemPath, Server.BaseUri);
        string? missing = new[] { (CardBrowser.DefaultChromium, "chromium"), (CardBrowser.DefaultChromeDriver, "chromium-driver") }
            .Where(f => !File.Exists(f.Item1)).Select(f => $"{f.Item1} is missing: install the Debian package '{f.Item2}' (build.ps1 -Task Deps)").FirstOrDefault();
        Missing = missing;
        if (missing is null)
        {
            var watch = Stopwatch.StartNew();
            Browser = new CardBrowser(Pins);
            BrowserStart = watch.Elapsed;
            Console.WriteLine($"timing: browser start {BrowserStart.TotalMilliseconds:0} ms");
        }
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_folder, true);
    }

    public CardBrowser RequireBrowser()
    {
        Requires.That(Browser != null, Missing ?? "has no browser");
        return Browser!;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<CardBrowserFixture>
{
    public const string Name = "browser";
}
