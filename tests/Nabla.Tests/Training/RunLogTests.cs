using System.Text;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// <see cref="RunLog"/> on real fits: what it writes reads back as the trainer's own record, to the last digit; it
/// never writes over another run's log; and a run stopped by an exception ends its log as the caller says.
/// </summary>
public sealed class RunLogTests : TemporaryFolder
{
    private static readonly Dictionary<string, string> Settings = new(StringComparer.Ordinal)
    {
        ["lr"] = "0.01",
        ["label"] = "<img src=x onerror=alert(1)> \"quoted\"\nnew line, é, 日本",
    };

    /// <summary>An MLP on three blobs with Adam, 12 epochs of 8 batches, validating on a fifth of the samples.</summary>
    private static (Trainer Trainer, DataLoader Train, DataLoader Validation) Classifier()
    {
        var (x, y) = Blobs.Classification(160);
        var model = Networks.Mlp([4, 16, 3], () => new ReLU());
        var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 0.01));
        var (train, validation) = new DataLoader(x, y, 16, shuffle: true, generator: new Generator(2)).Split(0.2, 3);
        return (trainer, train, validation);
    }

    [Fact]
    public void EventsReadBack_EqualTheHistory_TheGradientReports_AndTheSteps()
    {
        var (trainer, train, validation) = Classifier();
        var diagnostics = new GradientDiagnostics();
        var stopping = new EarlyStopping(patience: 2, minDelta: 0.05);
        var steps = new List<(long Step, double Loss, double Rate)>();
        using var log = new RunLog(PathOf("blobs"), Settings) { StepInterval = 3 };
        trainer.Callbacks.Add(diagnostics);
        trainer.Callbacks.Add(stopping);
        trainer.Callbacks.Add(log);
        trainer.Callbacks.Add(new StepRecorder(steps));
        var history = trainer.Fit(train, epochs: 12, validation);

        var run = RunLogReader.Read(log.Path);

        Assert.Equal(Path.Combine(PathOf("blobs"), "events.jsonl"), log.Path);
        Assert.Equal("blobs", run.Settings.Name);
        Assert.Equal(Settings, run.Settings.Settings);
        Assert.False(string.IsNullOrEmpty(run.Settings.NablaVersion));
        Assert.InRange(run.Settings.Start, DateTimeOffset.Now.AddMinutes(-5), DateTimeOffset.Now);
        // Record equality: every loss, accuracy, rate and duration to the last bit.
        Assert.Equal(history.Epochs, run.Epochs.Select(e => e.Result));
        Assert.Equal(history.Epochs, run.ToHistory().Epochs);
        Assert.Equal(diagnostics.EpochReports.Count, run.Epochs.Count);
        for (int i = 0; i < run.Epochs.Count; i++)
        {
            var expected = diagnostics.EpochReports[i].Parameters;
            var actual = run.Epochs[i].Gradients;
            Assert.Equal(expected.Select(p => (p.Name, Shape: string.Join(',', p.Shape), p.GradientNorm, p.WeightNorm, p.UpdateRatio)),
                actual.Select(p => (p.Name, Shape: string.Join(',', p.Shape), p.GradientNorm, p.WeightNorm, p.UpdateRatio)));
            // 128 training samples an epoch.
            Assert.Equal(128 / history.Epochs[i].Duration.TotalSeconds, run.Epochs[i].SamplesPerSecond, 1e-9);
        }
        Assert.Equal(steps.Where(s => s.Step % 3 == 0), run.Steps.Select(s => (s.Step, s.Loss, s.LearningRate)));
        Assert.NotEmpty(run.Steps);
        var end = Assert.IsType<RunEndEvent>(run.End);
        Assert.Equal(history.StopReason is null ? RunOutcome.Completed : RunOutcome.StoppedEarly, end.Outcome);
        Assert.Equal(history.StopReason, end.Reason);
        Assert.Equal(history.Epochs.Count, end.Epochs);
        Assert.Equal(stopping.BestEpoch, end.BestEpoch);
        Assert.Null(run.IgnoredPartialLine);
    }

    [Fact]
    public void EarlyStopping_EndsTheLogAsStoppedEarly_WithItsReason()
    {
        var (trainer, train, validation) = Classifier();
        using var log = new RunLog(PathOf("stopped"));
        trainer.Callbacks.Add(new EarlyStopping(patience: 1, minDelta: 10));
        trainer.Callbacks.Add(log);
        var history = trainer.Fit(train, epochs: 12, validation);

        var end = RunLogReader.Read(log.Path).End!;

        Assert.Equal(2, history.Epochs.Count);
        Assert.Equal(RunOutcome.StoppedEarly, end.Outcome);
        Assert.StartsWith("early stopping: ValidationLoss did not improve for 1 epochs", end.Reason);
        Assert.Equal(1, end.BestEpoch);
    }

    [Fact]
    public void WithoutGradientDiagnostics_EpochsHaveNoGradients_AndRegressionNoAccuracy()
    {
        var (x, y) = Blobs.Regression(64);
        var model = Networks.Mlp([3, 8, 1], () => new Tanh());
        var trainer = new Trainer(model, new MseLoss(), new Sgd(model.Parameters(), 0.05));
        using var log = new RunLog(PathOf("regression"));
        trainer.Callbacks.Add(log);
        var history = trainer.Fit(new DataLoader(x, y, 16), epochs: 3);

        var run = RunLogReader.Read(log.Path);

        Assert.Equal(history.Epochs, run.Epochs.Select(e => e.Result));
        Assert.All(run.Epochs, e => Assert.Empty(e.Gradients));
        Assert.All(run.Epochs, e => Assert.Null(e.Result.Accuracy));
        Assert.All(run.Epochs, e => Assert.Null(e.Result.ValidationLoss));
        Assert.Empty(run.Steps);
        Assert.Equal(RunOutcome.Completed, run.End!.Outcome);
        Assert.Null(run.End.BestEpoch);
        Assert.Null(run.End.Reason);
    }

    [Fact]
    public void ASecondRun_IntoTheSameFolder_IsRefused_AndTheFirstLogStaysAsItWas()
    {
        var (first, train, validation) = Classifier();
        using (var log = new RunLog(PathOf("same")))
        {
            first.Callbacks.Add(log);
            first.Fit(train, epochs: 2, validation);
        }
        byte[] before = File.ReadAllBytes(Path.Combine(PathOf("same"), RunLog.FileName));

        var (second, train2, validation2) = Classifier();
        using var again = new RunLog(PathOf("same"));
        second.Callbacks.Add(again);
        var e = Assert.Throws<IOException>(() => second.Fit(train2, epochs: 2, validation2));

        Assert.Contains("already holds a run log", e.Message);
        Assert.Contains(Path.Combine(PathOf("same"), RunLog.FileName), e.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(PathOf("same"), RunLog.FileName)));
    }

    [Fact]
    public void GradientDiagnosticsAfterTheLog_IsRefusedBeforeTraining()
    {
        var (trainer, train, validation) = Classifier();
        using var log = new RunLog(PathOf("order"));
        trainer.Callbacks.Add(log);
        trainer.Callbacks.Add(new GradientDiagnostics());

        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(train, epochs: 1, validation));

        Assert.Contains("RunLog must come after GradientDiagnostics", e.Message);
        Assert.False(File.Exists(log.Path));
    }

    [Fact]
    public void ARunStoppedByAnException_KeepsItsFinishedEpochs_AndEndsAsTheCallerSays()
    {
        var (trainer, train, validation) = Classifier();
        using var log = new RunLog(PathOf("interrupted"));
        trainer.Callbacks.Add(log);
        trainer.Callbacks.Add(new ThrowAtEpoch(3));
        Assert.Throws<OperationCanceledException>(() => trainer.Fit(train, epochs: 10, validation));
        log.End(RunOutcome.Interrupted, "Ctrl-C");
        log.End(RunOutcome.Failed, "a second end is ignored");

        var run = RunLogReader.Read(log.Path);

        Assert.Equal(trainer.History.Epochs, run.Epochs.Select(e => e.Result));
        Assert.Equal(2, run.Epochs.Count);
        Assert.Equal(RunOutcome.Interrupted, run.End!.Outcome);
        Assert.Equal("Ctrl-C", run.End.Reason);
        Assert.Equal(2, run.End.Epochs);
    }

    [Fact]
    public void BadSettings_AreRefusedNamingThem()
    {
        Assert.Throws<ArgumentException>(() => new RunLog(""));
        Assert.Contains("no folder name", Assert.Throws<ArgumentException>(() => new RunLog("/")).Message);
        Assert.Contains("got -1", Assert.Throws<ArgumentOutOfRangeException>(() => new RunLog(PathOf("x")) { StepInterval = -1 }).Message);
        Assert.Equal("x", new RunLog(PathOf("x") + Path.DirectorySeparatorChar).Name);
    }

    [Fact]
    public void EveryLine_IsOneJsonObject_EndingInANewline()
    {
        var (trainer, train, validation) = Classifier();
        using var log = new RunLog(PathOf("lines"), Settings);
        trainer.Callbacks.Add(log);
        trainer.Fit(train, epochs: 2, validation);

        string text = File.ReadAllText(log.Path, Encoding.UTF8);

        Assert.EndsWith("}\n", text);
        string[] lines = text[..^1].Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("{\"event\":\"", line));
        // The label's markup is escaped in the JSON itself, so a page that shows it raw cannot run it.
        Assert.DoesNotContain("<img", text);
    }

    /// <summary>Records each step's number, loss and learning rate as the trainer reports them.</summary>
    private sealed class StepRecorder(List<(long Step, double Loss, double Rate)> steps) : ITrainingCallback
    {
        public void OnBatchEnd(Trainer trainer, Batch batch) => steps.Add((trainer.Step, trainer.BatchLoss, trainer.Optimizer.LearningRate));
    }

    /// <summary>Throws at the first batch of an epoch, as an interruption does.</summary>
    private sealed class ThrowAtEpoch(int epoch) : ITrainingCallback
    {
        public void OnBatchEnd(Trainer trainer, Batch batch)
        {
            if (trainer.Epoch == epoch) throw new OperationCanceledException();
        }
    }
}
