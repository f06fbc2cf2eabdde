using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;

namespace Nabla.Tests.Models;

/// <summary>
/// Every estimator a model file holds, fitted on a built-in data set prepared as <c>nabla train</c>
/// prepares a CSV file (<see cref="TabularPreprocessor"/>: standardised features, and for regression a
/// standardised target), so that the file's preprocessing lets the commands read the CSV: regressors
/// on diabetes; classifiers on iris (text labels), breast cancer and digits (integer labels, of the
/// types given below); the recommenders on a small synthetic ratings table with "user", "item" and
/// "rating" columns (the implicit one taking the ratings as strengths). Few iterations: the tests
/// check that predictions survive a file, not how good they are.
/// </summary>
internal static class FittedEstimators
{
    /// <summary>The kinds of estimator, as a model file names them.</summary>
    public static readonly string[] Kinds =
    [
        "linear_regression", "ridge", "logistic_regression", "sgd_regressor", "sgd_classifier", "linear_svc", "mlp_regressor", "mlp_classifier",
        "matrix_factorization", "implicit_matrix_factorization",
    ];

    /// <summary>A fitted estimator, the rows it was fitted on as the preprocessing prepares them, and the data file they came from.</summary>
    /// <param name="Estimator">The fitted estimator.</param>
    /// <param name="Features">The prepared rows: standardised features, or (user, item) ids for matrix factorization.</param>
    /// <param name="Preprocessor">The preparation of <paramref name="DataPath"/>, as JSON in the model file.</param>
    /// <param name="DataPath">The CSV file fitted on.</param>
    public sealed record Fitted(object Estimator, Tensor Features, Preprocessor Preprocessor, string DataPath)
    {
        /// <summary>The estimator in a model file with its preprocessing, metrics and training summary.</summary>
        public ModelFile File()
        {
            var metrics = new Dictionary<string, double> { ["score"] = 0.5 };
            var training = new Dictionary<string, string> { ["data"] = Path.GetFileName(DataPath), ["seed"] = "0" };
            return Estimator is IRecommender recommender
                ? new ModelFile(recommender, Preprocessor.ToJson(), metrics, training)
                : new ModelFile((Estimator)Estimator, Preprocessor.ToJson(), metrics, training);
        }
    }

    /// <summary>The estimator of <paramref name="kind"/>, fitted. <paramref name="ratingsFolder"/> is where the ratings CSV is written (recommenders only).</summary>
    public static Fitted Make(string kind, string ratingsFolder) => kind switch
    {
        "linear_regression" => Regressor(new LinearRegression()),
        "ridge" => Regressor(new Ridge(alpha: 10)),
        "sgd_regressor" => Regressor(new SgdRegressor(maxIter: 20, tol: null, randomState: 3)),
        "mlp_regressor" => Regressor(new MlpRegressor(hiddenLayerSizes: [8], maxIter: 30, randomState: 1)),
        "logistic_regression" => Classifier("iris", new LogisticRegression(C: 10), label => label),
        "sgd_classifier" => Classifier("breast_cancer", new SgdClassifier(loss: SgdClassifierLoss.LogLoss, maxIter: 10, tol: null, randomState: 1), int.Parse),
        "linear_svc" => Classifier("digits", new LinearSvc(maxIter: 50), int.Parse),
        "mlp_classifier" => Classifier("digits", new MlpClassifier(hiddenLayerSizes: [16], maxIter: 20, randomState: 2, dtype: DType.Float32), long.Parse),
        "matrix_factorization" => Factorization(Path.Combine(ratingsFolder, "ratings.csv"), (users, items, ratings) =>
            new MatrixFactorization(nFactors: 2, alpha: 0.05, maxIter: 10, solver: MatrixFactorizationSolver.Als, randomState: 4).Fit(users, items, ratings)),
        // The ratings serve as strengths: how much each user interacted with each item.
        "implicit_matrix_factorization" => Factorization(Path.Combine(ratingsFolder, "ratings.csv"), (users, items, ratings) =>
            new ImplicitMatrixFactorization(nFactors: 2, alpha: 0.5, maxIter: 5, randomState: 4).Fit(users, items, ratings)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such kind"),
    };

    private static Fitted Regressor<TSelf>(Regressor<TSelf> regressor) where TSelf : Regressor<TSelf>
    {
        var (prep, features, table) = Prepare("diabetes");
        regressor.Fit(features, prep.TransformTargets(table));
        return new Fitted(regressor, features, prep, SharedData.PathOf("diabetes.csv"));
    }

    /// <summary>A classifier fitted with the data set's class labels turned into <typeparamref name="TLabel"/> by <paramref name="label"/>.</summary>
    private static Fitted Classifier<TSelf, TLabel>(string name, Classifier<TSelf> classifier, Func<string, TLabel> label)
        where TSelf : Classifier<TSelf> where TLabel : notnull
    {
        var (prep, features, table) = Prepare(name);
        var labels = prep.TransformTargets(table).ToArray<int>().Select(i => label(prep.ClassLabels[i])).ToArray();
        classifier.Fit(features, labels);
        return new Fitted(classifier, features, prep, SharedData.PathOf($"{name}.csv"));
    }

    private static (TabularPreprocessor Prep, Tensor Features, CsvTable Table) Prepare(string name)
    {
        var table = Csv.Read(SharedData.PathOf($"{name}.csv"));
        var prep = TabularPreprocessor.Fit(table, table.Columns[^1].Name, [.. Enumerable.Range(0, table.RowCount)]);
        return (prep, prep.TransformFeatures(table), table);
    }

    private static Fitted Factorization(string path, Func<int[], int[], double[], IRecommender> fit)
    {
        WriteRatings(path);
        var table = Csv.Read(path);
        var prep = new RatingsPreprocessor("user", "item", "rating");
        var pairs = prep.TransformFeatures(table);
        int[] ids = pairs.ToArray<int>();
        var model = fit([.. Enumerable.Range(0, table.RowCount).Select(r => ids[2 * r])], [.. Enumerable.Range(0, table.RowCount).Select(r => ids[2 * r + 1])],
            table["rating"].Numbers.ToArray());
        return new Fitted(model, pairs, prep, path);
    }

    /// <summary>
    /// A ratings table: 40 users (ids 100, 103, …) rate a third of 25 items (ids 7, 12, …) by a rank-2
    /// model plus noise, and a last row pairs a user and an item that are in no other row.
    /// </summary>
    public static void WriteRatings(string path)
    {
        var g = new Generator(8);
        var lines = new List<string> { "user,item,rating" };
        for (int u = 0; u < 40; u++)
        {
            for (int i = 0; i < 25; i++)
            {
                if (g.NextDouble() >= 0.34) continue;
                double rating = 3 + 0.8 * Math.Sin(u + 2 * i) + 0.5 * Math.Cos(3 * u - i) + 0.1 * g.NextNormal();
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{100 + 3 * u},{7 + 5 * i},{Math.Round(rating, 2)}"));
            }
        }
        lines.Add("999,1000,3.5");
        File.WriteAllLines(path, lines);
    }
}
