using System.Text.Json;
using Microsoft.Playwright;
using Nabla.Cli.Tests;

namespace Nabla.Dashboard.Tests;

/// <summary>
/// The dashboard's page open in headless Chromium, through Playwright: what it plotted (read through the page's test
/// hooks, window.nablaDashboard), its text, and every script error and dialog it raised, which a test asserts are none.
/// </summary>
internal sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>The flags a sandboxed, offline test machine needs: no GPU, no sandbox for root, no calls home.</summary>
    private static readonly string[] Flags =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private static readonly float Patience = 60_000;

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];
    private readonly List<string> _dialogs = [];

    private DashboardPage(IPlaywright playwright, IBrowser browser, IPage page) => (_playwright, _browser, Page) = (playwright, browser, page);

    /// <summary>The page, for what the hooks do not cover.</summary>
    public IPage Page { get; }

    /// <summary>Script errors and console errors so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The messages of every alert, confirm or prompt the page opened: an injected script's first act.</summary>
    public IReadOnlyList<string> Dialogs => _dialogs;

    /// <summary>Starts the browser with a laptop-sized window, the colour scheme given; no page is loaded yet.</summary>
    public static async Task<DashboardPage> Launch(ColorScheme scheme = ColorScheme.Light)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Chromium.ExecutablePath, Headless = true, Args = Flags });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 }, ColorScheme = scheme });
            page.SetDefaultTimeout(Patience);
            var opened = new DashboardPage(playwright, browser, page);
            page.Console += (_, message) => { if (message.Type == "error") opened._errors.Add($"console: {message.Text}"); };
            page.PageError += (_, error) => opened._errors.Add($"script: {error}");
            page.Dialog += async (_, dialog) =>
            {
                opened._dialogs.Add(dialog.Message);
                await dialog.DismissAsync();
            };
            return opened;
        }
        catch (PlaywrightException e)
        {
            playwright.Dispose();
            throw new InvalidOperationException($"Chromium at {Chromium.ExecutablePath} did not start ({e.Message}); install Debian's chromium, or set NABLA_CHROMIUM.", e);
        }
    }

    /// <summary>Opens <paramref name="address"/> and waits until the page has heard from the server.</summary>
    public async Task Open(Uri address)
    {
        await Page.GotoAsync(address.ToString());
        await WaitFor("() => window.nablaDashboard && window.nablaDashboard.selected().length > 0");
    }

    /// <summary>Waits until <paramref name="predicate"/>, a JavaScript function, returns true in the page.</summary>
    public Task WaitFor(string predicate) => Page.WaitForFunctionAsync(predicate, null, new PageWaitForFunctionOptions { Timeout = Patience });

    /// <summary>The series of chart <paramref name="chart"/> as the page handed them to the chart library.</summary>
    public async Task<IReadOnlyList<PlottedSeries>> Plotted(string chart)
    {
        var series = await Page.EvaluateAsync<JsonElement>("chart => window.nablaDashboard.plotted(chart)", chart);
        return [.. series.EnumerateArray().Select(PlottedSeries.Read)];
    }

    /// <summary>The visible text of the element <paramref name="selector"/> picks.</summary>
    public Task<string> Text(string selector) => Page.InnerTextAsync(selector);

    /// <summary>Moves the range input <paramref name="selector"/> picks to <paramref name="value"/>, as a user's drag ends there.</summary>
    public Task SetRange(string selector, string value) =>
        Page.EvalOnSelectorAsync(selector, "(input, value) => { input.value = value; input.dispatchEvent(new Event('input', { bubbles: true })); }", value);

    /// <summary>The y scale of chart <paramref name="chart"/> as drawn: "log", "linear", or null when it is not drawn.</summary>
    public Task<string?> Scale(string chart) => Page.EvaluateAsync<string?>("chart => window.nablaDashboard.scale(chart)", chart);

    /// <summary>Whether the element <paramref name="selector"/> picks is shown.</summary>
    public Task<bool> IsVisible(string selector) => Page.IsVisibleAsync(selector);

    /// <summary>Saves a screenshot of the whole page as artifacts/screenshots/<paramref name="name"/>.png in the repository, and returns its path.</summary>
    public async Task<string> Screenshot(string name)
    {
        string folder = Directory.CreateDirectory(Path.Combine(RepositoryLayout.Root, "artifacts", "screenshots")).FullName;
        string path = Path.Combine(folder, $"{name}.png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>One curve as the page plotted it.</summary>
/// <param name="Label">Its legend text.</param>
/// <param name="Run">The run it belongs to.</param>
/// <param name="X">The epochs.</param>
/// <param name="Y">The values; null for a gap (a value that is not finite).</param>
internal sealed record PlottedSeries(string Label, string Run, IReadOnlyList<double> X, IReadOnlyList<double?> Y)
{
    /// <summary>Reads one element of what window.nablaDashboard.plotted returns.</summary>
    public static PlottedSeries Read(JsonElement series) => new(
        series.GetProperty("label").GetString()!,
        series.GetProperty("run").GetString()!,
        [.. series.GetProperty("x").EnumerateArray().Select(x => x.GetDouble())],
        [.. series.GetProperty("y").EnumerateArray().Select(y => y.ValueKind == JsonValueKind.Number ? y.GetDouble() : (double?)null)]);

    /// <summary>The points that are not gaps: (epoch, value).</summary>
    public IEnumerable<(int Epoch, double Value)> Points =>
        X.Zip(Y).Where(point => point.Second is not null).Select(point => ((int)point.First, point.Second!.Value));
}
