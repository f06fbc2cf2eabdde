using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Turns IDX image files (the MNIST layout: unsigned bytes, [images, height, width]) into a model's
/// inputs, Float32 [images, channels, height, width] with each pixel multiplied by <see cref="Scale"/>
/// (1/255, so values lie in [0, 1]), and IDX label files into class indices. Saved as JSON
/// (<c>"kind": "image"</c>) inside model files; made by <see cref="IdxImageFolder.Load"/>, with the
/// distinct training labels, sorted by value, as the classes ("0" … "9" for MNIST).
/// </summary>
public sealed class ImagePreprocessor : Preprocessor
{
    /// <summary>The "kind" of this preprocessor's JSON.</summary>
    internal const string KindName = "image";

    private const byte UnsignedByte = 0x08;

    internal ImagePreprocessor(int channels, int height, int width, double scale, string[] classes) : base(classes)
    {
        Channels = channels;
        Height = height;
        Width = width;
        Scale = scale;
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override ModelTask Task => ModelTask.Classification;

    /// <inheritdoc/>
    public override IReadOnlyList<int> SampleShape => [Channels, Height, Width];

    /// <summary>The number of channels of each image (1 for grey levels).</summary>
    public int Channels { get; }

    /// <summary>The height of each image in pixels.</summary>
    public int Height { get; }

    /// <summary>The width of each image in pixels.</summary>
    public int Width { get; }

    /// <summary>What each raw pixel value is multiplied by.</summary>
    public double Scale { get; }

    /// <summary>The images of an IDX file as model inputs: Float32 [images, <see cref="Channels"/>, <see cref="Height"/>, <see cref="Width"/>], scaled.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not IDX unsigned-byte images of this size; the message names the file.</exception>
    public Tensor TransformImages(string imagesPath)
    {
        var raw = ReadImages(imagesPath);
        if (raw.Shape[1] != Height || raw.Shape[2] != Width)
            throw new InvalidDataException($"{imagesPath}: the images are {raw.Shape[1]}×{raw.Shape[2]} pixels; the model reads {Height}×{Width}.");
        return Prepare(raw);
    }

    /// <summary>The labels of an IDX file as class indices (Int32 [labels]), for evaluation.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not IDX unsigned-byte labels, or holds a label not seen in training (its position named).</exception>
    public Tensor TransformLabels(string labelsPath) => Encode(ReadLabels(labelsPath), labelsPath);

    /// <inheritdoc/>
    private protected override void WriteFields(Utf8JsonWriter json)
    {
        json.WriteNumber("channels", Channels);
        json.WriteNumber("height", Height);
        json.WriteNumber("width", Width);
        json.WriteNumber("scale", Scale);
    }

    /// <summary>Rebuilds a preprocessor from <see cref="Preprocessor.ToJson"/>'s output, checking every field.</summary>
    internal static ImagePreprocessor FromJson(StrictJson json)
    {
        int channels = json.Integer("channels", 1), height = json.Integer("height", 1), width = json.Integer("width", 1);
        double scale = json.Number("scale");
        if (scale <= 0) throw json.Error($"\"scale\" is {scale.ToString(CultureInfo.InvariantCulture)}, expected a positive number");
        string[] classes = ReadClasses(json);
        foreach (string label in classes)
            if (!int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > byte.MaxValue)
                throw json.Error($"the class label \"{label}\" is not a whole number from 0 to 255, as IDX labels are");
        return new ImagePreprocessor(channels, height, width, scale, classes);
    }

    /// <summary>Reads an IDX images file, checking it holds unsigned bytes in [images, height, width] (magic number 0x00000803).</summary>
    internal static Tensor ReadImages(string path) =>
        ReadUnsignedBytes(path, DType.Float32, 3, "IDX images are 0x00000803 (unsigned bytes, 3 dimensions: images, height, width)");

    /// <summary>Reads an IDX labels file, checking it holds unsigned bytes in one dimension (magic number 0x00000801).</summary>
    internal static Tensor ReadLabels(string path) => ReadUnsignedBytes(path, DType.Int32, 1, "IDX labels are 0x00000801 (unsigned bytes, 1 dimension)");

    private static Tensor ReadUnsignedBytes(string path, DType dtype, int rank, string expected)
    {
        var values = Idx.Read(path, dtype, out byte type);
        if (type != UnsignedByte || values.Shape.Count != rank)
            throw new InvalidDataException($"{path}: the magic number is 0x0000{type:X2}{values.Shape.Count:X2}; {expected}.");
        return values;
    }

    /// <summary>Scales raw [images, height, width] pixels in place and views them as [images, channels, height, width], without a copy.</summary>
    internal Tensor Prepare(Tensor raw)
    {
        var pixels = raw.Float32Data;
        System.Numerics.Tensors.TensorPrimitives.Multiply(pixels, (float)Scale, pixels);
        return new Tensor(pixels, [raw.Shape[0], Channels, Height, Width], DType.Float32);
    }

    /// <summary>The class index of each raw label.</summary>
    internal Tensor Encode(Tensor labels, string path)
    {
        var raw = labels.Int32Data;
        var indices = new int[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            string label = raw[i].ToString(CultureInfo.InvariantCulture);
            if (!TryGetClassIndex(label, out indices[i]))
                throw new InvalidDataException($"{path}: label {label} at position {i} was not seen in training; the classes are {LabelOrder.DescribeAll(ClassLabels)}.");
        }
        return Tensor.FromArray(indices);
    }
}
