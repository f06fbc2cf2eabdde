using Nabla.Data;

namespace Nabla.Bench;

/// <summary>
/// Fashion-MNIST as the PyTorch anchors load it: images flattened to 784 Float32 pixels scaled to
/// [0, 1] (divided by 255), labels as Int32 class indices.
/// </summary>
internal sealed class FashionMnist
{
    /// <summary>Pixels per image (28 × 28).</summary>
    public const int Features = 784;

    private FashionMnist(Tensor trainImages, Tensor trainLabels, Tensor testImages, Tensor testLabels)
        => (TrainImages, TrainLabels, TestImages, TestLabels) = (trainImages, trainLabels, testImages, testLabels);

    /// <summary>The 60,000 training images, [60000, 784].</summary>
    public Tensor TrainImages { get; }

    /// <summary>The training labels, [60000].</summary>
    public Tensor TrainLabels { get; }

    /// <summary>The 10,000 test images, [10000, 784].</summary>
    public Tensor TestImages { get; }

    /// <summary>The test labels, [10000].</summary>
    public Tensor TestLabels { get; }

    /// <summary>
    /// Reads the four gzip IDX files from <paramref name="directory"/>; when null, from the
    /// <c>FASHION_MNIST</c> environment variable, else from <c>../shared/data/fashion-mnist</c> next
    /// to the repository, where the anchors read it too.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">No data directory was found.</exception>
    public static FashionMnist Load(string? directory)
    {
        directory ??= Environment.GetEnvironmentVariable("FASHION_MNIST") ?? NextToRepository();
        if (!File.Exists(Path.Combine(directory, "train-images-idx3-ubyte.gz")))
            throw new DirectoryNotFoundException($"train: no Fashion-MNIST in '{directory}' (train-images-idx3-ubyte.gz is missing); pass --data DIR or set FASHION_MNIST.");
        return new FashionMnist(
            Images(Path.Combine(directory, "train-images-idx3-ubyte.gz")),
            Idx.Read(Path.Combine(directory, "train-labels-idx1-ubyte.gz"), DType.Int32),
            Images(Path.Combine(directory, "t10k-images-idx3-ubyte.gz")),
            Idx.Read(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), DType.Int32));
    }

    private static Tensor Images(string path)
    {
        var images = Idx.Read(path, DType.Float32);
        var pixels = images.Float32Data;
        System.Numerics.Tensors.TensorPrimitives.Divide(pixels, 255f, pixels);
        return images.Reshape(-1, Features);
    }

    /// <summary>The anchors' default location: <c>shared/data/fashion-mnist</c> beside the repository root (the folder holding Nabla.slnx).</summary>
    private static string NextToRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return Path.Combine(dir.FullName, "..", "shared", "data", "fashion-mnist");
        throw new DirectoryNotFoundException("train: cannot find the repository root (Nabla.slnx) to locate Fashion-MNIST; pass --data DIR or set FASHION_MNIST.");
    }
}
