using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// The MLP estimators' convergence warnings: SGD on the raw, unscaled diabetes data (targets in the
/// hundreds, features up to 300) blows the loss up by orders of magnitude in the first epoch; the fit
/// stops there and says so, and what to do, instead of running on to a loss of 1e12 and stopping
/// "because it did not improve". The same data standardised trains normally.
/// </summary>
public class MlpDivergenceTests
{
    [Fact]
    public void RawDiabetesWithSgd_StopsAtTheDivergingEpoch_AndSaysToScale()
    {
        var diabetes = Datasets.Diabetes();
        var output = new StringWriter();
        var model = new MlpRegressor(solver: Solver.Sgd, maxIter: 1000, randomState: 1, verbose: 1, verboseOutput: output)
            .Fit(diabetes.Features, diabetes.Target);

        Assert.True(model.Diverged);
        Assert.Equal(1, model.NIter);
        // The first batch starts near the mean square of the targets / 2 (about 1.5e4); the epoch ends above 1e11.
        Assert.Matches(@"^MlpRegressor\.Fit: the training loss diverged to \d\.\d\dE\+1\d in epoch 1, over 10,000 times the 1\.\dE\+04 it started from; training stopped\. Scale the features \(StandardScaler\) or lower learningRateInit \(now 0\.001\)\.$",
            model.ConvergenceWarning);
        Assert.Equal(["Iteration 1, loss = " + model.Loss.ToString("F8", System.Globalization.CultureInfo.InvariantCulture), model.ConvergenceWarning],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')));
    }

    [Fact]
    public void StandardisedDiabetesWithSgd_Converges_WithoutWarning()
    {
        var diabetes = Datasets.Diabetes();
        var features = new StandardScaler().FitTransform(diabetes.Features);
        var model = new MlpRegressor(solver: Solver.Sgd, maxIter: 1000, randomState: 1).Fit(features, diabetes.Target);

        Assert.False(model.Diverged);
        Assert.Null(model.ConvergenceWarning);
        Assert.InRange(model.NIter, 2, 999);
        Assert.InRange(model.Score(features, diabetes.Target), 0.4, 1.0);
    }

    [Fact]
    public void EveryEpochUsed_IsScikitLearnsMaximumIterationsWarning_AndAFitInPartsHasNone()
    {
        var digits = Datasets.Digits();
        var features = digits.Features / 16;
        var model = new MlpClassifier(hiddenLayerSizes: [8], maxIter: 2, tol: 0, randomState: 1).Fit(features, digits.Target);

        Assert.False(model.Diverged);
        Assert.Equal("Stochastic Optimizer: Maximum iterations (2) reached and the optimization hasn't converged yet.", model.ConvergenceWarning);

        model.PartialFit(features, digits.Target.ToArray<int>());
        Assert.Null(model.ConvergenceWarning);   // one epoch of a fit in parts is no whole fit
    }
}
