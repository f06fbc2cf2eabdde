using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// Fixtures/sklearn_sgd.json, written by tools/fixtures/sklearn_sgd.py: scikit-learn 1.2's
/// SGDRegressor, SGDClassifier and LinearSVC on diabetes, iris and breast cancer (standardised).
/// </summary>
internal sealed record SgdFixture(string SklearnVersion, List<SgdRegressorCase> Regressor, List<SgdClassifierCase> Classifier,
    List<ShuffledCase> Shuffled, List<SvcCase> Svc)
{
    private static readonly Lazy<SgdFixture> s_value = new(() => FixtureFile.Load<SgdFixture>("sklearn_sgd.json"));
    private static readonly Lazy<(double[,] X, double[] Y)> s_diabetes = new(() =>
    {
        var csv = Csv.Load("diabetes.csv");
        return (csv.Standardised(0, csv.Target.Length), csv.Target.Select(t => double.Parse(t, System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    });
    private static readonly Lazy<(double[,] X, int[] Y)> s_iris = new(() => Classes("iris.csv"));
    private static readonly Lazy<(double[,] X, int[] Y)> s_breastCancer = new(() => Classes("breast_cancer.csv"));

    public static SgdFixture Value => s_value.Value;

    /// <summary>Diabetes: standardised features and the raw progression target.</summary>
    public static (double[,] X, double[] Y) Diabetes => s_diabetes.Value;

    /// <summary>A classification data set by name: standardised features and class indices (labels sorted ordinally).</summary>
    public static (double[,] X, int[] Y) Dataset(string name) => name == "iris" ? s_iris.Value : s_breastCancer.Value;

    private static (double[,] X, int[] Y) Classes(string file)
    {
        var csv = Csv.Load(file);
        var names = csv.Target.Distinct().Order(StringComparer.Ordinal).ToList();
        return (csv.Standardised(0, csv.Target.Length), csv.Target.Select(t => names.IndexOf(t)).ToArray());
    }
}

/// <summary>scikit-learn's parameters of a case, under their PascalCase names; Average is an int (True is 1).</summary>
internal sealed record SgdSettingsCase(string Loss, string Penalty, double Alpha, double L1Ratio, bool FitIntercept, int MaxIter, double? Tol,
    double Epsilon, string LearningRate, double Eta0, double PowerT, int Average, string ClassWeight)
{
    public Penalty PenaltyValue => Penalty switch { "l2" => Nabla.Estimators.Penalty.L2, "l1" => Nabla.Estimators.Penalty.L1, "elasticnet" => Nabla.Estimators.Penalty.ElasticNet, _ => Nabla.Estimators.Penalty.None };

    public SgdLearningRate Schedule => LearningRate switch
    {
        "constant" => SgdLearningRate.Constant,
        "optimal" => SgdLearningRate.Optimal,
        "invscaling" => SgdLearningRate.InvScaling,
        _ => SgdLearningRate.Adaptive,
    };
}

/// <summary>One SGDRegressor on diabetes with shuffle=False; PartialFits &gt; 0 means that many partial_fit calls instead of fit.</summary>
internal sealed record SgdRegressorCase(string Name, SgdSettingsCase Settings, int PartialFits, double[] Coef, double[] Intercept, int NIter,
    double TUpdates, double Score);

/// <summary>One SGDClassifier with shuffle=False on a data set; Proba and Decision hold the first 10 rows.</summary>
internal sealed record SgdClassifierCase(string Name, string Dataset, SgdSettingsCase Settings, int PartialFits, double[] Coef, int[] CoefShape,
    double[] Intercept, int NIter, double TUpdates, int[] Predictions, double[] Decision, double Score, double[] Proba);

/// <summary>The training score of a model fitted with shuffle=True, random_state=0.</summary>
internal sealed record ShuffledCase(string Name, string Dataset, string Loss, double Score);

/// <summary>One LinearSVC; the same problem solved to tol 1e-12 (within TightNIter passes), and liblinear's primal objective there.</summary>
internal sealed record SvcCase(string Name, string Dataset, string Loss, double C, double[] Coef, int[] CoefShape, double[] Intercept, int NIter,
    int[] Predictions, double Score, double[] TightCoef, double[] TightIntercept, int TightNIter, double TightObjective);
