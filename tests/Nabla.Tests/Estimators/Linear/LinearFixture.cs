using System.Globalization;
using Nabla.Data;

namespace Nabla.Tests.Estimators;

/// <summary>
/// Fixtures/sklearn_linear.json, written by tools/fixtures/sklearn_linear.py: scikit-learn 1.2's
/// LinearRegression, Ridge and LogisticRegression on the shared diabetes, iris and breast cancer
/// data, which the tests load themselves (<see cref="Csv"/>).
/// </summary>
internal sealed record LinearFixture(string SklearnVersion, List<RegressionCase> Regression, List<ClassificationCase> Classification)
{
    private static readonly Lazy<LinearFixture> s_value = new(() => FixtureFile.Load<LinearFixture>("sklearn_linear.json"));

    public static LinearFixture Value => s_value.Value;
}

/// <summary>One regression model fitted on diabetes (raw features), as the script describes.</summary>
internal sealed record RegressionCase(string Name, string Model, double Alpha, bool FitIntercept, bool DuplicateBmi, bool TwoTargets,
    double[] Coef, int[] CoefShape, double[] Intercept, double[] Predictions, double Score);

/// <summary>One LogisticRegression fitted on rows [RowStart, RowStop) of a standardised data set.</summary>
internal sealed record ClassificationCase(string Name, string Dataset, int RowStart, int RowStop, string Penalty, double C, string ClassWeight,
    int[] Classes, double[] Coef, int[] CoefShape, double[] Intercept, int NIter, double[] TightCoef, double[] TightIntercept,
    int[] Predictions, double[] Proba, double[] Decision, double Score);

/// <summary>A shared CSV data set: the features, and the last column as text.</summary>
internal sealed record Csv(double[,] Features, string[] Target)
{
    /// <summary>Reads shared/data/<paramref name="fileName"/> (header line, then comma-separated rows, the target last).</summary>
    public static Csv Load(string fileName)
    {
        var lines = File.ReadAllLines(SharedData.PathOf(fileName)).Skip(1).Where(l => l.Length > 0).ToArray();
        int columns = lines[0].Split(',').Length - 1;
        var x = new double[lines.Length, columns];
        var target = new string[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (int j = 0; j < columns; j++) x[i, j] = double.Parse(cells[j], CultureInfo.InvariantCulture);
            target[i] = cells[columns];
        }
        return new Csv(x, target);
    }

    /// <summary>Rows [start, stop) of the features, standardised by <see cref="StandardScaler"/> fitted on those rows.</summary>
    public double[,] Standardised(int start, int stop)
    {
        int columns = Features.GetLength(1);
        var rows = new double[stop - start, columns];
        Buffer.BlockCopy(Features, start * columns * sizeof(double), rows, 0, rows.Length * sizeof(double));
        return new StandardScaler().FitTransform(rows);
    }
}
