using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.IO;
using Nabla.Models;

namespace Nabla.Tests.Models;

/// <summary>
/// Estimators in model files: every kind, fitted on real data, comes back from its file predicting
/// bit for bit as before (values, decision functions, probabilities, labels of the type it was fitted
/// with), with its settings; the pipeline reads data files through an estimator's stored preparation.
/// </summary>
public sealed class EstimatorFileTests : TemporaryFolder
{
    public static TheoryData<string> Kinds() => [.. FittedEstimators.Kinds];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void RoundTrip_GivesBitIdenticalPredictions_TheSameSettings_AndMetadata(string kind)
    {
        var fitted = FittedEstimators.Make(kind, Folder);
        var file = fitted.File();
        string path = PathOf($"{kind}.safetensors");

        file.Save(path);
        var loaded = ModelFile.Load(path);

        Assert.Equal(kind, loaded.Kind);
        Assert.Null(loaded.Architecture);
        Assert.Null(loaded.Network);
        Assert.Equal(fitted.Estimator.GetType(), loaded.Estimator!.GetType());
        Assert.Equal(file.Settings, loaded.Settings);
        Assert.Equal(file.Task, loaded.Task);
        Assert.Equal(file.Classes, loaded.Classes);
        Assert.Equal(file.ClassType, loaded.ClassType);
        Assert.Equal(file.InputShape, loaded.InputShape);
        Assert.Equal(file.ParameterCount, loaded.ParameterCount);
        Assert.True(loaded.ParameterCount > 0);
        Assert.Equal(fitted.Preprocessor.ToJson(), loaded.Preprocessing);
        Assert.Equal(file.Metrics, loaded.Metrics);
        Assert.Equal(file.Training, loaded.Training);
        AssertBitIdentical(Predictions(fitted.Estimator, fitted.Features), Predictions(loaded.Estimator, fitted.Features));
        AssertBitIdentical(file.Predict(fitted.Features), loaded.Predict(fitted.Features));
        AssertBitIdentical(Predictions(fitted.Estimator, fitted.Features)[0], loaded.Predict(fitted.Features));
        if (loaded.Task == ModelTask.Classification)
        {
            AssertBitIdentical(file.PredictClassIndices(fitted.Features), loaded.PredictClassIndices(fitted.Features));
            Assert.Equal(file.PredictLabels(fitted.Features), loaded.PredictLabels(fitted.Features));
            var probabilities = loaded.PredictProbabilities(fitted.Features);
            Assert.Equal(kind == "linear_svc", probabilities is null);
            if (probabilities is not null) AssertBitIdentical(Predictions(fitted.Estimator, fitted.Features)[2], probabilities);
        }
        Assert.Equal([path], Directory.GetFiles(Folder, "*.safetensors"));
    }

    [Fact]
    public void Classifiers_ComeBackWithTheirLabelsOfTheSameType()
    {
        var iris = Datasets.Iris();
        var breast = Datasets.BreastCancer();
        int[] irisClass = iris.Target.ToArray<int>(), breastClass = breast.Target.ToArray<int>();

        RoundTripsWith(iris.Features, irisClass.Select(c => iris.ClassNames![c]).ToArray(), "string");
        RoundTripsWith(iris.Features, irisClass.Select(c => c * 7 - 3).ToArray(), "int");
        RoundTripsWith(iris.Features, irisClass.Select(c => (long)c << 40).ToArray(), "long");
        RoundTripsWith(iris.Features, irisClass.Select(c => (short)(c - 1)).ToArray(), "short");
        RoundTripsWith(iris.Features, irisClass.Select(c => (byte)(200 + c)).ToArray(), "byte");
        RoundTripsWith(iris.Features, irisClass.Select(c => (sbyte)(-c)).ToArray(), "sbyte");
        RoundTripsWith(iris.Features, irisClass.Select(c => (ushort)(c * 1000)).ToArray(), "ushort");
        RoundTripsWith(iris.Features, irisClass.Select(c => (uint)c + 4_000_000_000u).ToArray(), "uint");
        RoundTripsWith(iris.Features, irisClass.Select(c => ulong.MaxValue - (ulong)c).ToArray(), "ulong");
        RoundTripsWith(iris.Features, irisClass.Select(c => (char)('x' + c)).ToArray(), "char");
        RoundTripsWith(iris.Features, irisClass.Select(c => c / 3.0 + 0.1).ToArray(), "double");
        RoundTripsWith(iris.Features, irisClass.Select(c => c * 0.1f - 1e-7f).ToArray(), "float");
        RoundTripsWith(iris.Features, irisClass.Select(c => c * 1.25m).ToArray(), "decimal");
        RoundTripsWith(breast.Features, breastClass.Select(c => c == 1).ToArray(), "bool");
    }

    [Fact]
    public void RegressorFittedOnSeveralTargets_PredictsThemAllAfterLoading()
    {
        var diabetes = Datasets.Diabetes();
        int n = diabetes.Target.Shape[0];
        double[] y = diabetes.Target.ToArray<double>();
        var targets = new double[n, 2];
        for (int i = 0; i < n; i++) (targets[i, 0], targets[i, 1]) = (y[i], Math.Sqrt(y[i]));
        var model = new Ridge(alpha: 0.5).Fit(diabetes.Features, targets);
        string path = PathOf("two.safetensors");

        ModelFile.Save(model, path);
        var loaded = (Ridge)ModelFile.Load(path).Estimator!;

        Assert.Equal([n, 2], loaded.Predict(diabetes.Features).Shape);
        AssertBitIdentical(model.Predict(diabetes.Features), loaded.Predict(diabetes.Features));
        AssertBitIdentical(model.Coef, loaded.Coef);
        AssertBitIdentical(model.Intercept, loaded.Intercept);
    }

    [Fact]
    public void LoadedEstimators_KeepTheirFittedAttributes_AndSgdContinuesFromItsWeights()
    {
        var fitted = FittedEstimators.Make("sgd_classifier", Folder);
        var sgd = (SgdClassifier)fitted.Estimator;
        string path = PathOf("sgd.safetensors");
        ModelFile.Save(sgd, path);

        var loaded = (SgdClassifier)ModelFile.Load(path).Estimator!;

        Assert.Equal(sgd.NIter, loaded.NIter);
        Assert.Equal(sgd.TUpdates, loaded.TUpdates);
        Assert.Equal(sgd.NFeaturesIn, loaded.NFeaturesIn);
        Assert.Equal(sgd.Settings, loaded.Settings);
        Assert.Equal(sgd.ClassesAs<int>(), loaded.ClassesAs<int>());
        int[] labels = sgd.Predict(fitted.Features);
        // One more epoch from the same weights and schedule gives the same weights, loaded or not.
        sgd.PartialFit(fitted.Features, labels);
        loaded.PartialFit(fitted.Features, labels);
        AssertBitIdentical(sgd.Coef, loaded.Coef);

        var mlp = (MlpClassifier)FittedEstimators.Make("mlp_classifier", Folder).Estimator;
        ModelFile.Save(mlp, path);
        var loadedMlp = (MlpClassifier)ModelFile.Load(path).Estimator!;
        Assert.Equal(mlp.NLayers, loadedMlp.NLayers);
        Assert.Equal(mlp.NOutputs, loadedMlp.NOutputs);
        Assert.Equal(mlp.OutActivation, loadedMlp.OutActivation);
        Assert.Equal(DType.Float32, loadedMlp.Options.DType);
        for (int i = 0; i < mlp.Coefs.Count; i++) AssertBitIdentical(mlp.Coefs[i], loadedMlp.Coefs[i]);
    }

    [Fact]
    public void File_IsPlainSafetensors_WithTheEstimatorsArraysAndSettings()
    {
        var fitted = FittedEstimators.Make("logistic_regression", Folder);
        var model = (LogisticRegression)fitted.Estimator;
        string path = PathOf("logistic.safetensors");

        ModelFile.Save(model, path);
        var content = Safetensors.Read(path);

        Assert.Equal(["coef", "intercept"], content.Tensors.Keys);
        AssertBitIdentical(model.Coef, content.Tensors["coef"]);
        AssertBitIdentical(model.Intercept, content.Tensors["intercept"]);
        var metadata = content.Metadata;
        Assert.Equal(["format", "format_version", "nabla_version", "model", "settings", "fitted", "task", "classes", "class_type", "preprocessing", "metrics", "training"],
            metadata.Keys);
        Assert.Equal("2", metadata["format_version"]);
        Assert.Equal("logistic_regression", metadata["model"]);
        Assert.Equal("{\"penalty\":\"l2\",\"tol\":0.0001,\"C\":10,\"fit_intercept\":true,\"class_weight\":\"none\",\"max_iter\":100}", metadata["settings"]);
        Assert.Equal($"{{\"n_features_in\":4,\"n_iter\":{model.NIter}}}", metadata["fitted"]);
        Assert.Equal("classification", metadata["task"]);
        Assert.Equal("[\"setosa\",\"versicolor\",\"virginica\"]", metadata["classes"]);
        Assert.Equal("string", metadata["class_type"]);
        Assert.Equal("null", metadata["preprocessing"]);
    }

    [Fact]
    public void MatrixFactorization_PredictsAndRecommendsAsBefore_UnknownIdsIncluded()
    {
        var fitted = FittedEstimators.Make("matrix_factorization", Folder);
        var model = (MatrixFactorization)fitted.Estimator;
        string path = PathOf("mf.safetensors");

        ModelFile.Save(model, path);
        var file = ModelFile.Load(path);
        var loaded = (MatrixFactorization)file.Estimator!;

        Assert.Equal([2], file.InputShape);
        Assert.Equal(model.LossCurve, loaded.LossCurve);
        Assert.Equal((model.NUsers, model.NItems, model.GlobalMean), (loaded.NUsers, loaded.NItems, loaded.GlobalMean));
        foreach (int user in new[] { 100, 103, 217, 999, 12345 })
            Assert.Equal(model.Recommend(user, 30), loaded.Recommend(user, 30));
        int[] users = [100, 100, 12345, 999, 12345], items = [7, 123456, 7, 1000, 8];
        Assert.Equal(model.Predict(users, items), loaded.Predict(users, items));
        var pairs = Tensor.FromArray([.. users.Zip(items).SelectMany(p => new[] { (double)p.First, p.Second })], users.Length, 2);
        AssertBitIdentical(Tensor.FromArray(model.Predict(users, items)), file.Predict(pairs));
        Assert.Contains("not a whole number", Assert.Throws<ArgumentException>(() => file.Predict(Tensor.FromArray([1.5, 2], 1, 2))).Message);
        Assert.Throws<ShapeMismatchException>(() => file.Predict(Tensor.FromArray([1.0, 2, 3], 1, 3)));
    }

    [Fact]
    public void Pipeline_ReadsDataFilesThroughTheEstimatorsPreparation()
    {
        foreach (string kind in new[] { "logistic_regression", "linear_svc", "ridge", "matrix_factorization" })
        {
            var fitted = FittedEstimators.Make(kind, Folder);
            string path = PathOf($"{kind}.safetensors");
            fitted.File().Save(path);

            var pipeline = ModelPipeline.Load(path);
            var predictions = pipeline.Predict(fitted.DataPath);
            var evaluation = pipeline.Evaluate(fitted.DataPath);

            var expected = Predictions(fitted.Estimator, fitted.Features);
            Assert.Equal(evaluation.Predictions.Count, predictions.Count);
            if (predictions.Task == ModelTask.Classification)
            {
                AssertBitIdentical(expected[1], predictions.ClassIndices!);
                Assert.Equal(predictions.ClassIndices!.ToArray<int>().Select(i => pipeline.Model.Classes![i]), predictions.Labels);
                if (kind == "linear_svc") Assert.Null(predictions.Probabilities);
                else AssertBitIdentical(expected[2], predictions.Probabilities!);
                Assert.True(evaluation.Metrics["accuracy"] > 0.8, $"{kind}: accuracy {evaluation.Metrics["accuracy"]}");
            }
            else
            {
                var values = fitted.Preprocessor is TabularPreprocessor tabular ? tabular.InverseTransformTarget(expected[0]) : expected[0];
                Assert.Equal(DType.Float64, predictions.Values!.DType);
                AssertBitIdentical(values, predictions.Values);
                Assert.True(evaluation.Metrics["r2"] > 0.3, $"{kind}: R² {evaluation.Metrics["r2"]}");
            }
        }
    }

    [Fact]
    public void Pipeline_RefusesAPreparationThatDoesNotFitTheEstimator()
    {
        var ridge = (Ridge)FittedEstimators.Make("ridge", Folder).Estimator;
        var iris = FittedEstimators.Make("logistic_regression", Folder);
        var wrongTask = new ModelFile(ridge, iris.Preprocessor.ToJson());
        var diabetesPrep = (TabularPreprocessor)FittedEstimators.Make("linear_regression", Folder).Preprocessor;
        var fewer = new Ridge().Fit(Tensor.Zeros(5, 3) + Tensor.Randn([5, 3], new Generator(1)), new double[] { 1, 2, 3, 4, 5 });

        Assert.Contains("the model is for regression but its preprocessing prepares data for classification",
            Assert.Throws<ArgumentException>(() => ModelPipeline.Create(wrongTask, iris.Preprocessor)).Message);
        Assert.Contains("its preprocessing gives 10 values per sample ([10]) but the ridge reads 3 ([3])",
            Assert.Throws<ArgumentException>(() => ModelPipeline.Create(new ModelFile(fewer), diabetesPrep)).Message);
        Assert.Contains("no preprocessing", Assert.Throws<ModelFileException>(() => ModelPipeline.FromFile(new ModelFile(ridge), "ridge.safetensors")).Message);
    }

    [Fact]
    public void Saving_RefusesWhatAFileCannotHold()
    {
        var iris = Datasets.Iris();
        var species = iris.Target.ToArray<int>().Select(c => (DayOfWeek)c).ToArray();

        Assert.Contains("call Fit before saving", Assert.Throws<InvalidOperationException>(() => new ModelFile(new Ridge())).Message);
        Assert.Contains("not fitted", Assert.Throws<InvalidOperationException>(() => new ModelFile(new MatrixFactorization())).Message);
        Assert.Contains("the classes are of type DayOfWeek, which a model file cannot hold",
            Assert.Throws<ArgumentException>(() => new ModelFile(new LogisticRegression().Fit(iris.Features, species))).Message);
        var normalised = new MlpRegressor(hiddenLayerSizes: [4], maxIter: 2, batchNorm: true).Fit(iris.Features, iris.Features.Slice(1, 0, 1).Reshape(150));
        Assert.Contains("batch normalisation cannot be saved", Assert.Throws<ArgumentException>(() => new ModelFile(normalised)).Message);
        Assert.Contains("the preprocessing is not a JSON object",
            Assert.Throws<ArgumentException>(() => new ModelFile(new Ridge().Fit(iris.Features, iris.Target), preprocessing: "[]")).Message);
    }

    [Fact]
    public void ModelFilesOfTheFirstFormatVersion_StillLoadAsNetworks()
    {
        var network = TrainedModels.Iris();
        string path = PathOf("v2.safetensors");
        network.Save(path);
        var content = Safetensors.Read(path);
        var metadata = content.Metadata.Where(e => e.Key is not ("model" or "class_type")).ToDictionary(e => e.Key, e => e.Value);
        metadata["format_version"] = "1";
        string v1 = PathOf("v1.safetensors");
        Safetensors.Write(v1, content.Tensors, metadata);
        var features = Tensor.Randn([9, 4], new Generator(3));

        var loaded = ModelFile.Load(v1);

        Assert.Equal(ModelFile.NetworkKind, loaded.Kind);
        Assert.Equal("string", loaded.ClassType);
        Assert.Null(loaded.Estimator);
        Assert.Null(loaded.Settings);
        Assert.Equal(network.Predict(features).ToArray<float>(), loaded.Predict(features).ToArray<float>());
        Assert.Equal(network.PredictLabels(features), loaded.PredictLabels<string>(features));
        Assert.Contains("a network's classes are strings", Assert.Throws<InvalidOperationException>(() => loaded.PredictLabels<int>(features)).Message);
    }

    [Fact]
    public void RegressionModels_HaveNoClassesToPredict()
    {
        var ridge = new ModelFile((Ridge)FittedEstimators.Make("ridge", Folder).Estimator);

        Assert.Null(ridge.Classes);
        Assert.Null(ridge.ClassType);
        Assert.Contains("the ridge is a regression model", Assert.Throws<InvalidOperationException>(() => ridge.PredictClassIndices(Tensor.Zeros(1, 10))).Message);
        Assert.Throws<ShapeMismatchException>(() => ridge.Predict(Tensor.Zeros(2, 9)));
    }

    /// <summary>The estimator's own predictions: values (regressor, recommender), or the decision function (or probabilities), class indices and probabilities (classifier).</summary>
    internal static Tensor[] Predictions(object estimator, Tensor features) => estimator switch
    {
        LogisticRegression m => [m.DecisionFunction(features), Tensor.FromArray(m.PredictClassIndices(features)), m.PredictProba(features)],
        SgdClassifier m => [m.DecisionFunction(features), Tensor.FromArray(m.PredictClassIndices(features)), m.PredictProba(features)],
        LinearSvc m => [m.DecisionFunction(features), Tensor.FromArray(m.PredictClassIndices(features))],
        MlpClassifier m => [m.PredictProba(features), Tensor.FromArray(m.PredictClassIndices(features)), m.PredictProba(features)],
        IRecommender m => [Scores(m, features)],
        IRegressor m => [m.Predict(features)],
        _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator.GetType().Name, "not an estimator a model file holds"),
    };

    /// <summary>Bit for bit: the same type, shape and bits of every element.</summary>
    internal static void AssertBitIdentical(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.DType, actual.DType);
        Assert.Equal(expected.Shape, actual.Shape);
        if (expected.DType == DType.Int32) Assert.Equal(expected.ToArray<int>(), actual.ToArray<int>());
        else if (expected.DType == DType.Float32) Assert.Equal(expected.ToArray<float>().Select(BitConverter.SingleToInt32Bits), actual.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        else Assert.Equal(expected.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), actual.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
    }

    private static void AssertBitIdentical(Tensor[] expected, Tensor[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) AssertBitIdentical(expected[i], actual[i]);
    }

    private static Tensor Scores(IRecommender model, Tensor pairs)
    {
        int[] ids = pairs.ToArray<int>();
        return Tensor.FromArray(model.Predict([.. ids.Where((_, i) => i % 2 == 0)], [.. ids.Where((_, i) => i % 2 == 1)]));
    }

    /// <summary>A logistic regression fitted with <paramref name="labels"/>, saved and loaded: the same classes of the same type, the same predictions.</summary>
    private void RoundTripsWith<TLabel>(Tensor features, TLabel[] labels, string typeName) where TLabel : notnull
    {
        var model = new LogisticRegression(maxIter: 20).Fit(features, labels);
        string path = PathOf($"labels-{typeName}.safetensors");
        ModelFile.Save(model, path);

        var file = ModelFile.Load(path);
        var loaded = (LogisticRegression)file.Estimator!;

        Assert.Equal(typeName, file.ClassType);
        Assert.Equal(model.ClassesAs<TLabel>(), loaded.ClassesAs<TLabel>());
        Assert.Equal(model.Classes.Select(c => c.GetType()), loaded.Classes.Select(c => c.GetType()));
        Assert.Equal(model.Predict<TLabel>(features), file.PredictLabels<TLabel>(features));
        Assert.Equal(model.Predict<TLabel>(features).Select(label => Convert.ToString(label, System.Globalization.CultureInfo.InvariantCulture)?.ToLowerInvariant()),
            file.PredictLabels(features).Select(label => label.ToLowerInvariant()));
        AssertBitIdentical(model.PredictProba(features), file.PredictProbabilities(features)!);
    }
}
