using System.Globalization;
using Nabla.Data;
using Nabla.Losses;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Tests.Data;
using Nabla.Training;

namespace Nabla.Tests.Models;

/// <summary>
/// Model files made as <c>nabla train</c> makes them: the data split, the preprocessing fitted on the
/// training rows, a network from <see cref="ModelArchitecture"/>, a short run of the <see cref="Trainer"/>,
/// the test metrics and a training summary; for iris (text labels), diabetes (regression) and a small
/// set of IDX images. Few epochs: the tests check that predictions are the network's, not that it learnt well.
/// </summary>
internal static class TrainedModels
{
    /// <summary>The side of the hand-made IDX images, in pixels.</summary>
    public const int ImageSide = 6;

    /// <summary>The classes of the hand-made IDX images.</summary>
    public static readonly string[] ImageClasses = ["0", "1", "2"];

    /// <summary>An MLP on iris.csv, predicting the species.</summary>
    public static ModelFile Iris() => Tabular(SharedData.PathOf("iris.csv"), "species", ModelArchitecture.Mlp(4, [8], Activation.Relu, 3), epochs: 20);

    /// <summary>A linear model on diabetes.csv, predicting the (standardised) progression.</summary>
    public static ModelFile Diabetes() => Tabular(SharedData.PathOf("diabetes.csv"), "progression", ModelArchitecture.Linear(10, 1), epochs: 20);

    /// <summary>A CNN on the IDX folder <see cref="WriteImageFolder"/> writes in <paramref name="folder"/>.</summary>
    public static ModelFile Images(string folder)
    {
        WriteImageFolder(folder);
        var data = IdxImageFolder.Load(folder);
        var architecture = ModelArchitecture.Cnn(1, ImageSide, ImageSide, ImageClasses.Length);
        var network = architecture.Build(DType.Float32, new Generator(1));
        Fit(network, new CrossEntropyLoss(), data.Train.Images, data.Train.Labels, epochs: 5);
        var metrics = new Dictionary<string, double> { ["accuracy"] = 0.5 };
        return new ModelFile(architecture, network, ModelTask.Classification, data.Preprocessor.ClassLabels, data.Preprocessor.ToJson(), metrics,
            Summary("cnn", folder, "label", data.Train.Images.Shape[0], data.Test.Images.Shape[0]));
    }

    /// <summary>
    /// Writes an IDX folder in the MNIST layout: <paramref name="trainCount"/> and <paramref name="testCount"/>
    /// <see cref="ImageSide"/>² images whose class (0, 1 or 2) is the band of rows that is bright, with noise;
    /// the test files gzip-compressed, as Fashion-MNIST ships them.
    /// </summary>
    public static void WriteImageFolder(string folder, int trainCount = 60, int testCount = 12)
    {
        Directory.CreateDirectory(folder);
        var random = new Random(5);
        var (trainImages, trainLabels) = ImageBytes(trainCount, ImageSide, random);
        var (testImages, testLabels) = ImageBytes(testCount, ImageSide, random);
        File.WriteAllBytes(Path.Combine(folder, "train-images-idx3-ubyte"), trainImages);
        File.WriteAllBytes(Path.Combine(folder, "train-labels-idx1-ubyte"), trainLabels);
        File.WriteAllBytes(Path.Combine(folder, "t10k-images-idx3-ubyte.gz"), IdxBytes.Gzip(testImages));
        File.WriteAllBytes(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"), IdxBytes.Gzip(testLabels));
    }

    /// <summary>An IDX images file of <paramref name="count"/> images of <paramref name="side"/>² pixels, and its labels file.</summary>
    public static (byte[] Images, byte[] Labels) ImageBytes(int count, int side, Random random)
    {
        var images = new List<byte>(IdxBytes.Header(0x08, count, side, side));
        var labels = new List<byte>(IdxBytes.Header(0x08, count));
        for (int i = 0; i < count; i++)
        {
            int label = i % ImageClasses.Length;
            labels.Add((byte)label);
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                    images.Add((byte)(y * ImageClasses.Length / side == label ? 200 + random.Next(56) : random.Next(60)));
        }
        return ([.. images], [.. labels]);
    }

    private static ModelFile Tabular(string path, string target, ModelArchitecture architecture, int epochs)
    {
        var table = Csv.Read(path);
        var split = TrainTestSplit.Create(table.RowCount, randomState: 0);
        var preprocessor = TabularPreprocessor.Fit(table, target, split.Train);
        var features = preprocessor.TransformFeatures(table);
        var targets = preprocessor.TransformTargets(table);
        var rows = Tensor.FromArray(split.Train.ToArray());
        var network = architecture.Build(DType.Float32, new Generator(1));
        bool classifier = preprocessor.Task == ModelTask.Classification;
        var trainTargets = targets.IndexSelect(0, rows);
        Fit(network, classifier ? new CrossEntropyLoss() : new MseLoss(), features.IndexSelect(0, rows),
            classifier ? trainTargets : trainTargets.Reshape(split.Train.Count, 1), epochs);
        var metrics = classifier
            ? new Dictionary<string, double> { ["accuracy"] = 0.9, ["precision_macro"] = 0.9, ["recall_macro"] = 0.9, ["f1_macro"] = 0.9, ["f1_weighted"] = 0.9 }
            : new Dictionary<string, double> { ["mse"] = 3000, ["rmse"] = 54.8, ["mae"] = 44, ["r2"] = 0.45 };
        return new ModelFile(architecture, network, preprocessor.Task, classifier ? preprocessor.ClassLabels : null, preprocessor.ToJson(), metrics,
            Summary(classifier ? "mlp" : "linear", path, target, split.Train.Count, split.Test.Count));
    }

    private static void Fit(Nabla.NN.Module network, Loss loss, Tensor inputs, Tensor targets, int epochs)
    {
        var loader = new DataLoader(inputs, targets, batchSize: 16, shuffle: true, generator: new Generator(2));
        new Trainer(network, loss, new Adam(network.Parameters(), 0.01)).Fit(loader, epochs);
    }

    private static Dictionary<string, string> Summary(string model, string data, string target, int trainSamples, int testSamples) => new()
    {
        ["model"] = model, ["optimizer"] = "adam", ["learning_rate"] = "0.01", ["epochs"] = "20", ["epochs_run"] = "20", ["batch_size"] = "16",
        ["seed"] = "0", ["data"] = data, ["target"] = target, ["train_samples"] = trainSamples.ToString(CultureInfo.InvariantCulture),
        ["test_samples"] = testSamples.ToString(CultureInfo.InvariantCulture), ["seconds"] = "0.5",
    };
}
