using System.Text;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// <see cref="RunLog"/> on real fits: what it writes reads back as the trainer's own record, to the last digit; it
/// never writes over another run's log; and a run stopped by an exception ends its log as the caller says. Written
/// without a trainer (<see cref="RunLog.Begin"/>), a search's trials read back field by field, with the same guarantees.
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

    /// <summary>
    /// The four kinds of trial a search ends: scored with a deviation, scored NaN without one, pruned, failed; two with a
    /// learning curve, not finite at some steps.
    /// </summary>
    private static readonly RunTrialEvent[] Trials =
    [
        new(2, "mlp", RunTrialOutcome.Complete, 0.9583333333333334, 0.0294627825494395, TimeSpan.FromTicks(12_345_678),
            new Dictionary<string, string> { ["lr"] = "0.0012345678901234567", ["hidden"] = "128,64", ["activation"] = "relu" }, null)
        {
            Budget = 27,
            Curve = [new(1, 0.5), new(2, double.NaN), new(27, 0.9583333333333334)],
        },
        new(0, "logistic", RunTrialOutcome.Complete, double.NaN, null, TimeSpan.Zero, new Dictionary<string, string> { ["alpha"] = "1E-05" }, null),
        new(1, "mlp", RunTrialOutcome.Pruned, null, null, TimeSpan.FromMilliseconds(250), new Dictionary<string, string> { ["lr"] = "0.1" }, null)
        {
            Budget = 3,
            Curve = [new(0, -0.25), new(1, double.NegativeInfinity)],
        },
        new(3, "svm", RunTrialOutcome.Failed, null, null, TimeSpan.FromSeconds(1.5), new Dictionary<string, string>(),
            "the loss became NaN at epoch 2, \"step\" 7\nlower the learning rate; <b>é</b>"),
    ];

    [Fact]
    public void ASearchWrittenWithoutATrainer_ReadsBackEveryTrial_FieldByField()
    {
        using var log = new RunLog(PathOf("search"), Settings) { IsSearch = true };
        log.Begin();
        foreach (var trial in Trials) log.Trial(trial);
        log.End(RunOutcome.Interrupted, "Ctrl-C");

        var run = RunLogReader.Read(log.Path);

        Assert.Equal("search", run.Settings.Name);
        Assert.Equal(Settings, run.Settings.Settings);
        Assert.Equal(Trials.Length, run.Trials.Count);
        for (int i = 0; i < Trials.Length; i++)
        {
            var (written, read) = (Trials[i], run.Trials[i]);
            // The record holds a dictionary and a list, compared by reference: those are compared on their own.
            Assert.Equal(written with { Parameters = read.Parameters, Curve = read.Curve }, read);
            Assert.Equal(written.Parameters, read.Parameters);
            Assert.Equal(written.Curve, read.Curve);
        }
        Assert.True(double.IsNaN(run.Trials[1].Score!.Value));
        Assert.Empty(run.Epochs);
        Assert.Empty(run.Steps);
        var end = run.End!;
        Assert.Equal(RunOutcome.Interrupted, end.Outcome);
        Assert.Equal("Ctrl-C", end.Reason);
        Assert.Equal(4, end.Trials);
        Assert.Equal(0, end.Epochs);
        Assert.Null(end.BestEpoch);
        Assert.Null(run.IgnoredPartialLine);
    }

    [Fact]
    public void ASearchEndedBeforeItsFirstTrial_CountsNoTrials_AndATrainingsEndNone()
    {
        using (var search = new RunLog(PathOf("empty")) { IsSearch = true })
        {
            search.Begin();
            search.End(RunOutcome.Failed, "no data");
        }
        var (trainer, train, validation) = Classifier();
        using var training = new RunLog(PathOf("training"));
        trainer.Callbacks.Add(training);
        trainer.Fit(train, epochs: 1, validation);

        var searched = RunLogReader.Read(Path.Combine(PathOf("empty"), RunLog.FileName));
        var trained = RunLogReader.Read(training.Path);

        Assert.Equal(0, searched.End!.Trials);
        Assert.Empty(searched.Trials);
        Assert.Null(trained.End!.Trials);
        Assert.Equal(1, trained.End.Epochs);
        Assert.Empty(trained.Trials);
    }

    [Fact]
    public void EpochsWrittenWithoutATrainer_ReadBackAsWritten_AndEndCountingThem()
    {
        var epochs = new[]
        {
            new RunEpochEvent(new EpochResult(3, 0.75, null, 0.5, 0.875, 1e-3, TimeSpan.FromTicks(1_234_567)), 4096.5, []),
            new RunEpochEvent(new EpochResult(4, double.PositiveInfinity, 0.25, null, null, 5e-4, TimeSpan.Zero), double.NaN, []),
        };
        using var log = new RunLog(PathOf("epochs"));
        log.Begin();
        foreach (var epoch in epochs) log.Epoch(epoch);
        log.End(RunOutcome.StoppedEarly, "stalled");

        var run = RunLogReader.Read(log.Path);

        Assert.Equal(epochs.Select(e => e.Result), run.Epochs.Select(e => e.Result));
        Assert.Equal([4096.5, double.NaN], run.Epochs.Select(e => e.SamplesPerSecond));
        Assert.Equal(2, run.End!.Epochs);
        Assert.Null(run.End.Trials);
        Assert.Equal("stalled", run.End.Reason);
    }

    [Fact]
    public void TheWriterWithoutATrainer_NeverWritesOverAnotherLog_NorBeginsTwice()
    {
        using (var first = new RunLog(PathOf("taken")) { IsSearch = true })
        {
            first.Begin();
            first.Trial(Trials[0]);
        }
        string path = Path.Combine(PathOf("taken"), RunLog.FileName);
        byte[] before = File.ReadAllBytes(path);

        using var second = new RunLog(PathOf("taken")) { IsSearch = true };
        var e = Assert.Throws<IOException>(second.Begin);
        using var twice = new RunLog(PathOf("twice"));
        twice.Begin();

        Assert.Contains($"'{path}' already holds a run log", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(PathOf("taken")));
        Assert.Contains("has begun already", Assert.Throws<InvalidOperationException>(twice.Begin).Message);
    }

    [Fact]
    public void WritesOutOfPlace_AreRefused_SoTheLogStaysReadable()
    {
        using var search = new RunLog(PathOf("refusals")) { IsSearch = true };
        Assert.Contains("call Begin() first", Assert.Throws<InvalidOperationException>(() => search.Trial(Trials[0])).Message);
        search.Begin();
        search.Trial(Trials[0]);
        Assert.Contains("trial 2 is in the log already", Assert.Throws<ArgumentException>(() => search.Trial(Trials[0])).Message);
        Assert.Contains("trial -1 has a negative number", Assert.Throws<ArgumentException>(() => search.Trial(Trials[1] with { Number = -1 })).Message);
        Assert.Contains("has the outcome 7", Assert.Throws<ArgumentException>(() => search.Trial(Trials[1] with { Outcome = (RunTrialOutcome)7 })).Message);
        Assert.Contains("has the budget 0; a budget is at least 1", Assert.Throws<ArgumentException>(() => search.Trial(Trials[1] with { Number = 5, Budget = 0 })).Message);
        Assert.Contains("trial 5's curve has step 2 at point 2; steps are at least 0 and increase",
            Assert.Throws<ArgumentException>(() => search.Trial(Trials[1] with { Number = 5, Curve = [new(2, 0.5), new(2, 0.6)] })).Message);
        Assert.Contains("trial 5's curve has step -1 at point 1",
            Assert.Throws<ArgumentException>(() => search.Trial(Trials[1] with { Number = 5, Curve = [new(-1, 0.5)] })).Message);
        Assert.Contains("expected a duration of at least 0", Assert.Throws<ArgumentException>(() => search.Trial(Trials[1] with { Duration = TimeSpan.FromSeconds(-1) })).Message);
        Assert.Contains("holds trials, not epochs", Assert.Throws<InvalidOperationException>(() => search.Epoch(new RunEpochEvent(new EpochResult(1, 1, null, null, null, 1, TimeSpan.Zero), 1, []))).Message);
        search.End(RunOutcome.Completed);
        Assert.Contains("has ended", Assert.Throws<InvalidOperationException>(() => search.Trial(Trials[1])).Message);

        using var training = new RunLog(PathOf("training-refusals"));
        training.Begin();
        Assert.Contains("create the log of a search with IsSearch = true", Assert.Throws<InvalidOperationException>(() => training.Trial(Trials[1])).Message);
        training.Epoch(new RunEpochEvent(new EpochResult(2, 1, null, null, null, 1, TimeSpan.Zero), 1, []));
        Assert.Contains("epoch 2 does not follow epoch 2", Assert.Throws<ArgumentException>(() => training.Epoch(new RunEpochEvent(new EpochResult(2, 1, null, null, null, 1, TimeSpan.Zero), 1, []))).Message);

        var (trainer, train, validation) = Classifier();
        using var searchForATrainer = new RunLog(PathOf("trainer")) { IsSearch = true };
        trainer.Callbacks.Add(searchForATrainer);
        Assert.Contains("is a search's", Assert.Throws<InvalidOperationException>(() => trainer.Fit(train, epochs: 1, validation)).Message);

        var read = RunLogReader.Read(search.Path);
        Assert.Equal([2], read.Trials.Select(t => t.Number));
        Assert.Equal(1, read.End!.Trials);
        Assert.Equal([2], RunLogReader.Read(training.Path).Epochs.Select(e => e.Result.Epoch));
    }

    [Fact]
    public void ATrainersLog_RefusesTheWritesOfOtherCode()
    {
        var (trainer, train, validation) = Classifier();
        using var log = new RunLog(PathOf("trained"));
        trainer.Callbacks.Add(log);
        trainer.Fit(train, epochs: 1, validation);

        Assert.Contains("has begun already", Assert.Throws<InvalidOperationException>(log.Begin).Message);
        Assert.Contains("records a trainer's fit", Assert.Throws<InvalidOperationException>(() => log.Epoch(new RunEpochEvent(new EpochResult(2, 1, null, null, null, 1, TimeSpan.Zero), 1, []))).Message);
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
