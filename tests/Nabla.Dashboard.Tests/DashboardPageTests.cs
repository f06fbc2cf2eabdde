using System.Globalization;
using Microsoft.Playwright;
using Nabla.Cli.Tests;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser, as a user sees it: a training started with <c>--dashboard</c> watched live until
/// its curves hold every epoch, each plotted value equal to the run log's; hostile class labels, column and run names
/// shown as text, never run; a run killed with SIGKILL shown with its epochs; several runs overlaid and picked; light
/// and dark. Each test saves a screenshot in artifacts/screenshots/.
/// </summary>
public sealed class DashboardPageTests : TemporaryFolder
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    private static void AssertNoScriptRan(DashboardPage page)
    {
        Assert.Empty(page.Dialogs);
        Assert.Empty(page.Errors);
    }

    private static void AssertPlotted(IReadOnlyList<PlottedSeries> chart, string label, IEnumerable<(int Epoch, double Value)> expected)
    {
        var series = chart.SingleOrDefault(s => s.Label == label)
            ?? throw new Xunit.Sdk.XunitException($"No series '{label}'; the chart has: {string.Join(", ", chart.Select(s => s.Label))}");
        Assert.Equal(expected, series.Points);
    }

    /// <summary>The batch loss chart's smoothing when the user has not moved its slider: TensorBoard's default.</summary>
    private const double DefaultSmoothing = 0.6;

    /// <summary>
    /// Asserts the series <paramref name="label"/> is TensorBoard's smoothing of the logged batch losses: an exponential
    /// moving average with <paramref name="weight"/>, divided by 1 − weight^n for the n losses averaged so far.
    /// </summary>
    private static void AssertSmoothed(IReadOnlyList<PlottedSeries> chart, string label, IReadOnlyList<RunStepEvent> steps, double weight)
    {
        var series = chart.Single(s => s.Label == label);
        double average = 0;
        var expected = steps.Select((step, n) =>
        {
            average = average * weight + (1 - weight) * step.Loss;
            return ((int)step.Step, average / (1 - Math.Pow(weight, n + 1)));
        }).ToList();
        Assert.Equal(expected.Select(p => p.Item1), series.Points.Select(p => p.Epoch));
        foreach (var (want, got) in expected.Zip(series.Points))
            Assert.Equal(want.Item2, got.Value, 1e-12 * Math.Abs(want.Item2));
    }

    [BrowserFact]
    public async Task ALiveTraining_IsFollowedUntilTheCurvesHoldEveryEpoch_EachValueAsTheRunLogHasIt()
    {
        await using var browser = await DashboardPage.Launch();
        using var train = new BackgroundNabla("train", "--epochs", "60", "--batch-size", "8", "--diagnose", "--log-steps", "7", "--out", PathOf("model.safetensors"),
            "--logdir", PathOf("runs"), "--run-name", "live", "--dashboard");

        await browser.Open(train.WaitForAddress());
        Assert.Equal(0, train.WaitForExit());
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "live", RunLog.FileName));
        Assert.Equal(60, log.Epochs.Count);
        // The server sent the last epochs and the end before it stopped with the training.
        await browser.WaitFor("() => window.nablaDashboard.plotted('loss').some(s => s.run === 'live' && s.y.filter(v => v !== null).length === 60)");

        var epochs = log.Epochs.Select(e => e.Result).ToList();
        var loss = await browser.Plotted("loss");
        AssertPlotted(loss, "live train", epochs.Select(e => (e.Epoch, e.Loss)));
        AssertPlotted(loss, "live validation", epochs.Select(e => (e.Epoch, e.ValidationLoss!.Value)));
        var accuracy = await browser.Plotted("accuracy");
        AssertPlotted(accuracy, "live train", epochs.Select(e => (e.Epoch, e.Accuracy!.Value)));
        AssertPlotted(accuracy, "live validation", epochs.Select(e => (e.Epoch, e.ValidationAccuracy!.Value)));
        AssertPlotted(await browser.Plotted("lr"), "live", epochs.Select(e => (e.Epoch, e.LearningRate)));
        AssertPlotted(await browser.Plotted("throughput"), "live", log.Epochs.Select(e => (e.Result.Epoch, e.SamplesPerSecond)));
        Assert.Equal(Enumerable.Range(1, log.Steps.Count).Select(n => 7L * n), log.Steps.Select(s => s.Step));
        var steps = await browser.Plotted("steps");
        AssertPlotted(steps, "live raw", log.Steps.Select(s => ((int)s.Step, s.Loss)));
        AssertSmoothed(steps, "live", log.Steps, DefaultSmoothing);
        var gradients = await browser.Plotted("gradients");
        foreach (string parameter in log.Epochs[0].Gradients.Select(g => g.Name))
            Assert.Equal(log.Epochs.Select(e => (e.Result.Epoch, e.Gradients.Single(g => g.Name == parameter).GradientNorm)),
                gradients.Single(s => s.Label.EndsWith(parameter, StringComparison.Ordinal)).Points);
        Assert.Contains("completed", await browser.Text("#summary"));
        Assert.Contains("adam", await browser.Text("#settings"));
        AssertNoScriptRan(browser);
        await browser.Screenshot("live-training");
    }

    [BrowserFact]
    public async Task HostileClassLabels_ColumnAndRunNames_AreShownAsText_AndNeverRun()
    {
        var csv = new List<string> { "width,height,<b>label</b>" };
        for (int i = 0; i < 60; i++)
            csv.Add(string.Create(CultureInfo.InvariantCulture, $"{i % 7 + 0.5},{i % 5 + 1.5},{(i % 2 == 0 ? $"\"{Hostile}\"" : "cat")}"));
        File.WriteAllLines(PathOf("hostile.csv"), csv);
        const string RunName = "<img src=x onerror=alert(2)>";
        var train = ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly,
            "train", "--data", "hostile.csv", "--target", "<b>label</b>", "--epochs", "3", "--logdir", "runs", "--run-name", RunName, "--quiet");
        Assert.True(train.ExitCode == 0, train.ToString());
        await using var browser = await DashboardPage.Launch();
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));

        await browser.Open(new Uri(dashboard.WaitForAddress(), "/?run=" + Uri.EscapeDataString(RunName)));
        await browser.WaitFor("() => document.querySelector('#settings').innerText.includes('classes')");

        string settings = await browser.Text("#settings");
        Assert.Contains(Hostile, settings);
        Assert.Contains("<b>label</b>", settings);
        Assert.Contains(RunName, await browser.Text("#runs"));
        Assert.Equal(0, await browser.Page.EvaluateAsync<int>("() => document.querySelectorAll('[onerror], b, img').length"));
        AssertNoScriptRan(browser);
        await browser.Screenshot("hostile-strings");
    }

    [BrowserFact]
    public async Task ATrainingKilledWithSigkill_ShowsEveryEpochItFinished_AndNoEnd()
    {
        string log = BackgroundNabla.KilledTraining(PathOf("runs"), "killed", PathOf("model.safetensors"), epochs: 4);
        var written = RunLogReader.Read(log);
        await using var browser = await DashboardPage.Launch();
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));

        await browser.Open(dashboard.WaitForAddress());
        await browser.WaitFor($"() => window.nablaDashboard.plotted('loss').some(s => s.y.filter(v => v !== null).length === {written.Epochs.Count})");

        AssertPlotted(await browser.Plotted("loss"), "killed train", written.Epochs.Select(e => (e.Result.Epoch, e.Result.Loss)));
        Assert.Contains("no end", await browser.Text("#summary"));
        AssertNoScriptRan(browser);
        await browser.Screenshot("killed-run");
    }

    [BrowserFact]
    public async Task ARunInItsFirstEpoch_ShowsItsBatchLossByStep_BeforeAnyEpochCurve()
    {
        string path = RunLogs.Train(PathOf("runs/first-epoch"), epochs: 2, stepInterval: 1);
        // What a run killed in its first epoch leaves: its settings and the batches logged so far.
        File.WriteAllLines(path, File.ReadLines(path).TakeWhile(line => !line.Contains("\"event\":\"epoch\"", StringComparison.Ordinal)).ToList());
        var written = RunLogReader.Read(path);
        Assert.Empty(written.Epochs);
        Assert.Equal(8, written.Steps.Count);
        await using var browser = await DashboardPage.Launch();
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));

        var address = dashboard.WaitForAddress();
        await browser.Open(address);
        await browser.WaitFor("() => window.nablaDashboard.plotted('steps').some(s => s.y.filter(v => v !== null).length === 8)");

        var steps = await browser.Plotted("steps");
        AssertPlotted(steps, "first-epoch raw", written.Steps.Select(s => ((int)s.Step, s.Loss)));
        AssertSmoothed(steps, "first-epoch", written.Steps, DefaultSmoothing);
        Assert.NotEqual(steps.Single(s => s.Label == "first-epoch raw").Points, steps.Single(s => s.Label == "first-epoch").Points);
        Assert.Empty(await browser.Plotted("loss"));
        Assert.False(await browser.IsVisible("#card-loss"));
        Assert.True(await browser.IsVisible("#card-steps"));
        string summary = await browser.Text("#summary");
        Assert.Contains("epoch0 of 2", summary);
        Assert.Contains("step8", summary);
        Assert.Contains("first-epoch: no epoch finished yet; its batches so far are in the batch loss chart.", await browser.Text("#notes"));
        AssertNoScriptRan(browser);
        await browser.Screenshot("first-epoch");

        // Without smoothing, the batch losses themselves, one series.
        await browser.SetRange("#smoothing", "0");
        await browser.WaitFor("() => window.nablaDashboard.plotted('steps').length === 1");
        AssertPlotted(await browser.Plotted("steps"), "first-epoch", written.Steps.Select(s => ((int)s.Step, s.Loss)));
        Assert.Equal("0.00", await browser.Text("#smoothing-value"));
        // The choice is remembered: the page opened again keeps it.
        await browser.Open(address);
        await browser.WaitFor("() => window.nablaDashboard.plotted('steps').length === 1");
        AssertNoScriptRan(browser);
    }

    [BrowserFact]
    public async Task SeveralRuns_AreOverlaid_AndPickedInTheRunsTable()
    {
        RunLogs.Train(PathOf("runs/first"), epochs: 8, seed: 2);
        RunLogs.Train(PathOf("runs/second"), epochs: 5, seed: 3);
        await using var browser = await DashboardPage.Launch();
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));

        await browser.Open(new Uri(dashboard.WaitForAddress(), "/?run=first&run=second"));
        await browser.WaitFor("() => new Set(window.nablaDashboard.plotted('loss').map(s => s.run)).size === 2");
        var first = RunLogReader.Read(Path.Combine(PathOf("runs/first"), RunLog.FileName));
        var second = RunLogReader.Read(Path.Combine(PathOf("runs/second"), RunLog.FileName));
        var loss = await browser.Plotted("loss");
        AssertPlotted(loss, "first train", first.Epochs.Select(e => (e.Result.Epoch, e.Result.Loss)));
        AssertPlotted(loss, "second validation", second.Epochs.Select(e => (e.Result.Epoch, e.Result.ValidationLoss!.Value)));
        await browser.Screenshot("two-runs");

        await browser.Page.ClickAsync("#runs tr[data-run='second'] input[type=checkbox]");
        await browser.WaitFor("() => window.nablaDashboard.plotted('loss').every(s => s.run === 'first')");

        Assert.Equal(["first"], await browser.Page.EvaluateAsync<string[]>("() => window.nablaDashboard.selected()"));
        Assert.Contains("run=first", browser.Page.Url);
        Assert.DoesNotContain("run=second", browser.Page.Url);
        AssertNoScriptRan(browser);
    }

    [BrowserFact]
    public async Task TheLossCharts_TakeALogScaleWhenTicked_EachItsOwn_Remembered()
    {
        string path = RunLogs.Train(PathOf("runs/scaled"), epochs: 6, stepInterval: 2);
        var written = RunLogReader.Read(path);
        await using var browser = await DashboardPage.Launch();
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));
        var address = dashboard.WaitForAddress();

        await browser.Open(address);
        await browser.WaitFor("() => window.nablaDashboard.plotted('loss').length === 2 && window.nablaDashboard.plotted('steps').length === 2");
        Assert.Equal("linear", await browser.Scale("loss"));
        await browser.Page.ClickAsync("input[data-log-scale='loss']");
        await browser.WaitFor("() => window.nablaDashboard.scale('loss') === 'log'");

        // The same values, every loss being above 0; the batch loss keeps its own scale.
        AssertPlotted(await browser.Plotted("loss"), "scaled train", written.Epochs.Select(e => (e.Result.Epoch, e.Result.Loss)));
        Assert.Equal("linear", await browser.Scale("steps"));
        await browser.Screenshot("log-scale");
        await browser.Open(address);
        await browser.WaitFor("() => window.nablaDashboard.scale('loss') === 'log'");
        Assert.Equal("linear", await browser.Scale("steps"));
        Assert.True(await browser.Page.IsCheckedAsync("input[data-log-scale='loss']"));
        await browser.Page.ClickAsync("input[data-log-scale='loss']");
        await browser.WaitFor("() => window.nablaDashboard.scale('loss') === 'linear'");
        AssertNoScriptRan(browser);
    }

    [BrowserFact]
    public async Task ThePage_FollowsADarkColourScheme_AndItsToggle()
    {
        RunLogs.Train(PathOf("runs/first"), epochs: 4);
        await using var browser = await DashboardPage.Launch(ColorScheme.Dark);
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));
        const string Brightness = "() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return (r + g + b) / 765; }";

        await browser.Open(dashboard.WaitForAddress());

        Assert.True(await browser.Page.EvaluateAsync<double>(Brightness) < 0.3, "a dark background in a dark colour scheme");
        await browser.Screenshot("dark");
        await browser.Page.ClickAsync("#theme");
        await browser.WaitFor(Brightness.Replace("return (r + g + b) / 765;", "return (r + g + b) / 765 > 0.7;", StringComparison.Ordinal));
        AssertNoScriptRan(browser);
    }

    [BrowserFact]
    public async Task ATuneJob_ShowsEveryTrialWithItsBudget_TheBestAtTheFullBudgetMarked_ItsScoreAgainstEachSetting_AndItsLearningCurve()
    {
        Assert.Equal(0, ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly, "datasets", "export", "iris").ExitCode);
        var tune = ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly, "tune", "--data", "iris.csv",
            "--target", "species", "--model", "mlp", "--search", "halving", "--epochs", "9", "--cv", "2", "--trials", "8", "--out", "tuned.safetensors",
            "--logdir", "runs", "--run-name", "search", "--quiet");
        Assert.True(tune.ExitCode == 0, tune.ToString());
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "search", RunLog.FileName));
        Assert.NotEmpty(log.Trials);
        await using var browser = await DashboardPage.Launch();
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));

        await browser.Open(new Uri(dashboard.WaitForAddress(), "/?run=search"));
        await browser.WaitFor($"() => document.querySelectorAll('#trials tbody tr[data-trial]').length === {log.Trials.Count}");

        // Successive halving: most trials on small budgets, the best on the full one, whose scores alone compare.
        int full = log.Trials.Max(t => t.Budget!.Value);
        Assert.True(log.Trials.Any(t => t.Budget < full), "a halving search scores some trials on a smaller budget");
        var best = log.Trials.Where(t => t is { Outcome: RunTrialOutcome.Complete, Score: not null } && t.Budget == full).MaxBy(t => t.Score!.Value)!;
        Assert.Equal($"{best.Number}", await browser.Page.GetAttributeAsync("#trials tbody tr.best", "data-trial"));
        var budgets = await browser.Page.EvaluateAsync<string[]>(
            "() => { const column = [...document.querySelectorAll('#trials thead th')].findIndex(th => th.textContent.startsWith('budget')); "
            + "return [...document.querySelectorAll('#trials tbody tr')].sort((a, b) => a.dataset.trial - b.dataset.trial).map(tr => tr.children[column].textContent); }");
        Assert.Equal(log.Trials.OrderBy(t => t.Number).Select(t => $"{t.Budget}"), budgets);
        var parameters = log.Trials.SelectMany(t => t.Parameters.Keys).Distinct().ToList();
        Assert.Equal(parameters.Count, await browser.Page.EvaluateAsync<int>("() => document.querySelectorAll('#scatters figure').length"));
        string table = await browser.Text("#trials");
        foreach (string parameter in parameters) Assert.Contains(parameter, table);

        // Each trial's learning curve: the validation accuracy after each epoch of its budget, as the log has it.
        Assert.Equal("validation accuracy", log.Settings.Settings["curve"]);
        Assert.All(log.Trials, t => Assert.Equal(Enumerable.Range(1, t.Budget!.Value), t.Curve.Select(p => p.Step)));
        var curves = await browser.Plotted("curves");
        Assert.Equal(log.Trials.Count, curves.Count);
        foreach (var trial in log.Trials)
            AssertPlotted(curves, $"trial {trial.Number}", trial.Curve.Select(p => (p.Step, p.Value)));
        Assert.StartsWith("Learning curves: validation accuracy after each epoch", await browser.Text("#curves-caption"));
        AssertNoScriptRan(browser);
        await browser.Screenshot("tune-trials");
    }
}
