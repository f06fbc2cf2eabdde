using System.IO.Compression;
using Nabla.Tests;
using Nabla.Tests.Data;

namespace Nabla.Cli.Tests;

/// <summary>
/// A small folder of Fashion-MNIST in its own layout (gzip IDX, train-* and t10k-*): the first images
/// of the shared data set's training and test files, or, where the shared data are not next to the
/// checkout, the 100-image excerpt the library tests keep, split into training and test images.
/// </summary>
internal static class FashionMnistSubset
{
    private const int Side = 28, ImageHeaderBytes = 16, LabelHeaderBytes = 8;
    private const byte UnsignedBytes = 0x08;

    /// <summary>Writes the four files into <paramref name="folder"/> with up to <paramref name="train"/> and <paramref name="test"/> images.</summary>
    /// <returns>The numbers of training and test images written.</returns>
    public static (int Train, int Test) Write(string folder, int train, int test)
    {
        Directory.CreateDirectory(folder);
        if (SharedData.Has("fashion-mnist/t10k-images-idx3-ubyte.gz"))
        {
            string shared = SharedData.PathOf("fashion-mnist");
            WritePart(folder, "train", Read(shared, "train-images-idx3-ubyte.gz", ImageHeaderBytes, train * Side * Side), Read(shared, "train-labels-idx1-ubyte.gz", LabelHeaderBytes, train));
            WritePart(folder, "t10k", Read(shared, "t10k-images-idx3-ubyte.gz", ImageHeaderBytes, test * Side * Side), Read(shared, "t10k-labels-idx1-ubyte.gz", LabelHeaderBytes, test));
            return (train, test);
        }
        string excerpt = Path.Combine(RepositoryLayout.Root, "tests", "Nabla.Tests", "Fixtures", "fashion-mnist");
        const int ExcerptImages = 100, ExcerptTest = 20;
        byte[] images = Read(excerpt, "train-images-idx3-ubyte.gz", ImageHeaderBytes, ExcerptImages * Side * Side);
        byte[] labels = Read(excerpt, "train-labels-idx1-ubyte.gz", LabelHeaderBytes, ExcerptImages);
        int trainCount = ExcerptImages - ExcerptTest;
        WritePart(folder, "train", images[..(trainCount * Side * Side)], labels[..trainCount]);
        WritePart(folder, "t10k", images[(trainCount * Side * Side)..], labels[trainCount..]);
        return (trainCount, ExcerptTest);
    }

    private static void WritePart(string folder, string prefix, byte[] pixels, byte[] labels)
    {
        int count = labels.Length;
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-images-idx3-ubyte.gz"), IdxBytes.Gzip([.. IdxBytes.Header(UnsignedBytes, count, Side, Side), .. pixels]));
        File.WriteAllBytes(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte.gz"), IdxBytes.Gzip([.. IdxBytes.Header(UnsignedBytes, count), .. labels]));
    }

    /// <summary>The first <paramref name="count"/> bytes after the header of a gzip IDX file.</summary>
    private static byte[] Read(string folder, string name, int headerBytes, int count)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(folder, name)), CompressionMode.Decompress);
        var buffer = new byte[headerBytes + count];
        gzip.ReadExactly(buffer);
        return buffer[headerBytes..];
    }
}
