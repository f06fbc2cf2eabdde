using Nabla.Data;
using Nabla.Metrics;
using Nabla.Models;
using Nabla.NN;

namespace Nabla.Tests.Models;

/// <summary>
/// A model file joined with its preprocessing: predictions that are the network's own outputs (argmax
/// and softmax, or the regression value on the target's scale), evaluations with the library's
/// metrics, CSV output, IDX images, and every way the data or the model file can fail to fit.
/// </summary>
public sealed class ModelPipelineTests : TemporaryFolder
{
    private ModelPipeline Saved(ModelFile model, string name = "model.safetensors")
    {
        string path = PathOf(name);
        model.Save(path);
        return ModelPipeline.Load(path);
    }

    [Fact]
    public void Predict_OnIris_GivesTheArgmaxAndSoftmaxOfTheNetworksOutputs()
    {
        var pipeline = Saved(TrainedModels.Iris());
        var table = Csv.Read(SharedData.PathOf("iris.csv"));
        var prep = (TabularPreprocessor)pipeline.Preprocessor;
        float[] logits = pipeline.Model.Predict(prep.TransformFeatures(table)).ToArray<float>();

        var predictions = pipeline.Predict(SharedData.PathOf("iris.csv"));

        Assert.Equal(ModelTask.Classification, predictions.Task);
        Assert.Equal(150, predictions.Count);
        Assert.Equal(["setosa", "versicolor", "virginica"], predictions.Classes);
        float[] probabilities = predictions.Probabilities!.ToArray<float>();
        for (int row = 0; row < 150; row++)
        {
            var rowLogits = logits.AsSpan(row * 3, 3).ToArray();
            int best = Array.IndexOf(rowLogits, rowLogits.Max());
            Assert.Equal(best, predictions.ClassIndices!.ToArray<int>()[row]);
            Assert.Equal(predictions.Classes[best], predictions.Labels[row]);
            double denominator = rowLogits.Sum(z => Math.Exp(z - rowLogits.Max()));
            for (int c = 0; c < 3; c++)
                Assert.Equal(Math.Exp(rowLogits[c] - rowLogits.Max()) / denominator, probabilities[row * 3 + c], 1e-6);
            Assert.Equal(1.0, probabilities.AsSpan(row * 3, 3).ToArray().Sum(), 1e-6);
        }
        Assert.True(predictions.Labels.Zip(TrueSpecies(table)).Count(p => p.First == p.Second) > 100,
            "the short training run should classify most flowers right");
    }

    private static string[] TrueSpecies(CsvTable table)
    {
        var column = table["species"];
        return [.. column.Codes.ToArray().Select(code => column.Categories[code])];
    }

    [Fact]
    public void Predict_OnDiabetes_GivesValuesOnTheTargetsScale()
    {
        var pipeline = Saved(TrainedModels.Diabetes());
        var prep = (TabularPreprocessor)pipeline.Preprocessor;
        var table = Csv.Read(SharedData.PathOf("diabetes.csv"));
        var outputs = pipeline.Model.Predict(prep.TransformFeatures(table));

        var predictions = pipeline.Predict(SharedData.PathOf("diabetes.csv"));

        Assert.Equal(ModelTask.Regression, predictions.Task);
        Assert.Empty(predictions.Classes);
        Assert.Empty(predictions.Labels);
        Assert.Null(predictions.Probabilities);
        float[] values = predictions.Values!.ToArray<float>();
        Assert.Equal(prep.InverseTransformTarget(outputs.Reshape(table.RowCount)).ToArray<float>(), values);
        float[] standardised = outputs.ToArray<float>();
        for (int i = 0; i < values.Length; i++) Assert.Equal(standardised[i] * prep.TargetScale + prep.TargetMean, values[i], 1e-3);
        Assert.InRange(values.Average(), 100, 200);
    }

    [Fact]
    public void Evaluate_OnIris_ScoresThePredictionsAsTheMetricsDo()
    {
        var pipeline = Saved(TrainedModels.Iris());
        var evaluation = pipeline.Evaluate(SharedData.PathOf("iris.csv"));
        var truth = TrueSpecies(Csv.Read(SharedData.PathOf("iris.csv")));
        var predicted = evaluation.Predictions.Labels.ToArray();

        Assert.Equal(truth.Zip(predicted).Count(p => p.First == p.Second) / 150.0, evaluation.Metrics["accuracy"], 1e-12);
        Assert.Equal(ClassificationMetrics.F1(truth, predicted, Average.Macro), evaluation.Metrics["f1_macro"], 1e-12);
        Assert.Equal(ClassificationMetrics.F1(truth, predicted, Average.Weighted), evaluation.Metrics["f1_weighted"], 1e-12);
        Assert.Equal(ClassificationMetrics.Precision(truth, predicted, Average.Macro), evaluation.Metrics["precision_macro"], 1e-12);
        Assert.Equal(ClassificationMetrics.Recall(truth, predicted, Average.Macro), evaluation.Metrics["recall_macro"], 1e-12);
        Assert.Equal(ClassificationReport.Create(truth, predicted).ToString(), evaluation.Report!.ToString());
        Assert.Equal(ClassificationMetrics.ConfusionMatrix(truth, predicted, ["setosa", "versicolor", "virginica"]), evaluation.ConfusionMatrix);
        Assert.Equal(150, evaluation.ConfusionMatrix!.Cast<int>().Sum());
    }

    [Fact]
    public void Evaluate_OnDiabetes_ScoresTheValuesAgainstTheFilesOwnNumbers()
    {
        var pipeline = Saved(TrainedModels.Diabetes());
        var evaluation = pipeline.Evaluate(SharedData.PathOf("diabetes.csv"));
        double[] truth = Csv.Read(SharedData.PathOf("diabetes.csv"))["progression"].Numbers.ToArray();
        double[] predicted = evaluation.Predictions.Values!.ToDoubleArray();

        double mse = truth.Zip(predicted).Average(p => (p.First - p.Second) * (p.First - p.Second));
        double mean = truth.Average();
        double r2 = 1 - truth.Zip(predicted).Sum(p => (p.First - p.Second) * (p.First - p.Second)) / truth.Sum(t => (t - mean) * (t - mean));
        Assert.Equal(mse, evaluation.Metrics["mse"], 1e-9);
        Assert.Equal(Math.Sqrt(mse), evaluation.Metrics["rmse"], 1e-9);
        Assert.Equal(truth.Zip(predicted).Average(p => Math.Abs(p.First - p.Second)), evaluation.Metrics["mae"], 1e-9);
        Assert.Equal(r2, evaluation.Metrics["r2"], 1e-9);
        Assert.Null(evaluation.Report);
        Assert.Null(evaluation.ConfusionMatrix);
    }

    [Fact]
    public void ImageModel_PredictsAFoldersTestImagesOrOneImagesFile_AndEvaluatesAgainstTheLabels()
    {
        string data = PathOf("images");
        var pipeline = Saved(TrainedModels.Images(data));
        var test = IdxImageFolder.Load(data).Test;

        var fromFolder = pipeline.Predict(data);
        var fromFile = pipeline.Predict(Path.Combine(data, "t10k-images-idx3-ubyte.gz"));
        var evaluation = pipeline.Evaluate(Path.Combine(data, "t10k-images-idx3-ubyte.gz"));

        var expected = pipeline.Model.Predict(test.Images).ArgMax(axis: 1).ToArray<int>();
        Assert.Equal(expected, fromFolder.ClassIndices!.ToArray<int>());
        Assert.Equal(expected, fromFile.ClassIndices!.ToArray<int>());
        Assert.Equal(TrainedModels.ImageClasses, fromFolder.Classes);
        Assert.Equal(test.Labels.ToArray<int>(), evaluation.Targets.ToArray<int>());
        Assert.Equal(ClassificationMetrics.Accuracy(test.Labels, fromFolder.ClassIndices!), evaluation.Metrics["accuracy"], 1e-12);
    }

    [Fact]
    public void ImageModel_RejectsImagesOfAnotherSize_AndAFolderWithoutTestLabels()
    {
        string data = PathOf("images");
        var pipeline = Saved(TrainedModels.Images(data));
        string other = WriteBytes("t10k-images-idx3-ubyte", TrainedModels.ImageBytes(4, 5, new Random(1)).Images);
        File.Delete(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));

        var wrongSize = Assert.Throws<InvalidDataException>(() => pipeline.Predict(other));
        var noLabels = Assert.Throws<FileNotFoundException>(() => pipeline.Evaluate(data));
        var noLabelsBeside = Assert.Throws<FileNotFoundException>(() => pipeline.Evaluate(other));

        Assert.Contains("5×5", wrongSize.Message);
        Assert.Contains("6×6", wrongSize.Message);
        Assert.Contains("t10k-labels-idx1-ubyte", noLabels.Message);
        Assert.Contains("t10k-labels-idx1-ubyte", noLabelsBeside.Message);
        Assert.Equal(12, pipeline.Predict(data).Count);
    }

    [Fact]
    public void TabularPixels_AreViewedInTheNetworksImageShape()
    {
        var table = Csv.Read(SharedData.PathOf("digits.csv"));
        var prep = TabularPreprocessor.Fit(table, "digit", TrainTestSplit.Create(table.RowCount, randomState: 0).Train);
        var architecture = ModelArchitecture.Cnn(1, 8, 8, 10);
        var model = new ModelFile(architecture, architecture.Build(DType.Float32, new Generator(3)), ModelTask.Classification, prep.ClassLabels, prep.ToJson());
        var pipeline = Saved(model);
        var features = prep.TransformFeatures(table);

        var predictions = pipeline.Predict(features);

        Assert.Equal(model.Predict(features.Reshape(table.RowCount, 1, 8, 8)).ToArray<float>(), predictions.Outputs.ToArray<float>());
    }

    [Fact]
    public void Create_RefusesAPreprocessorThatDoesNotFitTheModel()
    {
        var iris = TrainedModels.Iris();
        var diabetes = TrainedModels.Diabetes();
        var irisPrep = Preprocessor.FromJson(iris.Preprocessing!);
        var wide = ModelArchitecture.Mlp(5, [4], Activation.Relu, 3);
        var wideModel = new ModelFile(wide, wide.Build(), ModelTask.Classification, iris.Classes, iris.Preprocessing);
        var renamed = new ModelFile(iris.Architecture!, iris.Network!, ModelTask.Classification, ["a", "b", "c"], iris.Preprocessing);

        Assert.Contains("regression", Assert.Throws<ArgumentException>(() => ModelPipeline.Create(diabetes, irisPrep)).Message);
        Assert.Contains("gives 4 values per sample", Assert.Throws<ArgumentException>(() => ModelPipeline.Create(wideModel, irisPrep)).Message);
        Assert.Contains("classes (a, b, c) differ", Assert.Throws<ArgumentException>(() => ModelPipeline.Create(renamed, irisPrep)).Message);
    }

    [Fact]
    public void Load_RefusesAModelFileWithoutOrWithBrokenPreprocessing_NamingTheFile()
    {
        var iris = TrainedModels.Iris();
        var none = new ModelFile(iris.Architecture!, iris.Network!, ModelTask.Classification, iris.Classes);
        var broken = new ModelFile(iris.Architecture!, iris.Network!, ModelTask.Classification, iris.Classes, "{\"kind\": \"audio\"}");
        none.Save(PathOf("none.safetensors"));
        broken.Save(PathOf("broken.safetensors"));

        var noneError = Assert.Throws<ModelFileException>(() => ModelPipeline.Load(PathOf("none.safetensors")));
        var brokenError = Assert.Throws<ModelFileException>(() => ModelPipeline.Load(PathOf("broken.safetensors")));
        var missing = Assert.Throws<FileNotFoundException>(() => ModelPipeline.Load(PathOf("absent.safetensors")));

        Assert.Contains(PathOf("none.safetensors"), noneError.Message);
        Assert.Contains("no preprocessing", noneError.Message);
        Assert.Contains(PathOf("broken.safetensors"), brokenError.Message);
        Assert.Contains("audio", brokenError.Message);
        Assert.Contains("absent.safetensors", missing.Message);
    }

    [Fact]
    public void CsvData_ThatDoesNotFit_NamesTheFileLineAndColumn()
    {
        var pipeline = Saved(TrainedModels.Iris());
        string noColumn = WriteText("no-column.csv", "sepal_length,sepal_width,petal_length\n5.1,3.5,1.4\n");
        string text = WriteText("text.csv", "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n5.1,wide,1.4,0.2,setosa\n");
        string unknown = WriteText("unknown.csv", "sepal_length,sepal_width,petal_length,petal_width,species\n5.1,3.5,1.4,0.2,setosa\n5.1,3.5,1.4,0.2,rose\n");
        string noTarget = WriteText("no-target.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n");

        Assert.Contains("'petal_width' is missing", Assert.Throws<InvalidDataException>(() => pipeline.Predict(noColumn)).Message);
        var textError = Assert.Throws<InvalidDataException>(() => pipeline.Predict(text)).Message;
        Assert.Contains($"{text}, line 3, column 'sepal_width'", textError);
        Assert.Contains($"{unknown}, line 3", Assert.Throws<InvalidDataException>(() => pipeline.Evaluate(unknown)).Message);
        Assert.Contains("no target column 'species'", Assert.Throws<InvalidDataException>(() => pipeline.Evaluate(noTarget)).Message);
        Assert.Single(pipeline.Predict(noTarget).Labels);
        Assert.Throws<FileNotFoundException>(() => pipeline.Predict(PathOf("absent.csv")));
        Assert.Contains("is a folder", Assert.Throws<InvalidDataException>(() => pipeline.Predict(Folder)).Message);
    }

    [Fact]
    public void WriteCsv_HasAPredictionAndAProbabilityPerClass_QuotingLabelsThatNeedIt()
    {
        string data = WriteText("odd.csv", "x,label\n0,\"a,b\"\n1,\"say \"\"hi\"\"\"\n0,\"a,b\"\n1,\"say \"\"hi\"\"\"\n");
        var table = Csv.Read(data);
        var prep = TabularPreprocessor.Fit(table, "label", [0, 1, 2, 3]);
        var architecture = ModelArchitecture.Linear(1, 2);
        var pipeline = ModelPipeline.Create(
            new ModelFile(architecture, architecture.Build(DType.Float32, new Generator(4)), ModelTask.Classification, prep.ClassLabels, prep.ToJson()), prep);
        var predictions = pipeline.Predict(data);
        string path = PathOf("predictions.csv");

        predictions.WriteCsv(path);

        var written = Csv.Read(path);
        Assert.Equal(["prediction", "probability_a,b", "probability_say \"hi\""], written.ColumnNames);
        Assert.Equal(4, written.RowCount);
        var column = written["prediction"];
        Assert.Equal(predictions.Labels, column.Codes.ToArray().Select(code => column.Categories[code]));
        Assert.Equal(predictions.Probabilities!.ToDoubleArray().Where((_, i) => i % 2 == 0).Select(p => (float)p),
            written["probability_a,b"].Numbers.ToArray().Select(p => (float)p));
        Assert.Equal([path], Directory.GetFiles(Folder, "predictions*"));
        Assert.Empty(Directory.GetFiles(Folder, "*.tmp"));
    }

    [Fact]
    public void Predict_RunsAWideNetworkInBatchesThatFitItsMemoryLimit_AsTheWholeNetworkWould()
    {
        string csv = WideConvolution.Csv(300);
        var (model, prep) = WideConvolution.Model(csv);
        var pipeline = ModelPipeline.Create(model, prep);
        var inputs = prep.TransformFeatures(Csv.Read(new StringReader(csv), "wide.csv"));
        float[] whole;
        using (Nabla.Autograd.NoGrad()) whole = model.Network!.Forward(WideConvolution.Architecture.ViewAsInput(inputs)).ToArray<float>();
        var memory = WideConvolution.Architecture.Memory();

        model.MemoryLimit = new MemoryLimit(memory.InferenceBytes(7), "test limit");
        var predictions = pipeline.Predict(inputs);

        Assert.Equal(7, memory.RowsPerBatch(ModelFile.PredictBatchSize, model.MemoryLimit));
        Assert.Equal(300, predictions.Count);
        float[] batched = predictions.Outputs.ToArray<float>();
        for (int i = 0; i < whole.Length; i++) Assert.Equal(whole[i], batched[i], 1e-5f);
    }

    [Fact]
    public void Predict_RefusesANetworkWhoseSingleRowExceedsTheLimit_BeforeReadingTheData()
    {
        var (model, prep) = WideConvolution.Model(WideConvolution.Csv(3));
        var pipeline = ModelPipeline.Create(model, prep);
        model.MemoryLimit = new MemoryLimit(WideConvolution.Architecture.Memory().InferenceBytes(1) - 1, "--memory-limit");
        // Not CSV at all: reading it first would fail with another message.
        string data = WriteBytes("data.csv", [0xFF, 0xFE, 0, 1, 2]);

        var e = Assert.Throws<InsufficientMemoryException>(() => pipeline.Predict(data));

        Assert.StartsWith("layer 0 (conv2d) would produce 64 KB of activations per batch of 1 row, and unfold its input into 2.25 KB of columns; running the network needs", e.Message);
        Assert.EndsWith("(--memory-limit).", e.Message);
    }

    private string WriteText(string name, string text) => WriteBytes(name, System.Text.Encoding.UTF8.GetBytes(text));
}
