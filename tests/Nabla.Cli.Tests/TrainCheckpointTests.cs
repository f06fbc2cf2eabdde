using Nabla.Tests;
using Nabla.Training;

namespace Nabla.Cli.Tests;

/// <summary>
/// <c>nabla train --checkpoint-dir</c> and <c>--resume</c> on real processes: a run killed with
/// SIGKILL and resumed ends with the weights of a run never stopped, bit for bit; a checkpoint of
/// other settings, or none at all, is refused; SIGTERM (as Ctrl-C) stops a run between batches, leaving
/// the last checkpoint whole and no temporary file.
/// </summary>
public sealed class TrainCheckpointTests : TemporaryFolder
{
    private const int SigTerm = 15;

    // About 0.01 s an epoch here: enough that a busy machine still catches the run between epochs 2 and the last.
    private const int Epochs = 200;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static string Cli => RepositoryLayout.CliAssembly;

    /// <summary>The built-in digits with the default MLP: enough epochs that the run is still going when the test kills it.</summary>
    private static string[] Settings(string checkpoints, string model, params string[] options) =>
        ["train", "--epochs", Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--quiet", "--checkpoint-dir", checkpoints, "--out", model, .. options];

    /// <summary>
    /// The default run; one whose schedule steps each batch and cycles Adam's beta1, with dropout masks drawn
    /// from a generator and batch normalisation's running statistics; and one with a schedule and early
    /// stopping that both watch the validation loss and keep state across epochs (the best weights among it).
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("--lr-schedule onecycle --dropout 0.2 --batch-norm --weight-decay 0.01 --clip-grad-value 0.5")]
    [InlineData("--lr-schedule plateau --lr-patience 3 --early-stopping 100")]
    public void KilledAndResumed_EndsBitIdenticalToAnUninterruptedRun(string options)
    {
        string[] extra = options.Length == 0 ? [] : options.Split(' ');
        string checkpoints = PathOf("checkpoints"), resumed = PathOf("resumed.safetensors");
        using (var process = ProgramRun.StartInBackground(Cli, Settings(checkpoints, resumed, extra)))
        {
            int reached = WaitForEpoch(Path.Combine(checkpoints, CheckpointCallback.FileName), process, atLeast: 2);
            process.Kill();
            process.WaitForExit();
            Assert.InRange(reached, 2, Epochs - 1);
        }
        Assert.False(File.Exists(resumed));
        int killedAt = TrainingCheckpoint.Load(Path.Combine(checkpoints, CheckpointCallback.FileName)).Epoch;
        Assert.InRange(killedAt, 2, Epochs - 1);

        var resume = ProgramRun.Start(Cli, [.. Settings(checkpoints, resumed, extra), "--resume"]);
        var straight = ProgramRun.Start(Cli, Settings(PathOf("straight"), PathOf("straight.safetensors"), extra));

        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.True(straight.ExitCode == 0, straight.ToString());
        var a = SafetensorsHeader.Read(resumed).Data;
        var b = SafetensorsHeader.Read(PathOf("straight.safetensors")).Data;
        Assert.Equal(b.Keys.Order(StringComparer.Ordinal), a.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in b) Assert.True(bytes.AsSpan().SequenceEqual(a[name]), $"tensor {name} differs after resuming from epoch {killedAt}");
        Assert.Equal(TrainingCheckpoint.Load(Path.Combine(PathOf("straight"), CheckpointCallback.FileName)).Epoch,
            TrainingCheckpoint.Load(Path.Combine(checkpoints, CheckpointCallback.FileName)).Epoch);
        AssertTheResumedLogContinuesTheKilledOne(killedAt);
    }

    /// <summary>
    /// The three runs' logs in runs/: the resumed one names its checkpoint and starts after it, and the killed run's epochs
    /// up to the checkpoint followed by the resumed run's are the uninterrupted run's, loss for loss.
    /// </summary>
    private void AssertTheResumedLogContinuesTheKilledOne(int killedAt)
    {
        var logs = Directory.GetDirectories(PathOf("runs")).Select(folder => RunLogReader.Read(Path.Combine(folder, RunLog.FileName))).ToList();
        Assert.Equal(3, logs.Count);
        var resumed = Assert.Single(logs, log => log.Settings.Settings.ContainsKey("resumed_from"));
        var straight = Assert.Single(logs, log => log.End is not null && log != resumed);
        var killed = Assert.Single(logs, log => log.End is null);
        Assert.Equal(Path.Combine(PathOf("checkpoints"), CheckpointCallback.FileName), resumed.Settings.Settings["resumed_from"]);
        Assert.Equal($"{killedAt}", resumed.Settings.Settings["resumed_after_epoch"]);
        Assert.Equal(killedAt + 1, resumed.Epochs[0].Result.Epoch);
        Assert.True(killed.Epochs.Count >= killedAt, $"the killed run logged {killed.Epochs.Count} epochs, and its checkpoint is at {killedAt}");
        var joined = killed.Epochs.Take(killedAt).Concat(resumed.Epochs).Select(e => (e.Result.Epoch, e.Result.Loss, e.Result.ValidationLoss));
        Assert.Equal(straight.Epochs.Select(e => (e.Result.Epoch, e.Result.Loss, e.Result.ValidationLoss)), joined);
    }

    [Fact]
    public void ResumeWithAnotherSchedule_IsRefusedNamingIt()
    {
        string checkpoints = PathOf("checkpoints");
        string[] settings = ["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "2", "--quiet", "--checkpoint-dir", checkpoints, "--out", PathOf("model.safetensors")];
        var first = ProgramRun.Start(Cli, [.. settings, "--lr-schedule", "step", "--lr-step", "1"]);
        Assert.True(first.ExitCode == 0, first.ToString());

        var other = ProgramRun.Start(Cli, [.. settings, "--resume", "--lr-schedule", "step", "--lr-step", "2"]);

        Assert.True(other.ExitCode == 1, other.ToString());
        string line = Assert.Single(other.ErrorLines);
        Assert.StartsWith("error: --resume", line);
        Assert.Contains("lr_step is \"2\" now but \"1\" in the checkpoint", line);
    }

    [Fact]
    public void ResumingAFinishedRun_WritesTheModel()
    {
        string checkpoints = PathOf("checkpoints");
        string[] settings = ["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "3", "--quiet", "--checkpoint-dir", checkpoints];
        var first = ProgramRun.Start(Cli, [.. settings, "--out", PathOf("first.safetensors")]);
        var again = ProgramRun.Start(Cli, [.. settings, "--resume", "--out", PathOf("again.safetensors")]);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(SafetensorsHeader.Read(PathOf("first.safetensors")).Data.Values, SafetensorsHeader.Read(PathOf("again.safetensors")).Data.Values);
    }

    [Fact]
    public void ResumeWithOtherSettings_IsRefusedNamingTheSetting()
    {
        string checkpoints = PathOf("checkpoints");
        string[] settings = ["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "2", "--quiet", "--checkpoint-dir", checkpoints, "--out", PathOf("model.safetensors")];
        var first = ProgramRun.Start(Cli, settings);
        Assert.True(first.ExitCode == 0, first.ToString());

        var other = ProgramRun.Start(Cli, [.. settings, "--resume", "--lr", "0.05"]);

        Assert.True(other.ExitCode == 1, other.ToString());
        string line = Assert.Single(other.ErrorLines);
        Assert.StartsWith("error: --resume", line);
        Assert.Contains("lr is \"0.05\" now but \"0.002\" in the checkpoint", line);
        Assert.DoesNotContain("(Parameter", line);
    }

    [Fact]
    public void ResumingADamagedCheckpoint_IsRefusedNamingTheCheckpoint()
    {
        string checkpoints = PathOf("checkpoints");
        string checkpoint = Path.Combine(checkpoints, CheckpointCallback.FileName);
        string[] settings = ["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "2", "--quiet", "--checkpoint-dir", checkpoints, "--out", PathOf("model.safetensors")];
        var first = ProgramRun.Start(Cli, settings);
        Assert.True(first.ExitCode == 0, first.ToString());
        // The optimizer's learning rate, inside the header's JSON string, changed to a value of the same length.
        string saved = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(checkpoint));
        const string LearningRate = "lr\\u0022:0.002,";
        Assert.Contains(LearningRate, saved);
        File.WriteAllBytes(checkpoint, System.Text.Encoding.Latin1.GetBytes(saved.Replace(LearningRate, "lr\\u0022:-1.00,", StringComparison.Ordinal)));
        File.Delete(PathOf("model.safetensors"));

        var resumed = ProgramRun.Start(Cli, [.. settings, "--resume"]);

        Assert.True(resumed.ExitCode == 1, resumed.ToString());
        string line = Assert.Single(resumed.ErrorLines);
        Assert.StartsWith($"error: --resume '{checkpoint}': the checkpoint cannot continue this run: learning rate must be non-negative, got -1", line);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void TemporaryCheckpointsOfAKilledRun_AreRemovedByTheNextRun()
    {
        string checkpoints = PathOf("checkpoints");
        Directory.CreateDirectory(checkpoints);
        // What SIGKILL during a checkpoint write leaves: an empty temporary, written before this run started.
        string stale = Path.Combine(checkpoints, $".{CheckpointCallback.FileName}.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(stale, []);
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - TimeSpan.FromHours(1));

        var run = ProgramRun.Start(Cli, ["train", "--data", SharedData.PathOf("iris.csv"), "--epochs", "2", "--quiet", "--checkpoint-dir", checkpoints, "--out", PathOf("model.safetensors")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal([Path.Combine(checkpoints, CheckpointCallback.FileName)], Directory.GetFileSystemEntries(checkpoints));
    }

    [Fact]
    public void ResumeWithoutACheckpoint_IsAnError()
    {
        var run = ProgramRun.Start(Cli, ["train", "--quiet", "--checkpoint-dir", PathOf("empty"), "--resume", "--out", PathOf("model.safetensors")]);

        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: --resume: there is no checkpoint to resume from", line);
        Assert.Contains(Path.Combine(PathOf("empty"), CheckpointCallback.FileName), line);
        Assert.False(File.Exists(PathOf("model.safetensors")));
    }

    [Fact]
    public void Terminated_StopsBetweenBatches_WithNoModelAndNoTemporaryFile()
    {
        string checkpoints = PathOf("checkpoints"), model = PathOf("model.safetensors");
        string checkpoint = Path.Combine(checkpoints, CheckpointCallback.FileName);
        using var process = ProgramRun.StartInBackground(Cli, Settings(checkpoints, model));
        WaitForEpoch(checkpoint, process, atLeast: 2);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }
        process.WaitForExit();

        Assert.Equal(128 + SigTerm, process.ExitCode);
        Assert.False(File.Exists(model));
        Assert.Equal([checkpoint], Directory.GetFileSystemEntries(checkpoints));
        Assert.InRange(TrainingCheckpoint.Load(checkpoint).Epoch, 2, Epochs - 1);
    }

    [Fact]
    public void TerminatedBeforeTheFirstCheckpoint_SaysThereIsNothingToResumeYet()
    {
        string checkpoints = PathOf("checkpoints"), model = PathOf("model.safetensors");
        using var started = new ManualResetEventSlim();
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // Wide layers and single-sample batches: the first epoch takes seconds, the signal comes well within it.
        using var process = ProgramRun.StartInBackground(Cli, line => { if (line.StartsWith("Optimizer:", StringComparison.Ordinal)) started.Set(); }, errors.Enqueue,
            "train", "--hidden", "2000,2000", "--batch-size", "1", "--epochs", "3", "--checkpoint-dir", checkpoints, "--out", model);
        Assert.True(started.Wait(Patience), "the run did not print its settings");
        // The signal handlers are installed right after that line.
        Thread.Sleep(300);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        Assert.True(process.WaitForExit(Patience));
        process.WaitForExit();

        Assert.Equal(128 + SigTerm, process.ExitCode);
        Assert.False(File.Exists(model));
        Assert.False(File.Exists(Path.Combine(checkpoints, CheckpointCallback.FileName)), "the run finished its first epoch before the signal; make it slower.");
        string line = Assert.Single(errors, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains("in epoch 1 of 3; no model file was written and no checkpoint yet", line);
        Assert.DoesNotContain("--resume", line);
    }

    /// <summary>Polls the checkpoint until it records <paramref name="atLeast"/> epochs; fails if the process ends first.</summary>
    internal static int WaitForEpoch(string checkpoint, System.Diagnostics.Process process, int atLeast)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Patience)
        {
            Assert.False(process.HasExited, "the run ended before it could be killed; give it more epochs.");
            if (File.Exists(checkpoint))
            {
                int epoch = TrainingCheckpoint.Load(checkpoint).Epoch;
                if (epoch >= atLeast) return epoch;
            }
            Thread.Sleep(5);
        }
        throw new TimeoutException($"{checkpoint} did not reach epoch {atLeast} within {Patience.TotalSeconds} s.");
    }
}
