using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;
using Nabla.Tests;
using Nabla.Tests.Models;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// Recommenders exported with their ratings preparation and run in ONNX Runtime on raw ids, as a server receives them: every
/// score agrees with Nabla's to 1e-5 for known pairs and for unknown users and items (the fallbacks to the biases), with the
/// clipping to the rating range; labels are looked up as text; a row Nabla refuses gets NaN.
/// </summary>
public sealed class RecommenderExportTests : TemporaryFolder
{
    private static readonly OnnxExportOptions Dynamic = new() { DynamicBatch = true };

    [Theory]
    [InlineData("matrix_factorization")]
    [InlineData("implicit_matrix_factorization")]
    public void ScoresEveryPairAsNablaDoes(string kind)
    {
        var fitted = FittedEstimators.Make(kind, Folder);
        var model = ModelPipeline.Create(fitted.File(), fitted.Preprocessor);
        var recommender = (IRecommender)model.Model.Estimator!;
        // Every user with every item, then an unknown user, an unknown item and both.
        (string User, string Item)[] pairs =
        [
            .. recommender.UserIds.SelectMany(user => recommender.ItemIds.Select(item => ($"{user}", $"{item}"))),
            ("5", $"{recommender.ItemIds[0]}"), ($"{recommender.UserIds[0]}", "2"), ("5", "2"),
        ];
        var expected = model.Predict(WritePairs(pairs)).Values!.ToDoubleArray();

        var bytes = OnnxExport.ToBytes(model, Dynamic);
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
        {
            var outputs = OnnxRuntimeRun.Run(bytes, [Numbers("user", pairs.Select(p => long.Parse(p.User, CultureInfo.InvariantCulture))),
                Numbers("item", pairs.Select(p => long.Parse(p.Item, CultureInfo.InvariantCulture)))], level);
            Agreement.Close("rating", expected, (float[])outputs["rating"]);
        }
        Assert.Equal(["item", "user"], OnnxRuntimeRun.Inputs(bytes).Keys.Order().ToArray());
        if (recommender is MatrixFactorization explicitModel)
        {
            Assert.Contains(expected, value => value == explicitModel.MaxRating);
            Assert.Equal(explicitModel.GlobalMean, expected[^1], 1e-12);
        }
        else Assert.Equal(0, expected[^2]);
    }

    [Fact]
    public void ImplicitBprWithoutARatingColumnGivesScoreWithItemBiases()
    {
        var table = Csv.Read(RatingsPath());
        var preprocessor = new RatingsPreprocessor("user", "item", target: null);
        var pairs = preprocessor.TransformFeatures(table).ToArray<int>();
        var bpr = new ImplicitMatrixFactorization(nFactors: 3, solver: ImplicitSolver.Bpr, maxIter: 5, randomState: 2)
            .Fit([.. pairs.Where((_, i) => i % 2 == 0)], [.. pairs.Where((_, i) => i % 2 == 1)]);
        var model = ModelPipeline.Create(new ModelFile(bpr, preprocessor.ToJson()), preprocessor);
        long[] users = [100, 103, 5, 100], items = [7, 12, 7, 2];
        var expected = model.Predict(Tensor.FromArray([.. users.Zip(items).SelectMany(pair => new[] { (int)pair.First, (int)pair.Second })], users.Length, 2));

        var outputs = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model, Dynamic), [Numbers("user", users), Numbers("item", items)]);

        Agreement.Close("score", expected.Values!.ToDoubleArray(), (float[])outputs["score"]);
        Assert.NotEqual(0, bpr.ItemBias(7));
        Assert.Equal(bpr.ItemBias(7), expected.Values!.ToDoubleArray()[2], 1e-12);
    }

    [Fact]
    public void LabelIdsAreLookedUpAsTextAndAnEmptyOneGivesNaN()
    {
        var path = PathOf("labelled.csv");
        File.WriteAllLines(path, File.ReadAllLines(RatingsPath()).Select((line, row) => row == 0 ? line : LabelLine(line)));
        var table = Csv.Read(path);
        var preprocessor = RatingsPreprocessor.Fit(table, "user", "item", "rating");
        var mf = new MatrixFactorization(nFactors: 2, alpha: 0.05, maxIter: 10, solver: MatrixFactorizationSolver.Als, randomState: 4)
            .Fit(preprocessor.UserIds(table), preprocessor.ItemIds(table), preprocessor.TransformTargets(table).ToDoubleArray());
        var model = ModelPipeline.Create(new ModelFile(mf, preprocessor.ToJson()), preprocessor);
        (string User, string Item)[] pairs = [("u100", "i7"), ("u103", "i12"), ("stranger", "i7"), ("u100", "gadget"), ("stranger", "gadget"), ("u999", "i1000")];
        var expected = model.Predict(WritePairs(pairs)).Values!.ToDoubleArray();

        var bytes = OnnxExport.ToBytes(model, Dynamic);
        var outputs = OnnxRuntimeRun.Run(bytes, [Texts("user", pairs.Select(p => p.User)), Texts("item", pairs.Select(p => p.Item))]);
        Agreement.Close("rating", expected, (float[])outputs["rating"]);
        Assert.Equal(typeof(string), OnnxRuntimeRun.Inputs(bytes)["user"].Type);

        var missing = OnnxRuntimeRun.Run(bytes, [Texts("user", ["", "u100", "NA", "u100"]), Texts("item", ["i7", "", "i7", "null"])]);
        Assert.All((float[])missing["rating"], value => Assert.True(float.IsNaN(value)));
        Assert.Throws<InvalidDataException>(() => model.Predict(WritePairs([("", "i7")])));
        Assert.Throws<InvalidDataException>(() => model.Predict(WritePairs([("NA", "i7")])));
    }

    [Fact]
    public void NumberIdOutsideInt32GivesNaNWhereNablaRefusesIt()
    {
        var fitted = FittedEstimators.Make("matrix_factorization", Folder);
        var model = ModelPipeline.Create(fitted.File(), fitted.Preprocessor);
        long[] users = [1L << 40, 100, 100], items = [7, long.MinValue, 7];

        var outputs = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model, Dynamic), [Numbers("user", users), Numbers("item", items)]);

        var ratings = (float[])outputs["rating"];
        Assert.True(float.IsNaN(ratings[0]) && float.IsNaN(ratings[1]));
        Agreement.Close("rating", [((IRecommender)model.Model.Estimator!).Predict(100, 7)], ratings[2..]);
        Assert.Throws<ArgumentException>(() => model.Predict(Tensor.FromArray([(double)(1L << 40), 7], 1, 2)));
    }

    [Fact]
    public void ModelFileAloneReadsPairsOfIdsAsFeatures()
    {
        var fitted = FittedEstimators.Make("matrix_factorization", Folder);
        var model = ModelPipeline.Create(fitted.File(), fitted.Preprocessor);
        int[] pairs = [100, 7, 103, 12, 5, 2];
        var expected = model.Predict(Tensor.FromArray(pairs, 3, 2)).Values!.ToDoubleArray();

        var features = NamedOnnxValue.CreateFromTensor("features", new DenseTensor<long>(pairs.Select(id => (long)id).ToArray(), [3, 2]));
        var outputs = OnnxRuntimeRun.Run(OnnxExport.ToBytes(model.Model, Dynamic), [features]);

        Agreement.Close("prediction", expected, (float[])outputs["score"]);
    }

    [Fact]
    public void RecommenderWithATablesPreparationIsRefusedNamingIt()
    {
        var fitted = FittedEstimators.Make("matrix_factorization", Folder);
        var table = Csv.Read(fitted.DataPath);
        var tabular = TabularPreprocessor.Fit(table, "rating", [.. Enumerable.Range(0, table.RowCount)]);
        var model = ModelPipeline.Create(new ModelFile((IRecommender)fitted.Estimator, tabular.ToJson()), tabular);

        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.ToBytes(model));

        Assert.Contains($"a recommender prepared by the {tabular.Kind} preprocessor", error.Message);
    }

    private string RatingsPath()
    {
        var path = PathOf("ratings.csv");
        FittedEstimators.WriteRatings(path);
        return path;
    }

    /// <summary>"100,7,3.2" as "u100,i7,3.2".</summary>
    private static string LabelLine(string line)
    {
        var cells = line.Split(',');
        return $"u{cells[0]},i{cells[1]},{cells[2]}";
    }

    /// <summary>A CSV file of "user,item" rows.</summary>
    private string WritePairs(IEnumerable<(string User, string Item)> pairs)
    {
        var path = PathOf($"pairs-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, ["user,item", .. pairs.Select(pair => $"{pair.User},{pair.Item}")]);
        return path;
    }

    private static NamedOnnxValue Numbers(string name, IEnumerable<long> ids)
    {
        long[] values = [.. ids];
        return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(values, [values.Length, 1]));
    }

    private static NamedOnnxValue Texts(string name, IEnumerable<string> ids)
    {
        string[] values = [.. ids];
        return NamedOnnxValue.CreateFromTensor(name, new DenseTensor<string>(values, [values.Length, 1]));
    }
}
