using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// MlpRegressor.PartialFit and MlpClassifier.PartialFit against scikit-learn's partial_fit from the
/// same initial weights (one epoch a call, the solver's state carried over), and the inputs a fit in
/// parts refuses.
/// </summary>
public class MlpPartialFitTests
{
    private const double Tolerance = 1e-8;

    private static MlpFixture F => MlpFixture.Value;

    public static TheoryData<string> Cases => [.. MlpFixture.Value.PartialFit.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void FollowsScikitLearnsPartialFitTrajectory(string name)
    {
        var c = F.PartialFit.Single(p => p.Name == name);
        var (lossCurve, nIter, tUpdates, bestLoss, coefs, intercepts) = c.Kind == "regressor" ? FitRegressor(c) : FitClassifier(c);
        Assert.Equal(c.NIter, nIter);
        Assert.Equal(c.TUpdates, tUpdates);
        MlpAssert.Close(c.LossCurve, lossCurve, Tolerance, "loss curve");
        MlpAssert.Close([c.BestLoss], [bestLoss!.Value], Tolerance, "best loss");
        MlpAssert.Weights(c.Coefs, c.Intercepts, coefs, intercepts, Tolerance);
    }

    [Fact]
    public void OnePartialFitIsOneEpochOfFit()
    {
        var whole = new MlpRegressor(hiddenLayerSizes: [6], batchSize: 16, maxIter: 1, randomState: 3).Fit(F.Features, F.Regression("reg"));
        var part = new MlpRegressor(hiddenLayerSizes: [6], batchSize: 16, randomState: 3).PartialFit(F.Features, F.Regression("reg"));
        Assert.Equal(whole.LossCurve, part.LossCurve);
        for (int i = 0; i < whole.Coefs.Count; i++)
        {
            Assert.Equal(whole.Coefs[i].ToDoubleArray(), part.Coefs[i].ToDoubleArray());
            Assert.Equal(whole.Intercepts[i].ToDoubleArray(), part.Intercepts[i].ToDoubleArray());
        }
    }

    [Fact]
    public void PartialFitContinuesAFitAndAFitStartsAfresh()
    {
        var model = new MlpClassifier(hiddenLayerSizes: [5], maxIter: 3, randomState: 1).Fit(F.Features, F.Labels("multi"));
        Assert.Equal(3, model.NIter);
        model.PartialFit(F.Features, F.Labels("multi"));
        Assert.Equal(4, model.NIter);
        Assert.Equal(4 * F.X.Count, model.TUpdates);
        Assert.Equal(4, model.LossCurve.Count);
        model.Fit(F.Features, F.Labels("multi"));
        Assert.Equal(3, model.NIter);
        Assert.Equal(3, model.LossCurve.Count);
    }

    [Fact]
    public void LbfgsCannotFitInParts()
    {
        var regressor = Assert.Throws<InvalidOperationException>(() => new MlpRegressor(solver: Solver.Lbfgs).PartialFit(F.Features, F.Regression("reg")));
        Assert.Equal("MlpRegressor.PartialFit: fitting in parts needs a stochastic solver (Sgd or Adam), got Lbfgs; call Fit, or create the estimator with solver: Solver.Adam.", regressor.Message);
        var classifier = Assert.Throws<InvalidOperationException>(() => new MlpClassifier(solver: Solver.Lbfgs).PartialFit(F.Features, F.Labels("bin"), [0, 1]));
        Assert.StartsWith("MlpClassifier.PartialFit: fitting in parts needs a stochastic solver", classifier.Message);
    }

    [Fact]
    public void EarlyStoppingAndBalancedWeightsCannotFitInParts()
    {
        var early = Assert.Throws<InvalidOperationException>(() => new MlpRegressor(earlyStopping: true).PartialFit(F.Features, F.Regression("reg")));
        Assert.Equal("MlpRegressor.PartialFit: early stopping needs a whole fit; create the estimator with earlyStopping: false to fit in parts.", early.Message);
        var balanced = Assert.Throws<InvalidOperationException>(() => new MlpClassifier(classWeight: ClassWeight.Balanced).PartialFit(F.Features, F.Labels("bin"), [0, 1]));
        Assert.Contains("balanced class weights need the whole data's class counts", balanced.Message);
    }

    [Fact]
    public void TheClassesComeWithTheFirstCallAndStayTheSame()
    {
        var labels = F.Labels("multi");
        var model = new MlpClassifier(hiddenLayerSizes: [4]);
        var none = Assert.Throws<ArgumentException>(() => model.PartialFit(F.Features, labels));
        Assert.Contains("the first call needs classes", none.Message);

        model.PartialFit(F.Features, labels, [2, 0, 1]);
        Assert.Equal([0, 1, 2], model.ClassesAs<int>());
        Assert.Equal(3, model.NOutputs);
        model.PartialFit(F.Features, labels, [0, 1, 2]);
        Assert.Throws<ArgumentException>(() => model.PartialFit(F.Features, labels, [0, 1, 2, 3]));
        Assert.Throws<ArgumentException>(() => model.PartialFit(F.Features, [.. labels.Select(k => k == 2 ? 7 : k)]));
        Assert.Throws<ShapeMismatchException>(() => model.PartialFit(new double[3, 4], [0, 1, 2]));
        Assert.Equal(2, model.NIter);
    }

    [Fact]
    public void ARegressorKeepsItsTargetCount()
    {
        var model = new MlpRegressor(hiddenLayerSizes: [4]).PartialFit(F.Features, F.Regression("reg2"));
        var error = Assert.Throws<ShapeMismatchException>(() => model.PartialFit(F.Features, F.Regression("reg")));
        Assert.Equal("MlpRegressor.PartialFit: fitted with 2 targets, y has 1.", error.Message);
    }

    private static (IReadOnlyList<double>, int, long, double?, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>) FitRegressor(MlpPartialCase c)
    {
        var model = c.Regressor();
        var y = F.Regression(c.Target);
        foreach (var s in c.Slices) model.PartialFit(Rows(F.Features, s), Rows(y, s));
        return (model.LossCurve, model.NIter, model.TUpdates, model.BestLoss, model.Coefs, model.Intercepts);
    }

    private static (IReadOnlyList<double>, int, long, double?, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>) FitClassifier(MlpPartialCase c)
    {
        var model = c.Classifier();
        var labels = F.Labels(c.Target);
        for (int i = 0; i < c.Slices.Count; i++)
        {
            var (start, stop) = (c.Slices[i][0], c.Slices[i][1]);
            model.PartialFit(Rows(F.Features, c.Slices[i]), labels[start..stop], i == 0 ? [.. c.Classes!] : null);
        }
        return (model.LossCurve, model.NIter, model.TUpdates, model.BestLoss, model.Coefs, model.Intercepts);
    }

    private static Tensor Rows(double[,] x, List<int> slice) => Rows(Tensor.FromArray(x), slice);

    private static Tensor Rows(Tensor t, List<int> slice) => t.Slice(0, slice[0], slice[1] - slice[0]);
}
