using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// MlpRegressor and MlpClassifier against scikit-learn from the same initial weights, shuffle off:
/// the loss of every epoch, the stopping epoch, the final weights and the verbose output.
/// </summary>
public class MlpTrajectoryTests
{
    private const double Tolerance = 1e-8;

    // scipy's L-BFGS-B and Nabla's L-BFGS take different paths to the same minimum, each stopping at
    // its own tolerance; with the penalty's flat directions the weights there need not be the same.
    private const double LbfgsLossTolerance = 1e-6;

    public static TheoryData<string> Stochastic => [.. MlpFixture.Value.Trajectories.Where(c => !c.Name.StartsWith("lbfgs")).Select(c => c.Name)];

    public static TheoryData<string> Lbfgs => [.. MlpFixture.Value.Trajectories.Where(c => c.Name.StartsWith("lbfgs")).Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Stochastic))]
    public void StochasticSolversFollowScikitLearnsTrajectory(string name)
    {
        var c = Case(name);
        var verbose = new StringWriter();
        var (lossCurve, nIter, tUpdates, coefs, intercepts, bestLoss) = Fit(c, verbose);
        Assert.Equal(c.NIter, nIter);
        Assert.Equal(c.TUpdates, tUpdates);
        MlpAssert.Close(c.LossCurve, lossCurve, Tolerance, "loss curve");
        MlpAssert.Close([c.BestLoss!.Value], [bestLoss!.Value], Tolerance, "best loss");
        MlpAssert.Weights(c.Coefs, c.Intercepts, coefs, intercepts, Tolerance);
        AssertVerbose(c.Verbose, verbose.ToString());
    }

    [Theory]
    [MemberData(nameof(Lbfgs))]
    public void LbfgsReachesScikitLearnsMinimum(string name)
    {
        var c = Case(name);
        var (lossCurve, nIter, tUpdates, _, _, bestLoss) = Fit(c, new StringWriter());
        double loss = c.Kind == "regressor" ? Regressor(c).Loss : Classifier(c).Loss;
        MlpAssert.Close([c.Loss], [loss], LbfgsLossTolerance, "final loss");
        Assert.Empty(lossCurve);
        Assert.Null(bestLoss);
        Assert.Equal(0, tUpdates);
        Assert.InRange(nIter, 1, int.Parse(c.Params["max_iter"].ToString()));
    }

    // Float32 runs the same passes and updates in single precision: scikit-learn's Float64 weights to single-precision rounding, grown over the steps.
    [Theory]
    [InlineData("adam-binary-relu")]
    [InlineData("sgd-multiclass-tanh")]
    [InlineData("adam-two-targets-logistic")]
    public void Float32FollowsTheTrajectoryToSinglePrecision(string name)
    {
        var c = Case(name);
        var f = MlpFixture.Value;
        var (coefs, intercepts) = c.Kind == "regressor"
            ? Weights(c.Regressor(TextWriter.Null, DType.Float32).Fit(f.Features, f.Regression(c.Target)))
            : Weights(c.Classifier(TextWriter.Null, DType.Float32).Fit(f.Features, f.Labels(c.Target)));
        MlpAssert.Weights(c.Coefs, c.Intercepts, coefs, intercepts, 1e-4);
    }

    [Fact]
    public void DigitsWithDefaultsReachScikitLearnsAccuracy()
    {
        var (xTrain, yTrain) = Digits.Train;
        var (xTest, yTest) = Digits.Test;
        var model = new MlpClassifier(randomState: 0).Fit(xTrain, yTrain);
        double accuracy = model.Score(xTest, yTest);
        double expected = MlpFixture.Value.Digits.TestAccuracy;
        Assert.True(accuracy >= expected - 0.01, $"Nabla's test accuracy {accuracy:F4}, scikit-learn's {expected:F4}");
    }

    private static (IReadOnlyList<Tensor>, IReadOnlyList<Tensor>) Weights(MlpRegressor m) => (m.Coefs, m.Intercepts);

    private static (IReadOnlyList<Tensor>, IReadOnlyList<Tensor>) Weights(MlpClassifier m) => (m.Coefs, m.Intercepts);

    private static MlpCase Case(string name) => MlpFixture.Value.Trajectories.Single(c => c.Name == name);

    private static MlpRegressor Regressor(MlpCase c, TextWriter? verbose = null)
    {
        var f = MlpFixture.Value;
        var model = c.Regressor(verbose ?? new StringWriter());
        return c.Target == "reg" ? model.Fit(f.Features, f.YRegression.ToArray()) : model.Fit(f.Features, MlpFixture.ToMatrix(f.YRegression2));
    }

    private static MlpClassifier Classifier(MlpCase c, TextWriter? verbose = null)
    {
        var f = MlpFixture.Value;
        return c.Classifier(verbose ?? new StringWriter()).Fit(f.Features, (c.Target == "bin" ? f.YBinary : f.YMulticlass).ToArray());
    }

    private static (IReadOnlyList<double>, int, long, IReadOnlyList<Tensor>, IReadOnlyList<Tensor>, double?) Fit(MlpCase c, TextWriter verbose)
    {
        if (c.Kind == "regressor")
        {
            var m = Regressor(c, verbose);
            return (m.LossCurve, m.NIter, m.TUpdates, m.Coefs, m.Intercepts, m.BestLoss);
        }
        var k = Classifier(c, verbose);
        return (k.LossCurve, k.NIter, k.TUpdates, k.Coefs, k.Intercepts, k.BestLoss);
    }

    // The messages equal scikit-learn's word for word; losses printed to 8 decimals may differ by one in the last.
    private static void AssertVerbose(string expected, string actual)
    {
        var e = expected.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = actual.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            if (!e[i].StartsWith("Iteration ")) { Assert.Equal(e[i], a[i]); continue; }
            var (eHead, eLoss) = (e[i][..e[i].LastIndexOf(' ')], double.Parse(e[i][(e[i].LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            var (aHead, aLoss) = (a[i][..a[i].LastIndexOf(' ')], double.Parse(a[i][(a[i].LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(eHead, aHead);
            Assert.Equal(e[i][(e[i].LastIndexOf(' ') + 1)..].Length, a[i][(a[i].LastIndexOf(' ') + 1)..].Length);
            Assert.True(Math.Abs(eLoss - aLoss) <= 1.01e-8, $"line {i}: '{a[i]}' against scikit-learn's '{e[i]}'");
        }
    }
}
