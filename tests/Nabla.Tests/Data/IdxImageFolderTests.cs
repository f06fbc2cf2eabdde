using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>Loading an MNIST-layout folder of IDX files: the real Fashion-MNIST files, and each kind of broken folder.</summary>
public sealed class IdxImageFolderTests : TemporaryFolder
{
    [Fact]
    public void FashionMnist_LoadsScaledImagesAndTenClasses()
    {
        // The whole data set when the shared data is next to the checkout; otherwise the 100-image
        // excerpt of the training files (a fixture) stands in for both parts.
        bool full = SharedData.Has("fashion-mnist/t10k-labels-idx1-ubyte.gz");
        string folder = full ? SharedData.PathOf("fashion-mnist") : ExcerptFolder();
        int train = full ? 60000 : 100, test = full ? 10000 : 100;

        var data = IdxImageFolder.Load(folder);

        Assert.Equal([train, 1, 28, 28], data.Train.Images.Shape);
        Assert.Equal([test, 1, 28, 28], data.Test.Images.Shape);
        Assert.Equal([train], data.Train.Labels.Shape);
        Assert.Equal(DType.Int32, data.Test.Labels.DType);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => d.ToString()), data.Preprocessor.ClassLabels);
        Assert.Equal([1, 28, 28], data.Preprocessor.SampleShape);
        Assert.Equal([9, 0, 0, 3, 0, 2, 7, 2, 5, 5], data.Train.Labels.ToArray<int>()[..10]);
        var pixels = data.Train.Images.ToArray<float>();
        Assert.Equal(193 / 255f, pixels[10 * 28 + 13], 6);
        Assert.Equal(76247.0 / 255, pixels.AsSpan(0, 784).ToArray().Sum(v => (double)v), 3);
        Assert.InRange(pixels.Max(), 0.99f, 1f);
    }

    [Fact]
    public void ImagePreprocessor_RoundTripsThroughJson_AndPreparesTheSameImages()
    {
        string folder = ExcerptFolder();
        var data = IdxImageFolder.Load(folder);

        string json = data.Preprocessor.ToJson();
        var back = Assert.IsType<ImagePreprocessor>(Preprocessor.FromJson(json));

        Assert.Contains("\"kind\":\"image\"", json);
        Assert.Equal((1, 28, 28, 1 / 255.0), (back.Channels, back.Height, back.Width, back.Scale));
        Assert.Equal(data.Preprocessor.ClassLabels, back.ClassLabels);
        Assert.Equal(data.Train.Images.ToArray<float>(), back.TransformImages(Path.Combine(folder, "train-images-idx3-ubyte.gz")).ToArray<float>());
        Assert.Equal(data.Train.Labels.ToArray<int>(), back.TransformLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz")).ToArray<int>());
    }

    private const string ValidImageJson = "{\"kind\":\"image\",\"channels\":1,\"height\":28,\"width\":28,\"scale\":0.5,\"classes\":[\"0\",\"1\"]}";

    [Theory]
    [InlineData("\"height\":28", "\"height\":0", "Preprocessing JSON: \"height\" is the number 0, expected a whole number of at least 1.")]
    [InlineData("\"scale\":0.5,", "", "Preprocessing JSON: the field \"scale\" is missing; expected a number.")]
    [InlineData("[\"0\",\"1\"]", "[\"0\",\"cat\"]", "Preprocessing JSON: the class label \"cat\" is not a whole number from 0 to 255, as IDX labels are.")]
    [InlineData("[\"0\",\"1\"]", "[\"1\"]", "Preprocessing JSON: \"classes\" has 1 labels; a classifier has at least two.")]
    public void ImageJson_TrustsNothing(string valid, string broken, string message)
    {
        Assert.Equal([1, 28, 28], Preprocessor.FromJson(ValidImageJson).SampleShape);

        var e = Assert.Throws<InvalidDataException>(() => Preprocessor.FromJson(ValidImageJson.Replace(valid, broken)));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void MissingFiles_AreAllNamed()
    {
        WriteSet("train", images: 4, labels: 4);

        var e = Assert.Throws<FileNotFoundException>(() => IdxImageFolder.Load(Folder));

        Assert.Equal($"{Folder}: missing t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or with .gz); an IDX image folder holds "
            + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte.", e.Message);
    }

    [Fact]
    public void ImageAndLabelCounts_MustAgree()
    {
        WriteSet("train", images: 4, labels: 4);
        WriteSet("t10k", images: 3, labels: 2);

        var e = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(Folder));

        Assert.Equal($"{PathOf("t10k-images-idx3-ubyte")} holds 3 images but {PathOf("t10k-labels-idx1-ubyte")} holds 2 labels; they must be equal.", e.Message);
    }

    [Theory]
    [InlineData("train", "training")]
    [InlineData("t10k", "test")]
    public void APartWithNoImages_IsNamed(string part, string role)
    {
        WriteSet("train", images: 4, labels: 4);
        WriteSet("t10k", images: 2, labels: 2);
        WriteSet(part, images: 0, labels: 0);

        var e = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(Folder));

        Assert.Equal($"{PathOf($"{part}-images-idx3-ubyte")} holds no images; the {role} set needs at least one.", e.Message);
    }

    [Fact]
    public void ALabelsFileInPlaceOfImages_IsAWrongMagicNumber()
    {
        WriteSet("train", images: 4, labels: 4);
        WriteSet("t10k", images: 2, labels: 2);
        File.Copy(PathOf("t10k-labels-idx1-ubyte"), PathOf("t10k-images-idx3-ubyte"), overwrite: true);

        var e = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(Folder));

        Assert.Equal($"{PathOf("t10k-images-idx3-ubyte")}: the magic number is 0x00000801; IDX images are 0x00000803 (unsigned bytes, 3 dimensions: images, height, width).", e.Message);
    }

    [Fact]
    public void FloatLabels_AreAWrongMagicNumber()
    {
        WriteSet("train", images: 2, labels: 2);
        WriteSet("t10k", images: 2, labels: 2);
        WriteBytes("train-labels-idx1-ubyte", [.. IdxBytes.Header(0x0D, 2), 0, 0, 0, 0, 0x3F, 0x80, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(Folder));

        Assert.StartsWith($"{PathOf("train-labels-idx1-ubyte")}: the magic number is 0x00000D01; IDX labels are 0x00000801", e.Message);
    }

    [Fact]
    public void ATruncatedFile_IsNamed()
    {
        WriteSet("train", images: 2, labels: 2);
        WriteSet("t10k", images: 2, labels: 2);
        byte[] whole = File.ReadAllBytes(PathOf("train-images-idx3-ubyte"));
        WriteBytes("train-images-idx3-ubyte", whole[..^5]);

        var e = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(Folder));

        Assert.StartsWith($"{PathOf("train-images-idx3-ubyte")}: not a valid IDX file: it is truncated", e.Message);
    }

    [Fact]
    public void ATestLabelThatNoTrainingImageHas_IsNamedWithItsPosition()
    {
        WriteSet("train", images: 4, labels: 4);
        WriteSet("t10k", images: 2, labels: 2, firstLabel: 7);

        var e = Assert.Throws<InvalidDataException>(() => IdxImageFolder.Load(Folder));

        Assert.Equal($"{PathOf("t10k-labels-idx1-ubyte")}: label 7 at position 0 was not seen in training; the classes are ['0', '1'].", e.Message);
    }

    /// <summary>A folder with the Fashion-MNIST excerpt as both the training and the test part.</summary>
    private string ExcerptFolder()
    {
        string fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "fashion-mnist");
        foreach (string part in new[] { "train", "t10k" })
        {
            File.Copy(Path.Combine(fixtures, "train-images-idx3-ubyte.gz"), PathOf($"{part}-images-idx3-ubyte.gz"));
            File.Copy(Path.Combine(fixtures, "train-labels-idx1-ubyte.gz"), PathOf($"{part}-labels-idx1-ubyte.gz"));
        }
        return Folder;
    }

    /// <summary>Raw 2×3-pixel images and labels alternating 0 and 1 (the first one given).</summary>
    private void WriteSet(string part, int images, int labels, int firstLabel = 0)
    {
        WriteBytes($"{part}-images-idx3-ubyte", [.. IdxBytes.Header(0x08, images, 2, 3), .. Enumerable.Range(0, images * 6).Select(i => (byte)i)]);
        WriteBytes($"{part}-labels-idx1-ubyte", [.. IdxBytes.Header(0x08, labels), .. Enumerable.Range(0, labels).Select(i => (byte)(i == 0 ? firstLabel : i % 2))]);
    }
}
