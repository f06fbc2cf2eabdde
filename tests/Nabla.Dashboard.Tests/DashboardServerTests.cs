using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Dashboard.Tests;

/// <summary>
/// The dashboard's server over HTTP, as the page and as an attacker reach it: the runs it lists and serves equal what
/// the run-log reader reads; the stream sends a run whole, then what each change added, and its end before the server
/// stops; nothing outside the log folder is ever served; hostile strings arrive as inert JSON.
/// </summary>
public sealed class DashboardServerTests : TemporaryFolder
{
    private static readonly TimeSpan FastPolling = TimeSpan.FromMilliseconds(20);

    private Task<DashboardServer> Start(TimeSpan? poll = null, string? live = null) =>
        DashboardServer.StartAsync(new DashboardOptions(Folder) { PollInterval = poll ?? FastPolling, LiveRun = live });

    private static async Task<JsonElement> GetJson(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Runs_ListsEveryRunInTheFolderAndTwoLevelsDown_WithItsSummary_AndADamagedLogWithItsError()
    {
        RunLogs.Train(PathOf("first"), epochs: 5);
        RunLogs.Train(Path.Combine(Folder, "search", "trial-1"), epochs: 3);
        Directory.CreateDirectory(Path.Combine(Folder, "a", "b", "c"));
        RunLogs.Train(Path.Combine(Folder, "a", "b", "c", "too-deep"), epochs: 2);
        Directory.CreateDirectory(PathOf("damaged"));
        File.WriteAllLines(Path.Combine(PathOf("damaged"), RunLog.FileName), [File.ReadLines(Path.Combine(PathOf("first"), RunLog.FileName)).First(), "{\"event\":\"epoch\"}"]);
        await using var server = await Start(live: "first");
        using var http = new HttpClient { BaseAddress = server.Address };

        var list = await GetJson(http, "/api/runs");

        Assert.Equal(Folder, list.GetProperty("logdir").GetString());
        Assert.Equal("first", list.GetProperty("live").GetString());
        Assert.False(list.GetProperty("truncated").GetBoolean());
        var runs = list.GetProperty("runs").EnumerateArray().ToDictionary(run => run.GetProperty("name").GetString()!);
        Assert.Equal(["damaged", "first", "search/trial-1"], runs.Keys.Order(StringComparer.Ordinal));
        var first = runs["first"];
        var log = RunLogReader.Read(Path.Combine(PathOf("first"), RunLog.FileName));
        Assert.Equal("train", first.GetProperty("kind").GetString());
        Assert.Equal("mlp", first.GetProperty("model").GetString());
        Assert.Equal(5, first.GetProperty("epochs").GetInt32());
        Assert.Equal(5, first.GetProperty("totalEpochs").GetInt32());
        Assert.Equal("completed", first.GetProperty("outcome").GetString());
        Assert.Equal(log.Epochs[^1].Result.Loss, first.GetProperty("lastLoss").GetDouble());
        Assert.Equal(log.Epochs.Min(e => e.Result.ValidationLoss!.Value), first.GetProperty("bestValLoss").GetDouble());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("error").ValueKind);
        Assert.Equal(3, runs["search/trial-1"].GetProperty("epochs").GetInt32());
        string error = runs["damaged"].GetProperty("error").GetString()!;
        Assert.Contains("line 2", error);
        Assert.Equal(0, runs["damaged"].GetProperty("epochs").GetInt32());
    }

    [Fact]
    public async Task Run_ServesEveryEpochAsTheReaderReadsIt_ToTheLastBit()
    {
        string path = RunLogs.Train(PathOf("diagnosed"), epochs: 6, diagnose: true);
        var log = RunLogReader.Read(path);
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        var run = await GetJson(http, "/api/run?name=diagnosed");

        Assert.Equal("diagnosed", run.GetProperty("name").GetString());
        Assert.Equal(log.Settings.Settings.Select(s => (s.Key, s.Value)),
            run.GetProperty("settings").GetProperty("values").EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, s.GetProperty("value").GetString()!)));
        Assert.Equal(0, run.GetProperty("epochsFrom").GetInt32());
        var epochs = run.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(log.Epochs.Count, epochs.Count);
        for (int i = 0; i < epochs.Count; i++)
        {
            var (expected, actual) = (log.Epochs[i], epochs[i]);
            Assert.Equal(expected.Result.Epoch, actual.GetProperty("epoch").GetInt32());
            Assert.Equal(expected.Result.Loss, actual.GetProperty("loss").GetDouble());
            Assert.Equal(expected.Result.Accuracy, actual.GetProperty("accuracy").GetDouble());
            Assert.Equal(expected.Result.ValidationLoss, actual.GetProperty("valLoss").GetDouble());
            Assert.Equal(expected.Result.ValidationAccuracy, actual.GetProperty("valAccuracy").GetDouble());
            Assert.Equal(expected.Result.LearningRate, actual.GetProperty("lr").GetDouble());
            Assert.Equal(expected.Result.Duration.TotalSeconds, actual.GetProperty("seconds").GetDouble());
            Assert.Equal(expected.SamplesPerSecond, actual.GetProperty("samplesPerSecond").GetDouble());
            Assert.Equal(expected.Gradients.Select(g => (g.Name, g.GradientNorm, g.WeightNorm)),
                actual.GetProperty("gradients").EnumerateArray().Select(g => (g.GetProperty("parameter").GetString()!, g.GetProperty("gradNorm").GetDouble(), g.GetProperty("weightNorm").GetDouble())));
            Assert.NotEmpty(expected.Gradients);
        }
        Assert.Equal("completed", run.GetProperty("end").GetProperty("outcome").GetString());
        Assert.Equal(6, run.GetProperty("end").GetProperty("epochs").GetInt32());
        using var missing = await http.GetAsync("/api/run?name=nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Stream_SendsTheRunWhole_ThenOnlyWhatEachChangeAdded_ThenItsEnd()
    {
        string[] lines = File.ReadAllLines(RunLogs.Train(PathOf("source"), epochs: 6));
        string growing = Path.Combine(Directory.CreateDirectory(PathOf("growing")).FullName, RunLog.FileName);
        // The settings and two epochs; the rest comes while the page watches.
        File.WriteAllLines(growing, lines[..3]);
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/api/stream?run=growing", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());

        var list = await events.NextOf("runs");
        Assert.Contains(list.GetProperty("runs").EnumerateArray(), run => run.GetProperty("name").GetString() == "growing");
        var whole = await events.NextOf("run");
        Assert.Equal(0, whole.GetProperty("epochsFrom").GetInt32());
        Assert.Equal([1, 2], whole.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal(JsonValueKind.Null, whole.GetProperty("end").ValueKind);

        File.AppendAllLines(growing, lines[3..5]);
        var added = await events.NextOf("run");
        Assert.Equal(2, added.GetProperty("epochsFrom").GetInt32());
        Assert.Equal([3, 4], added.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));

        File.AppendAllLines(growing, lines[5..]);
        var last = await events.NextOf("run");
        Assert.Equal(4, last.GetProperty("epochsFrom").GetInt32());
        Assert.Equal([5, 6], last.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal("completed", last.GetProperty("end").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Stop_FirstSendsTheOpenPagesWhatTheLogHoldsNow_ThenClosesTheirStreams()
    {
        string[] lines = File.ReadAllLines(RunLogs.Train(PathOf("source"), epochs: 4));
        string log = Path.Combine(Directory.CreateDirectory(PathOf("ending")).FullName, RunLog.FileName);
        File.WriteAllLines(log, lines[..2]);
        // Polling too slow to see the last lines by itself: only the stop's own look at the folder can send them.
        var server = await Start(poll: TimeSpan.FromMinutes(1));
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync("/api/stream?run=ending", HttpCompletionOption.ResponseHeadersRead);
        using var events = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Single((await events.NextOf("run")).GetProperty("epochs").EnumerateArray());

        File.AppendAllLines(log, lines[2..]);
        var stopping = server.DisposeAsync();

        var last = await events.NextOf("run");
        Assert.Equal([2, 3, 4], last.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("epoch").GetInt32()));
        Assert.Equal("completed", last.GetProperty("end").GetProperty("outcome").GetString());
        Assert.Null(await events.Next());
        await stopping;
    }

    [Theory]
    [InlineData("/assets/../../../../../../etc/passwd")]
    [InlineData("/assets/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/../../../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("/assets/LICENSE-uPlot")]
    [InlineData("/api/run?name=../../../../../../etc")]
    [InlineData("/api/run?name=%2Fetc%2Fpasswd")]
    [InlineData("/api/run?name=..")]
    [InlineData("/api/run?name=outside")]
    [InlineData("/api/run?name=linked-log")]
    [InlineData("/api/run?name=pipe")]
    public async Task NothingOutsideTheLogFolder_IsServed_HoweverTheRequestNamesIt(string target)
    {
        // Beside the log folder: a run that a link inside it points to, and a log file a link points to.
        string outside = Directory.CreateTempSubdirectory("nabla-outside-").FullName;
        try
        {
            RunLogs.Train(Path.Combine(outside, "secret"), epochs: 1);
            string logs = Directory.CreateDirectory(PathOf("logs")).FullName;
            Directory.CreateSymbolicLink(Path.Combine(logs, "outside"), Path.Combine(outside, "secret"));
            Directory.CreateDirectory(Path.Combine(logs, "linked-log"));
            File.CreateSymbolicLink(Path.Combine(logs, "linked-log", RunLog.FileName), Path.Combine(outside, "secret", RunLog.FileName));
            // A pipe named like a log: reading it would block the server for ever.
            Directory.CreateDirectory(Path.Combine(logs, "pipe"));
            using (var mkfifo = Process.Start("mkfifo", Path.Combine(logs, "pipe", RunLog.FileName))) mkfifo.WaitForExit();
            RunLogs.Train(Path.Combine(logs, "inside"), epochs: 1);
            await using var server = await DashboardServer.StartAsync(new DashboardOptions(logs) { PollInterval = FastPolling });

            var (status, text) = await RawHttp.Get(server.Address, target);

            Assert.True(status is 400 or 404, $"{target} answered {status}:\n{text}");
            Assert.DoesNotContain("root:", text);
            Assert.DoesNotContain("secret", text);
            using var http = new HttpClient { BaseAddress = server.Address };
            var names = (await GetJson(http, "/api/runs")).GetProperty("runs").EnumerateArray().Select(run => run.GetProperty("name").GetString());
            Assert.Equal(["inside"], names);
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1.evil.example:{port}")]
    [InlineData("127.0.0.1:1")]
    public async Task ARequestAddressedToAnotherHost_IsRefused_AgainstDnsRebinding(string host)
    {
        RunLogs.Train(PathOf("run"), epochs: 1);
        await using var server = await Start();

        var (status, text) = await RawHttp.Get(server.Address, "/api/runs", host.Replace("{port}", $"{server.Address.Port}"));
        var (localStatus, _) = await RawHttp.Get(server.Address, "/api/runs", $"localhost:{server.Address.Port}");

        Assert.Equal(421, status);
        Assert.DoesNotContain("\"runs\"", text);
        Assert.Equal(200, localStatus);
    }

    [Fact]
    public async Task HostileNamesAndSettings_ArriveAsInertJson_WithTheExactText()
    {
        const string Hostile = "<img src=x onerror=alert(1)>\"'&</script>";
        var settings = new Dictionary<string, string> { ["classes"] = $"{Hostile}, cat", [Hostile] = "value", ["model"] = "mlp" };
        RunLogs.Train(PathOf("<img src=x onerror=alert(1)>"), epochs: 2, settings);
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        string list = await http.GetStringAsync("/api/runs");
        string run = await http.GetStringAsync("/api/run?name=" + Uri.EscapeDataString("<img src=x onerror=alert(1)>"));

        foreach (string text in (string[])[list, run])
            Assert.DoesNotContain(text, c => c is '<' or '>' or '&' or '\'');
        var values = JsonDocument.Parse(run).RootElement.GetProperty("settings").GetProperty("values").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);
        Assert.Equal(settings, values);
        Assert.Equal("<img src=x onerror=alert(1)>", JsonDocument.Parse(run).RootElement.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/runs")]
    [InlineData("/no/such/page")]
    public async Task EveryAnswer_ForbidsScriptsFromElsewhere_AndFraming(string path)
    {
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        using var response = await http.GetAsync(path);

        string policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", string.Join(' ', response.Headers.GetValues("X-Content-Type-Options")));
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task ThePage_IsServedFromTheAssembly_WithItsScriptsAndStyles()
    {
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        using var page = await http.GetAsync("/");
        string html = await page.Content.ReadAsStringAsync();

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (string asset in (string[])["app.js", "app.css", "uPlot.iife.min.js", "uPlot.min.css"])
        {
            Assert.Contains($"assets/{asset}", html);
            using var file = await http.GetAsync($"/assets/{asset}");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.True((await file.Content.ReadAsByteArrayAsync()).Length > 100, asset);
        }
    }

    [Fact]
    public async Task ALogTooLargeToRead_IsListedWithItsError_WithoutBeingRead()
    {
        Directory.CreateDirectory(PathOf("huge"));
        // Sparse: 300 MiB of length without the disk space.
        using (var file = File.Create(Path.Combine(PathOf("huge"), RunLog.FileName))) file.SetLength(300L << 20);
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        var run = (await GetJson(http, "/api/runs")).GetProperty("runs").EnumerateArray().Single();

        Assert.Equal("huge", run.GetProperty("name").GetString());
        Assert.Contains("300 MiB", run.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AStreamOfTooManyRuns_IsRefused()
    {
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        string query = string.Join('&', Enumerable.Range(0, EventStream.MaxRuns + 1).Select(i => $"run=r{i}"));
        using var response = await http.GetAsync($"/api/stream?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"at most {EventStream.MaxRuns} runs", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ATakenPort_IsAnIOExceptionNamingTheAddress()
    {
        await using var first = await Start();

        var e = await Assert.ThrowsAsync<IOException>(() => DashboardServer.StartAsync(new DashboardOptions(Folder) { Port = first.Address.Port }));

        Assert.Contains($"cannot listen on 127.0.0.1:{first.Address.Port}", e.Message);
    }

    [Fact]
    public async Task AMissingFolder_OrABadPort_IsRefusedBeforeListening()
    {
        var missing = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => DashboardServer.StartAsync(new DashboardOptions(PathOf("none"))));
        Assert.Contains(PathOf("none"), missing.Message);
        var port = Assert.Throws<ArgumentOutOfRangeException>(() => new DashboardOptions(Folder) { Port = 70000 });
        Assert.Contains("70000", port.Message);
    }

    [Fact]
    public async Task ASearchLog_IsServedWithEveryTrial_AndItsBestScoreByItsDirection()
    {
        var trials = new[]
        {
            new RunTrialEvent(0, "mlp", RunTrialOutcome.Complete, 0.31, 0.02, TimeSpan.FromSeconds(1.5), new Dictionary<string, string> { ["lr"] = "0.01", ["hidden"] = "64" }, null),
            new RunTrialEvent(1, "mlp", RunTrialOutcome.Failed, null, null, TimeSpan.FromSeconds(0.25), new Dictionary<string, string> { ["lr"] = "10", ["hidden"] = "<b>" }, "the loss became NaN"),
            new RunTrialEvent(2, "mlp", RunTrialOutcome.Complete, 0.12, null, TimeSpan.FromSeconds(2), new Dictionary<string, string> { ["lr"] = "0.001", ["hidden"] = "128" }, null),
            new RunTrialEvent(3, "mlp", RunTrialOutcome.Pruned, 0.5, null, TimeSpan.FromSeconds(0.5), new Dictionary<string, string> { ["lr"] = "0.1", ["hidden"] = "32" }, null) { Budget = 3 },
            // Better than any, but measured on a third of the budget: not comparable, so not the best.
            new RunTrialEvent(4, "mlp", RunTrialOutcome.Complete, 0.05, null, TimeSpan.FromSeconds(0.5), new Dictionary<string, string> { ["lr"] = "0.03", ["hidden"] = "16" }, null) { Budget = 3 },
        };
        trials[0] = trials[0] with { Budget = 9 };
        trials[1] = trials[1] with { Budget = 9 };
        trials[2] = trials[2] with { Budget = 9 };
        using (var log = new RunLog(PathOf("search"), new Dictionary<string, string> { ["command"] = "tune", ["metric"] = "neg_rmse", ["direction"] = "minimize", ["models"] = "mlp,svm" }) { IsSearch = true })
        {
            log.Begin();
            foreach (var trial in trials) log.Trial(trial);
            log.End(RunOutcome.Completed);
        }
        await using var server = await Start();
        using var http = new HttpClient { BaseAddress = server.Address };

        var summary = (await GetJson(http, "/api/runs")).GetProperty("runs").EnumerateArray().Single();
        var run = await GetJson(http, "/api/run?name=search");

        Assert.Equal("tune", summary.GetProperty("kind").GetString());
        // A search names the models it searched.
        Assert.Equal("mlp,svm", summary.GetProperty("model").GetString());
        Assert.Equal(5, summary.GetProperty("trials").GetInt32());
        // Lower is better here; a pruned trial's partial score is not a result, nor a score on a smaller budget.
        Assert.Equal(0.12, summary.GetProperty("bestScore").GetDouble());
        Assert.Equal("tune", run.GetProperty("kind").GetString());
        Assert.Equal(0, run.GetProperty("trialsFrom").GetInt32());
        var served = run.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(trials.Length, served.Count);
        for (int i = 0; i < trials.Length; i++)
        {
            Assert.Equal(trials[i].Number, served[i].GetProperty("number").GetInt32());
            Assert.Equal(trials[i].Model, served[i].GetProperty("model").GetString());
            Assert.Equal(trials[i].Outcome.ToString().ToLowerInvariant(), served[i].GetProperty("outcome").GetString());
            Assert.Equal(trials[i].Score, served[i].GetProperty("score").ValueKind == JsonValueKind.Null ? null : served[i].GetProperty("score").GetDouble());
            Assert.Equal(trials[i].Std, served[i].GetProperty("std").ValueKind == JsonValueKind.Null ? null : served[i].GetProperty("std").GetDouble());
            Assert.Equal(trials[i].Duration.TotalSeconds, served[i].GetProperty("seconds").GetDouble());
            Assert.Equal(trials[i].Parameters.Select(p => (p.Key, p.Value)),
                served[i].GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("value").GetString()!)));
            Assert.Equal(trials[i].Error, served[i].GetProperty("error").GetString());
            Assert.Equal(trials[i].Budget, served[i].GetProperty("budget").GetInt32());
        }
        Assert.Equal(5, run.GetProperty("end").GetProperty("trials").GetInt32());
    }
}
