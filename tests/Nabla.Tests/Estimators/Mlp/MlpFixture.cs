using System.Text.Json;
using Nabla.Estimators;
using Nabla.NN;

namespace Nabla.Tests.Estimators;

/// <summary>
/// Fixtures/sklearn_mlp.json, written by tools/fixtures/sklearn_mlp.py with scikit-learn 1.2:
/// MLP trajectories (whole fits and fits in parts) from given initial weights on a small synthetic
/// problem, and the digits accuracy.
/// </summary>
internal sealed record MlpFixture(List<List<double>> X, List<double> YRegression, List<List<double>> YRegression2,
    List<int> YBinary, List<int> YMulticlass, List<MlpCase> Trajectories, MlpDigitsCase Digits, List<MlpPartialCase> PartialFit)
{
    private static readonly Lazy<MlpFixture> s_value = new(() => FixtureFile.Load<MlpFixture>("sklearn_mlp.json"));

    public static MlpFixture Value => s_value.Value;

    public double[,] Features => ToMatrix(X);

    /// <summary>The regression targets of a case's target name: "reg" one a sample, "reg2" two.</summary>
    public Tensor Regression(string target) => target == "reg" ? Tensor.FromArray(YRegression.ToArray()) : Tensor.FromArray(ToMatrix(YRegression2));

    /// <summary>The class labels of a case's target name: "bin" two classes, "multi" three.</summary>
    public int[] Labels(string target) => [.. target == "bin" ? YBinary : YMulticlass];

    public static double[,] ToMatrix(List<List<double>> rows)
    {
        var m = new double[rows.Count, rows[0].Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[0].Count; j++) m[i, j] = rows[i][j];
        return m;
    }
}

/// <summary>One trajectory: scikit-learn's settings, the initial weights, and what the fit gave.</summary>
internal sealed record MlpCase(string Name, string Kind, string Target, Dictionary<string, JsonElement> Params,
    List<List<List<double>>> InitialCoefs, List<List<double>> InitialIntercepts, List<double> LossCurve, double Loss,
    double? BestLoss, int NIter, long TUpdates, List<List<List<double>>> Coefs, List<List<double>> Intercepts, string Verbose)
{
    public override string ToString() => Name;

    /// <summary>The estimator with the case's settings, shuffle off, verbose into <paramref name="verbose"/>, computing in <paramref name="dtype"/>.</summary>
    public MlpRegressor Regressor(TextWriter verbose, DType dtype = DType.Float64) => MlpSettings.Regressor(Params, verbose, dtype).SetInitialWeights(MlpSettings.Coefs(InitialCoefs), MlpSettings.Intercepts(InitialIntercepts));

    /// <summary>The classifier with the case's settings, shuffle off, verbose into <paramref name="verbose"/>, computing in <paramref name="dtype"/>.</summary>
    public MlpClassifier Classifier(TextWriter verbose, DType dtype = DType.Float64) => MlpSettings.Classifier(Params, verbose, dtype).SetInitialWeights(MlpSettings.Coefs(InitialCoefs), MlpSettings.Intercepts(InitialIntercepts));
}

/// <summary>
/// One fit in parts: scikit-learn's settings, the initial weights, the slices [start, stop) of the
/// problem given to partial_fit one after the other (the classes with the first), and what they gave.
/// </summary>
internal sealed record MlpPartialCase(string Name, string Kind, string Target, Dictionary<string, JsonElement> Params,
    List<List<int>> Slices, List<int>? Classes, List<List<List<double>>> InitialCoefs, List<List<double>> InitialIntercepts,
    List<double> LossCurve, double Loss, double BestLoss, int NIter, long TUpdates, List<List<List<double>>> Coefs, List<List<double>> Intercepts)
{
    public override string ToString() => Name;

    public MlpRegressor Regressor() => MlpSettings.Regressor(Params, TextWriter.Null).SetInitialWeights(MlpSettings.Coefs(InitialCoefs), MlpSettings.Intercepts(InitialIntercepts));

    public MlpClassifier Classifier() => MlpSettings.Classifier(Params, TextWriter.Null).SetInitialWeights(MlpSettings.Coefs(InitialCoefs), MlpSettings.Intercepts(InitialIntercepts));
}

/// <summary>Nabla's estimators built from scikit-learn's parameters as the fixture script wrote them, shuffle off, verbose on.</summary>
internal static class MlpSettings
{
    public static Tensor[] Coefs(List<List<List<double>>> coefs) => [.. coefs.Select(c => Tensor.FromArray(MlpFixture.ToMatrix(c)))];

    public static Tensor[] Intercepts(List<List<double>> intercepts) => [.. intercepts.Select(b => Tensor.FromArray(b.ToArray()))];

    public static MlpRegressor Regressor(Dictionary<string, JsonElement> p, TextWriter verbose, DType dtype = DType.Float64) => new(Get<int[]>(p, "hidden_layer_sizes", [100]),
        ActivationOf(Get(p, "activation", "relu")), Parse<Solver>(Get(p, "solver", "adam")), Get(p, "alpha", 1e-4), Get<int?>(p, "batch_size", null),
        Parse<MlpLearningRate>(Get(p, "learning_rate", "constant")), Get(p, "learning_rate_init", 1e-3), Get(p, "power_t", 0.5), Get(p, "max_iter", 200),
        shuffle: false, tol: Get(p, "tol", 1e-4), verbose: 1, momentum: Get(p, "momentum", 0.9), nesterovsMomentum: Get(p, "nesterovs_momentum", true),
        beta1: Get(p, "beta_1", 0.9), beta2: Get(p, "beta_2", 0.999), epsilon: Get(p, "epsilon", 1e-8), nIterNoChange: Get(p, "n_iter_no_change", 10),
        dtype: dtype, verboseOutput: verbose);

    public static MlpClassifier Classifier(Dictionary<string, JsonElement> p, TextWriter verbose, DType dtype = DType.Float64) => new(Get<int[]>(p, "hidden_layer_sizes", [100]),
        ActivationOf(Get(p, "activation", "relu")), Parse<Solver>(Get(p, "solver", "adam")), Get(p, "alpha", 1e-4), Get<int?>(p, "batch_size", null),
        Parse<MlpLearningRate>(Get(p, "learning_rate", "constant")), Get(p, "learning_rate_init", 1e-3), Get(p, "power_t", 0.5), Get(p, "max_iter", 200),
        shuffle: false, tol: Get(p, "tol", 1e-4), verbose: 1, momentum: Get(p, "momentum", 0.9), nesterovsMomentum: Get(p, "nesterovs_momentum", true),
        beta1: Get(p, "beta_1", 0.9), beta2: Get(p, "beta_2", 0.999), epsilon: Get(p, "epsilon", 1e-8), nIterNoChange: Get(p, "n_iter_no_change", 10),
        dtype: dtype, verboseOutput: verbose);

    private static T Get<T>(Dictionary<string, JsonElement> p, string name, T otherwise) => p.TryGetValue(name, out var v) ? v.Deserialize<T>()! : otherwise;

    /// <summary>scikit-learn's activation names; its "logistic" is the sigmoid.</summary>
    private static Activation ActivationOf(string name) => name == "logistic" ? Activation.Sigmoid : Parse<Activation>(name);

    private static TEnum Parse<TEnum>(string value) where TEnum : struct, Enum => Enum.Parse<TEnum>(value.Replace("_", ""), ignoreCase: true);
}

/// <summary>Comparisons of Nabla's numbers with scikit-learn's, relative to the largest expected magnitude.</summary>
internal static class MlpAssert
{
    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: Nabla has {actual.Count} values, scikit-learn {expected.Count}");
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance * scale,
                $"{what}[{i}]: Nabla {actual[i]:R}, scikit-learn {expected[i]:R} (difference {actual[i] - expected[i]:E2})");
    }

    public static void Weights(List<List<List<double>>> expectedCoefs, List<List<double>> expectedIntercepts,
        IReadOnlyList<Tensor> coefs, IReadOnlyList<Tensor> intercepts, double tolerance)
    {
        Assert.Equal(expectedCoefs.Count, coefs.Count);
        for (int i = 0; i < coefs.Count; i++)
        {
            Assert.Equal([expectedCoefs[i].Count, expectedCoefs[i][0].Count], coefs[i].Shape);
            Close([.. expectedCoefs[i].SelectMany(r => r)], coefs[i].ToDoubleArray(), tolerance, $"coefs[{i}]");
            Close(expectedIntercepts[i], intercepts[i].ToDoubleArray(), tolerance, $"intercepts[{i}]");
        }
    }
}

/// <summary>scikit-learn's MLPClassifier with its defaults on the shared digits split.</summary>
internal sealed record MlpDigitsCase(double TestAccuracy, int NIter);
