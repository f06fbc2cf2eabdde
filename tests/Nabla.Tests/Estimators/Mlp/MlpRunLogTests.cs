using Nabla.Data;
using Nabla.Estimators;
using Nabla.Training;

namespace Nabla.Tests.Estimators;

/// <summary>
/// <see cref="MlpRunLog"/> on real fits of the MLP estimators: the log reads back as the estimator's own record, epoch
/// by epoch (its loss curve, validation scores and losses), with the settings it was made with, and ends as the fit
/// did (completed, stopped by nIterNoChange, diverged, or thrown), once; a series of PartialFit calls is one run; a
/// second fit is refused before it starts.
/// </summary>
public sealed class MlpRunLogTests : TemporaryFolder
{
    private static double[,] X => MlpFixture.Value.Features;
    private static int[] Labels => [.. MlpFixture.Value.YMulticlass];
    private static double[] Targets => [.. MlpFixture.Value.YRegression];

    [Fact]
    public void AClassifierStoppedEarly_LogsItsLossCurve_AndValidationScores_EpochByEpoch_AndEndsStoppedEarly()
    {
        var reported = new List<MlpEpoch>();
        using var log = new MlpRunLog(PathOf("classifier"), new Dictionary<string, string> { ["data"] = "fixture" });
        var model = new MlpClassifier(hiddenLayerSizes: [8], learningRateInit: 0.05, earlyStopping: true, nIterNoChange: 3, maxIter: 200,
            randomState: 4, progress: new Reports(reported), callback: log).Fit(X, Labels);

        var run = RunLogReader.Read(log.Path);

        Assert.True(model.NIter < 200, "the validation rule should stop the fit");
        Assert.Equal(Enumerable.Range(1, model.NIter), run.Epochs.Select(e => e.Result.Epoch));
        Assert.Equal(model.LossCurve, run.Epochs.Select(e => e.Result.Loss));
        Assert.Equal(model.ValidationScores!, run.Epochs.Select(e => e.Result.ValidationAccuracy!.Value));
        Assert.Equal(model.ValidationLosses!, run.Epochs.Select(e => e.Result.ValidationLoss!.Value));
        Assert.All(run.Epochs, e => Assert.Null(e.Result.Accuracy));
        Assert.All(run.Epochs, e => Assert.Equal(0.05, e.Result.LearningRate));
        Assert.Equal(reported.Select(e => e.Duration), run.Epochs.Select(e => e.Result.Duration));
        // 60 samples, a tenth held out for validation.
        Assert.All(reported, e => Assert.Equal(54, e.Samples));
        Assert.Equal(reported.Select(e => 54 / e.Duration.TotalSeconds), run.Epochs.Select(e => e.SamplesPerSecond));

        var end = run.End!;
        Assert.Equal(RunOutcome.StoppedEarly, end.Outcome);
        Assert.Equal("Validation score did not improve more than tol=0.000100 for 3 consecutive epochs.", end.Reason);
        Assert.Equal(model.NIter, end.Epochs);
        Assert.Null(end.Trials);

        var settings = run.Settings.Settings;
        Assert.Equal("MlpClassifier", settings["estimator"]);
        Assert.Equal("8", settings["hiddenLayerSizes"]);
        Assert.Equal("0.05", settings["learningRateInit"]);
        Assert.Equal("true", settings["earlyStopping"]);
        Assert.Equal("3", settings["nIterNoChange"]);
        Assert.Equal("auto", settings["batchSize"]);
        Assert.Equal("None", settings["classWeight"]);
        Assert.Equal("fixture", settings["data"]);
        Assert.False(settings.ContainsKey("callback"));
        Assert.Equal("classifier", run.Settings.Name);
    }

    [Fact]
    public void ARegressorThatRanEveryEpoch_EndsCompleted_WithoutValidationFields()
    {
        using var log = new MlpRunLog(PathOf("regressor"));
        var model = new MlpRegressor(hiddenLayerSizes: [5], solver: Solver.Sgd, maxIter: 6, tol: 0, randomState: 1, callback: log).Fit(X, Targets);

        var run = RunLogReader.Read(log.Path);

        Assert.Equal(model.LossCurve, run.Epochs.Select(e => e.Result.Loss));
        Assert.All(run.Epochs, e => Assert.Null(e.Result.ValidationLoss));
        Assert.All(run.Epochs, e => Assert.Null(e.Result.ValidationAccuracy));
        Assert.NotNull(model.ConvergenceWarning);
        Assert.Equal(RunOutcome.Completed, run.End!.Outcome);
        Assert.Null(run.End.Reason);
        Assert.Equal(6, run.End.Epochs);
        Assert.Equal("MlpRegressor", run.Settings.Settings["estimator"]);
        Assert.Equal("Sgd", run.Settings.Settings["solver"]);
        Assert.False(run.Settings.Settings.ContainsKey("classWeight"));
    }

    [Fact]
    public void ATrainingLossThatStalls_EndsStoppedEarly_WithTheEstimatorsReason()
    {
        using var log = new MlpRunLog(PathOf("stalled"));
        // No epoch lowers the loss by 10: the rule stops the fit once more than nIterNoChange epochs after the first did not.
        var model = new MlpRegressor(hiddenLayerSizes: [5], tol: 10, nIterNoChange: 2, randomState: 1, callback: log).Fit(X, Targets);

        var run = RunLogReader.Read(log.Path);

        Assert.Equal(4, model.NIter);
        Assert.Equal(model.LossCurve, run.Epochs.Select(e => e.Result.Loss));
        Assert.Equal(RunOutcome.StoppedEarly, run.End!.Outcome);
        Assert.Equal("Training loss did not improve more than tol=10.000000 for 2 consecutive epochs.", run.End.Reason);
    }

    [Fact]
    public void ADivergingFit_EndsFailed_WithTheConvergenceWarning()
    {
        var diabetes = Datasets.Diabetes();
        using var log = new MlpRunLog(PathOf("diverged"));
        var model = new MlpRegressor(solver: Solver.Sgd, maxIter: 1000, randomState: 1, callback: log).Fit(diabetes.Features, diabetes.Target);

        var run = RunLogReader.Read(log.Path);

        Assert.True(model.Diverged);
        Assert.Single(run.Epochs);
        Assert.Equal(RunOutcome.Failed, run.End!.Outcome);
        Assert.Equal(model.ConvergenceWarning, run.End.Reason);
    }

    [Fact]
    public void PartialFits_AreOneRun_EndedByTheCaller()
    {
        using var log = new MlpRunLog(PathOf("parts"));
        var model = new MlpRegressor(hiddenLayerSizes: [5], randomState: 2, callback: log);
        for (int i = 0; i < 3; i++) model.PartialFit(X, Targets);
        var open = RunLogReader.Read(log.Path);
        log.End(RunOutcome.Completed);
        log.End(RunOutcome.Failed, "a second end is ignored");

        var run = RunLogReader.Read(log.Path);

        Assert.Equal([1, 2, 3], open.Epochs.Select(epoch => epoch.Result.Epoch));
        Assert.Equal(model.LossCurve, open.Epochs.Select(epoch => epoch.Result.Loss));
        Assert.Null(open.End);
        Assert.Equal(RunOutcome.Completed, run.End!.Outcome);
        Assert.Equal(3, run.End.Epochs);
        Assert.Contains("already recorded a series of PartialFit calls", Assert.Throws<InvalidOperationException>(() => model.PartialFit(X, Targets)).Message);
    }

    [Fact]
    public void AFitThatThrows_EndsFailed_WithItsMessage()
    {
        using var log = new MlpRunLog(PathOf("thrown"));
        // Initial weights of one layer for a network of two: checked when the fit has begun.
        var model = new MlpRegressor(hiddenLayerSizes: [5], callback: log).SetInitialWeights([Tensor.Zeros([5, 1], DType.Float64)], [Tensor.Zeros([1], DType.Float64)]);

        var e = Assert.Throws<ArgumentException>(() => model.Fit(X, Targets));
        var run = RunLogReader.Read(log.Path);

        Assert.Contains("the initial weights have 1 layers, the network has 2", e.Message);
        Assert.Empty(run.Epochs);
        Assert.Equal(RunOutcome.Failed, run.End!.Outcome);
        Assert.Equal(e.Message, run.End.Reason);
        Assert.Equal(0, run.End.Epochs);
    }

    [Fact]
    public void ASecondFit_IsRefusedBeforeItStarts_AndTheLogStaysAsItWas()
    {
        using var log = new MlpRunLog(PathOf("once"));
        var model = new MlpRegressor(hiddenLayerSizes: [5], maxIter: 3, tol: 0, randomState: 1, callback: log).Fit(X, Targets);
        byte[] before = File.ReadAllBytes(log.Path);
        var coefs = model.Coefs[0].ToDoubleArray();

        var e = Assert.Throws<InvalidOperationException>(() => model.Fit(X, Targets));

        Assert.Contains($"the log in '{PathOf("once")}' already recorded a fit", e.Message);
        Assert.Equal(before, File.ReadAllBytes(log.Path));
        Assert.Equal(coefs, model.Coefs[0].ToDoubleArray());
    }

    [Fact]
    public void AFolderThatHoldsALog_IsNeverWrittenOver()
    {
        using (var first = new MlpRunLog(PathOf("taken"))) new MlpRegressor(hiddenLayerSizes: [5], maxIter: 2, tol: 0, callback: first).Fit(X, Targets);
        string path = Path.Combine(PathOf("taken"), RunLog.FileName);
        byte[] before = File.ReadAllBytes(path);

        using var second = new MlpRunLog(PathOf("taken"));
        var e = Assert.Throws<IOException>(() => new MlpRegressor(hiddenLayerSizes: [5], maxIter: 2, callback: second).Fit(X, Targets));

        Assert.Contains("already holds a run log", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void ASettingNamedAsTheEstimatorsOwn_IsRefused_AndLbfgsWritesNothing()
    {
        using var clash = new MlpRunLog(PathOf("clash"), new Dictionary<string, string> { ["alpha"] = "mine" });
        using var lbfgs = new MlpRunLog(PathOf("lbfgs"));

        var e = Assert.Throws<ArgumentException>(() => new MlpRegressor(hiddenLayerSizes: [5], callback: clash).Fit(X, Targets));
        new MlpRegressor(hiddenLayerSizes: [5], solver: Solver.Lbfgs, maxIter: 5, callback: lbfgs).Fit(X, Targets);

        Assert.Contains("the setting \"alpha\" given to the log", e.Message);
        Assert.False(File.Exists(clash.Path));
        Assert.False(File.Exists(lbfgs.Path));
        Assert.Contains("no folder name", Assert.Throws<ArgumentException>(() => new MlpRunLog("/")).Message);
    }

    private sealed class Reports(List<MlpEpoch> into) : IProgress<MlpEpoch>
    {
        public void Report(MlpEpoch value) => into.Add(value);
    }
}
