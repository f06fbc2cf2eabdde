using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// A folder of IDX files in the MNIST and Fashion-MNIST layout: train-images-idx3-ubyte,
/// train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each raw or gzip-compressed
/// (with ".gz" added to its name), loaded as a training and a test set with the preprocessing fitted on
/// the training set.
/// </summary>
/// <example>
/// <code>
/// var mnist = IdxImageFolder.Load("data/fashion-mnist");
/// // mnist.Train.Images: [60000, 1, 28, 28] in [0, 1]; mnist.Preprocessor.ClassLabels: "0" … "9"
/// </code>
/// </example>
public sealed class IdxImageFolder
{
    /// <summary>The name of the test images file, without ".gz".</summary>
    internal const string TestImagesName = "t10k-images-idx3-ubyte";

    /// <summary>The name of the test labels file, without ".gz".</summary>
    internal const string TestLabelsName = "t10k-labels-idx1-ubyte";

    private static readonly string[] FileNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", TestImagesName, TestLabelsName];

    private IdxImageFolder(ImagePreprocessor preprocessor, ImageSet train, ImageSet test)
    {
        Preprocessor = preprocessor;
        Train = train;
        Test = test;
    }

    /// <summary>The preprocessing, fitted on the training set: image size, scale 1/255, and the distinct training labels as classes.</summary>
    public ImagePreprocessor Preprocessor { get; }

    /// <summary>The training images and class indices.</summary>
    public ImageSet Train { get; }

    /// <summary>The test ("t10k") images and class indices.</summary>
    public ImageSet Test { get; }

    /// <summary>Loads the four files of <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">Files are missing; every missing one is named.</exception>
    /// <exception cref="InvalidDataException">A file is not IDX of the expected kind (wrong magic number, truncated), a file of images and its labels differ
    /// in count, the test images differ in size from the training ones, or a test label is not a training class; the message names the file.</exception>
    public static IdxImageFolder Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The IDX image folder {folder} does not exist.");
        var paths = FileNames.Select(name => Locate(folder, name)).ToArray();
        var missing = FileNames.Where((_, i) => paths[i] is null).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"{folder}: missing {string.Join(", ", missing)} (each raw or with .gz); an IDX image folder holds {string.Join(", ", FileNames)}.");

        var trainImages = ImagePreprocessor.ReadImages(paths[0]!);
        var trainLabels = ImagePreprocessor.ReadLabels(paths[1]!);
        CheckCounts(trainImages, paths[0]!, trainLabels, paths[1]!, "training");
        var classes = LabelOrder.Unique(trainLabels.ToArray<int>()).Select(l => l.ToString(CultureInfo.InvariantCulture)).ToArray();
        if (classes.Length < 2)
            throw new InvalidDataException($"{paths[1]}: every training label is {classes[0]}; a classifier needs at least two classes.");
        var preprocessor = new ImagePreprocessor(1, trainImages.Shape[1], trainImages.Shape[2], 1.0 / byte.MaxValue, classes);
        var train = new ImageSet(preprocessor.Prepare(trainImages), preprocessor.Encode(trainLabels, paths[1]!));

        var testImages = preprocessor.TransformImages(paths[2]!);
        var testLabels = ImagePreprocessor.ReadLabels(paths[3]!);
        CheckCounts(testImages, paths[2]!, testLabels, paths[3]!, "test");
        return new IdxImageFolder(preprocessor, train, new ImageSet(testImages, preprocessor.Encode(testLabels, paths[3]!)));
    }

    /// <summary>The raw file, or else the gzip-compressed one, or null when neither is there.</summary>
    internal static string? Locate(string folder, string name)
    {
        string raw = Path.Combine(folder, name), gzip = raw + ".gz";
        return File.Exists(raw) ? raw : File.Exists(gzip) ? gzip : null;
    }

    private static void CheckCounts(Tensor images, string imagesPath, Tensor labels, string labelsPath, string part)
    {
        if (images.Shape[0] == 0)
            throw new InvalidDataException($"{imagesPath} holds no images; the {part} set needs at least one.");
        if (images.Shape[0] != labels.Shape[0])
            throw new InvalidDataException($"{imagesPath} holds {images.Shape[0]} images but {labelsPath} holds {labels.Shape[0]} labels; they must be equal.");
    }
}
