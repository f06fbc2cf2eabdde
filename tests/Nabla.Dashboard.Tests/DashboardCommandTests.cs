using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Nabla.Cli.Tests;
using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Dashboard.Tests;

/// <summary>
/// <c>nabla dashboard</c> and <c>nabla train --dashboard</c> as a user runs them: the address printed, the page served
/// until Ctrl-C or the end of training, the warning when other machines can see it, one-line errors for bad options,
/// and a training killed with SIGKILL still shown with every epoch it finished.
/// </summary>
public sealed class DashboardCommandTests : TemporaryFolder
{
    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    private static async Task<JsonElement> GetJson(Uri page, string path)
    {
        using var http = new HttpClient { BaseAddress = page };
        return JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();
    }

    [Fact]
    public async Task Dashboard_ServesTheFolderUntilCtrlC_ThenExitsCleanly()
    {
        RunLogs.Train(PathOf("runs/first"), epochs: 3);
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));

        var page = dashboard.WaitForAddress();
        Assert.Equal("127.0.0.1", page.Host);
        var runs = await GetJson(page, "/api/runs");
        Assert.Equal("first", runs.GetProperty("runs")[0].GetProperty("name").GetString());
        dashboard.Interrupt();

        Assert.Equal(0, dashboard.WaitForExit());
        Assert.Empty(dashboard.ErrorLines);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GetJson(page, "/api/runs"));
    }

    [Fact]
    public void Dashboard_OnEveryNetwork_WarnsLoudly()
    {
        Directory.CreateDirectory(PathOf("runs"));
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"), "--host", "0.0.0.0");

        dashboard.WaitForLine(line => line.StartsWith("Dashboard of", StringComparison.Ordinal));
        dashboard.Interrupt();
        Assert.Equal(0, dashboard.WaitForExit());

        string warning = Assert.Single(dashboard.ErrorLines);
        Assert.StartsWith("WARNING: the dashboard listens on 0.0.0.0", warning);
        Assert.Contains("no password", warning);
    }

    [Theory]
    [InlineData("missing", "--logdir 'missing' does not exist")]
    [InlineData("--port=70000", "--port takes a port from 1 to 65535 (0 or none for a free one), got '70000'")]
    [InlineData("--port=-1", "--port takes a port from 1 to 65535")]
    [InlineData("--host=example.com", "--host takes an IP address")]
    [InlineData("--host=", "--host")]
    public void Dashboard_BadOptions_GetOneLineNamingTheProblem(string option, string expected)
    {
        Directory.CreateDirectory(PathOf("runs"));
        string[] args = option == "missing" ? ["dashboard", "--logdir", "missing"] : ["dashboard", "--logdir", PathOf("runs"), option];

        var run = ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly, args);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.StandardError);
        Assert.Empty(run.OutputLines);
    }

    [Fact]
    public void Dashboard_OnATakenPort_SaysSo()
    {
        Directory.CreateDirectory(PathOf("runs"));
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = Nabla("dashboard", "--logdir", PathOf("runs"), "--port", $"{port}");

        Assert.Equal(1, run.ExitCode);
        string error = Assert.Single(run.ErrorLines);
        Assert.Contains($"cannot listen on 127.0.0.1:{port}", error);
        Assert.Contains($"is port {port} taken by another program?", error);
    }

    [Fact]
    public async Task TrainWithDashboard_PrintsTheAddress_ServesTheRunLive_AndStopsWithTheTraining()
    {
        using var train = new BackgroundNabla("train", "--epochs", "400", "--batch-size", "16", "--out", PathOf("model.safetensors"),
            "--logdir", PathOf("runs"), "--run-name", "live", "--dashboard", "--quiet");

        var page = train.WaitForAddress();
        var runs = await GetJson(page, "/api/runs");
        Assert.Equal("live", runs.GetProperty("live").GetString());
        Assert.Equal(0, train.WaitForExit());

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => GetJson(page, "/api/runs"));
        var log = RunLogReader.Read(Path.Combine(PathOf("runs"), "live", RunLog.FileName));
        Assert.Equal(400, log.Epochs.Count);
        Assert.Contains("classes", log.Settings.Settings.Keys);
    }

    [Theory]
    [InlineData("--host 127.0.0.1", "--host sets the address of the page that --dashboard serves; give --dashboard too.")]
    [InlineData("--dashboard --logdir none", "--dashboard shows the run log, and this run writes none")]
    [InlineData("--dashboard --model linear", "--dashboard does not apply to --model linear")]
    [InlineData("--dashboard 99999", "--dashboard takes a port from 1 to 65535")]
    [InlineData("--dashboard --find-lr", "--dashboard does not apply with --find-lr")]
    public void TrainWithDashboard_BadCombinations_GetOneLine(string options, string expected)
    {
        var run = ProgramRun.StartIn(Folder, RepositoryLayout.CliAssembly, ["train", "--epochs", "1", .. options.Split(' ')]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(expected, run.StandardError);
        Assert.False(Directory.Exists(PathOf("runs")));
    }

    [Fact]
    public async Task ATrainingKilledWithSigkill_IsStillShownWithEveryEpochItFinished()
    {
        string log = BackgroundNabla.KilledTraining(PathOf("runs"), "killed", PathOf("model.safetensors"), epochs: 4);
        var written = RunLogReader.Read(log);
        Assert.True(written.Epochs.Count >= 4, $"{written.Epochs.Count} epochs");
        Assert.Null(written.End);
        using var dashboard = new BackgroundNabla("dashboard", "--logdir", PathOf("runs"));
        var page = dashboard.WaitForAddress();

        var run = await GetJson(page, "/api/run?name=killed");

        Assert.Equal(written.Epochs.Select(e => e.Result.Loss), run.GetProperty("epochs").EnumerateArray().Select(e => e.GetProperty("loss").GetDouble()));
        Assert.Equal(JsonValueKind.Null, run.GetProperty("end").ValueKind);
        Assert.Equal(JsonValueKind.Null, run.GetProperty("error").ValueKind);
        dashboard.Interrupt();
        Assert.Equal(0, dashboard.WaitForExit());
    }
}
