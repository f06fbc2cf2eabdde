using System.Text.Json;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// Fixtures/sklearn_mlp.json, written by tools/fixtures/sklearn_mlp.py with scikit-learn 1.2:
/// MLP trajectories from given initial weights on a small synthetic problem, and the digits accuracy.
/// </summary>
internal sealed record MlpFixture(List<List<double>> X, List<double> YRegression, List<List<double>> YRegression2,
    List<int> YBinary, List<int> YMulticlass, List<MlpCase> Trajectories, MlpDigitsCase Digits)
{
    private static readonly Lazy<MlpFixture> s_value = new(() => FixtureFile.Load<MlpFixture>("sklearn_mlp.json"));

    public static MlpFixture Value => s_value.Value;

    public double[,] Features => ToMatrix(X);

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

    public Tensor[] InitialCoefTensors => [.. InitialCoefs.Select(c => Tensor.FromArray(MlpFixture.ToMatrix(c)))];

    public Tensor[] InitialInterceptTensors => [.. InitialIntercepts.Select(b => Tensor.FromArray(b.ToArray()))];

    private T Get<T>(string name, T otherwise) => Params.TryGetValue(name, out var v) ? v.Deserialize<T>()! : otherwise;

    private static TEnum Parse<TEnum>(string value) where TEnum : struct, Enum => Enum.Parse<TEnum>(value.Replace("_", ""), ignoreCase: true);

    /// <summary>The estimator with the case's settings, shuffle off, verbose into <paramref name="verbose"/>.</summary>
    public MlpRegressor Regressor(TextWriter verbose) => new MlpRegressor(Get<int[]>("hidden_layer_sizes", [100]),
        Parse<MlpActivation>(Get("activation", "relu")), Parse<Solver>(Get("solver", "adam")), Get("alpha", 1e-4), Get<int?>("batch_size", null),
        Parse<MlpLearningRate>(Get("learning_rate", "constant")), Get("learning_rate_init", 1e-3), Get("power_t", 0.5), Get("max_iter", 200),
        shuffle: false, tol: Get("tol", 1e-4), verbose: true, momentum: Get("momentum", 0.9), nesterovsMomentum: Get("nesterovs_momentum", true),
        beta1: Get("beta_1", 0.9), beta2: Get("beta_2", 0.999), epsilon: Get("epsilon", 1e-8), nIterNoChange: Get("n_iter_no_change", 10),
        verboseOutput: verbose).SetInitialWeights(InitialCoefTensors, InitialInterceptTensors);

    /// <summary>The classifier with the case's settings, shuffle off, verbose into <paramref name="verbose"/>.</summary>
    public MlpClassifier Classifier(TextWriter verbose) => new MlpClassifier(Get<int[]>("hidden_layer_sizes", [100]),
        Parse<MlpActivation>(Get("activation", "relu")), Parse<Solver>(Get("solver", "adam")), Get("alpha", 1e-4), Get<int?>("batch_size", null),
        Parse<MlpLearningRate>(Get("learning_rate", "constant")), Get("learning_rate_init", 1e-3), Get("power_t", 0.5), Get("max_iter", 200),
        shuffle: false, tol: Get("tol", 1e-4), verbose: true, momentum: Get("momentum", 0.9), nesterovsMomentum: Get("nesterovs_momentum", true),
        beta1: Get("beta_1", 0.9), beta2: Get("beta_2", 0.999), epsilon: Get("epsilon", 1e-8), nIterNoChange: Get("n_iter_no_change", 10),
        verboseOutput: verbose).SetInitialWeights(InitialCoefTensors, InitialInterceptTensors);
}

/// <summary>scikit-learn's MLPClassifier with its defaults on the shared digits split.</summary>
internal sealed record MlpDigitsCase(double TestAccuracy, int NIter);
