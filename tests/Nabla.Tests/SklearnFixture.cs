using System.Globalization;
using System.Text.Json.Serialization;

namespace Nabla.Tests;

/// <summary>
/// Fixtures/sklearn_metrics.json, written by tools/fixtures/sklearn_metrics.py with scikit-learn 1.2:
/// metrics on fixed predictions, scalers and encoders on the shared data sets, split sizes.
/// Labels are stored as text with their type ("int" or "string").
/// </summary>
internal sealed record SklearnFixture(
    List<ClassificationCase> Classification, List<RocAucCase> RocAuc, List<LogLossCase> LogLoss, List<RegressionCase> Regression,
    List<StandardScalerCase> StandardScaler, List<MinMaxScalerCase> MinMaxScaler, List<OneHotCase> OneHotEncoder,
    LabelEncoderCase LabelEncoder, LabelEncoderCase LabelEncoderMixed, List<SplitCase> Split)
{
    private static readonly Lazy<SklearnFixture> s_value = new(() => FixtureFile.Load<SklearnFixture>("sklearn_metrics.json"));

    public static SklearnFixture Value => s_value.Value;

    /// <summary>scikit-learn's values are matched to 1e-12 relative, with this floor near zero.</summary>
    public const double Tolerance = 1e-12;

    public static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), $"{what}: Nabla {actual:R}, scikit-learn NaN"); return; }
        Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected) + Tolerance, $"{what}: Nabla {actual:R}, scikit-learn {expected:R} (difference {actual - expected:E2})");
    }

    public static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: Nabla has {actual.Count} values, scikit-learn {expected.Count}");
        for (int i = 0; i < expected.Count; i++) AssertClose(expected[i], actual[i], $"{what}[{i}]");
    }

    public static void AssertClose(List<List<double>> expected, double[,] actual, string what)
    {
        Assert.Equal(expected.Count, actual.GetLength(0));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Count, actual.GetLength(1));
            for (int j = 0; j < expected[i].Count; j++) AssertClose(expected[i][j], actual[i, j], $"{what}[{i}, {j}]");
        }
    }

    public static double[,] Matrix(List<List<double>> rows)
    {
        var result = new double[rows.Count, rows.Count == 0 ? 0 : rows[0].Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[i].Count; j++) result[i, j] = rows[i][j];
        return result;
    }

    public static int[] Ints(IEnumerable<string> labels) => [.. labels.Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}

internal sealed record AveragedScores(double Precision, double Recall, double F1, double F05, double F2);

internal sealed record PerClassScores(List<double> Precision, List<double> Recall, List<double> F1, List<double> F2, List<int> Support);

internal sealed record ScoreSet(AveragedScores Micro, AveragedScores Macro, AveragedScores Weighted, PerClassScores PerClass);

internal sealed record BinaryScores(double Precision, double Recall, double F1, double F2);

internal sealed record BinaryCase(string PosLabel, BinaryScores ZeroDivision0, BinaryScores ZeroDivision1);

internal sealed record ClassificationCase(
    string Name, string LabelType, List<string> YTrue, List<string> YPred, List<string>? Labels, double Accuracy, double AccuracyCount,
    ScoreSet ZeroDivision0, ScoreSet ZeroDivision1, List<List<int>> Confusion,
    [property: JsonPropertyName("confusion_true")] List<List<double>> ConfusionTrue,
    [property: JsonPropertyName("confusion_pred")] List<List<double>> ConfusionPred,
    [property: JsonPropertyName("confusion_all")] List<List<double>> ConfusionAll,
    string Report, string Report4, BinaryCase? Binary)
{
    public override string ToString() => Name;
}

internal sealed record RocAucCase(string Name, List<string> YTrue, string LabelType, System.Text.Json.JsonElement YScore, string? MultiClass, string? Average, List<string>? Labels, double Value);

internal sealed record LogLossCase(string Name, List<string> YTrue, string LabelType, System.Text.Json.JsonElement YProba, List<string>? Labels, double? Eps, double Value, double Sum);

internal sealed record RegressionCase(
    string Name, List<List<double>> YTrue, List<List<double>> YPred,
    double Mse, List<double> MseRaw, double Rmse, List<double> RmseRaw, double Mae, List<double> MaeRaw, double Medae, List<double> MedaeRaw,
    double R2, List<double> R2Raw, double R2VarianceWeighted, double Ev, List<double> EvRaw, double EvVarianceWeighted);

internal sealed record StandardScalerCase(
    string Name, string? Data, List<List<double>>? X, bool WithMean, bool WithStd, int? Batch, List<double>? Mean, List<double>? Var,
    List<double>? Scale, long NSamplesSeen, List<int> Rows, List<List<double>> Transformed, List<List<double>> Inverse);

internal sealed record MinMaxScalerCase(
    string Name, string? Data, List<List<double>>? X, List<double> FeatureRange, bool Clip, int? Batch, List<double> DataMin, List<double> DataMax,
    List<double> DataRange, List<double> Scale, List<double> Min, long NSamplesSeen, List<int> Rows, List<List<double>> Transformed,
    List<List<double>>? Probe, List<List<double>>? ProbeTransformed);

internal sealed record OneHotCase(
    string Name, List<List<string>> X, string LabelType, Dictionary<string, System.Text.Json.JsonElement> Options, List<List<string>> Categories,
    List<int?>? DropIdx, List<List<double>> Transformed, List<List<string>>? Probe, List<List<double>>? ProbeTransformed);

internal sealed record LabelEncoderCase(List<string> Y, List<string> Classes, List<int>? Codes);

internal sealed record SplitCase(
    string Name, int N, System.Text.Json.JsonElement TestSize, System.Text.Json.JsonElement TrainSize, int Train, int Test, List<string>? Stratify,
    List<int>? TrainCounts, List<int>? TestCounts, List<List<List<int>>>? PossibleCounts);
