using System.Globalization;
using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// A feed-forward network described declaratively: the per-sample input shape and the layers in
/// order, each the input of the next. It is what a model file stores instead of code: it builds the
/// <see cref="Sequential"/> whose state names ("0.weight", "2.bias", ...) follow the layer
/// positions, as PyTorch's <c>nn.Sequential</c>, and it round-trips through JSON.
/// </summary>
/// <remarks>
/// Creating an architecture checks every layer's sizes and propagates the shape through the layers,
/// so a layer that does not fit the one before it is an error naming both the layer's position and
/// the shapes. The JSON form is
/// <c>{"input_shape":[1,28,28],"layers":[{"kind":"conv2d","in_channels":1,"out_channels":16,"kernel_size":3,"stride":1,"padding":1},{"kind":"relu"},...]}</c>;
/// see <see cref="FromJson"/>.
/// </remarks>
/// <example><c>var network = ModelArchitecture.Mlp(64, [32], Activation.Relu, 10).Build(generator: new Generator(42));</c></example>
public sealed class ModelArchitecture
{
    private readonly int[][] _shapes;

    /// <summary>Creates the architecture and checks that every layer fits the shape reaching it.</summary>
    /// <param name="inputShape">The shape of one sample, without the batch axis: [64] for 64 features, [1, 28, 28] for a grey image.</param>
    /// <param name="layers">The layers, applied in order; at least one.</param>
    /// <exception cref="ArgumentException">The input shape is empty or not positive, there are no layers, or a layer is invalid or does not fit; the message names the layer's index and the problem.</exception>
    public ModelArchitecture(IReadOnlyList<int> inputShape, IReadOnlyList<LayerSpec> layers)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        ArgumentNullException.ThrowIfNull(layers);
        int[] shape = [.. inputShape];
        if (shape.Length == 0 || shape.Any(d => d <= 0))
            throw new ArgumentException($"input_shape must be a non-empty list of positive sizes, got {Shapes.Format(shape)}.", nameof(inputShape));
        if (Count(shape) > Array.MaxLength)
            throw new ArgumentException($"input_shape {Shapes.Format(shape)} has too many values per sample for one array.", nameof(inputShape));
        if (layers.Count == 0) throw new ArgumentException("an architecture needs at least one layer, got none.", nameof(layers));
        _shapes = new int[layers.Count + 1][];
        _shapes[0] = shape;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i] ?? throw new ArgumentException($"layer {i} is null.", nameof(layers));
            _shapes[i + 1] = layer.OutputShape(_shapes[i], i);
            if (Count(_shapes[i + 1]) > Array.MaxLength)
                throw new ArgumentException($"layer {i} ({layer.Kind}): its per-sample output {Shapes.Format(_shapes[i + 1])} is too large for one array.", nameof(layers));
            if (layer.ScratchPerSample(_shapes[i], _shapes[i + 1]) is var scratch && scratch > Array.MaxLength)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"layer {i} ({layer.Kind}): the {scratch:N0} values it unfolds each sample into are too many for one array."), nameof(layers));
            foreach (var tensor in layer.State) RequireAllocatable(i, layer, tensor);
        }
        InputShape = shape;
        Layers = [.. layers];
        OutputShape = _shapes[^1];
        OutputSize = (int)Count(_shapes[^1]);
        ParameterCount = Enumerable.Range(0, Layers.Count).Sum(ParameterCountOf);
    }

    /// <summary>The shape of one sample, without the batch axis.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The layers, in order; layer i is module "i" of the built network.</summary>
    public IReadOnlyList<LayerSpec> Layers { get; }

    /// <summary>The shape of one sample's output, without the batch axis.</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>The per-sample shape that layer <paramref name="layer"/> reads: <see cref="InputShape"/> for layer 0, the shape the layer before it gives otherwise.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="layer"/> is not the index of a layer.</exception>
    public IReadOnlyList<int> InputShapeOf(int layer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, Layers.Count);
        return Array.AsReadOnly(_shapes[layer]);
    }

    /// <summary>The number of values per sample the network outputs: the number of classes or of regression targets.</summary>
    public int OutputSize { get; }

    /// <summary>Whether the network reads rows of token ids (Int32, padded with 0: a text model) rather than numbers.</summary>
    public bool ReadsTokenIds => Layers[0].ReadsTokenIds;

    /// <summary>The number of trainable values (elements of every parameter; BatchNorm's running statistics are buffers, not counted).</summary>
    public long ParameterCount { get; }

    /// <summary>
    /// Views a batch of samples, [rows, ...], in this network's input shape [rows, ...<see cref="InputShape"/>]
    /// when each sample holds as many values: a table of 64 pixel columns for a 1×8×8 convolutional network.
    /// </summary>
    /// <exception cref="ShapeMismatchException">A sample holds a different number of values than <see cref="InputShape"/>.</exception>
    public Tensor ViewAsInput(Tensor rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Rank == 0)
            throw new ShapeMismatchException("ModelArchitecture.ViewAsInput: the inputs are a scalar; they need a first dimension that indexes the samples.");
        var shape = rows.ShapeArray;
        if (shape.AsSpan(1).SequenceEqual([.. InputShape])) return rows;
        long perSample = 1, expected = 1;
        for (int i = 1; i < shape.Length; i++) perSample *= shape[i];
        foreach (int d in InputShape) expected *= d;
        if (perSample != expected)
            throw new ShapeMismatchException(
                $"ModelArchitecture.ViewAsInput: samples of shape [{string.Join(", ", shape[1..])}] hold {perSample} values, but the network's input [{string.Join(", ", InputShape)}] holds {expected}.");
        return rows.Reshape([shape[0], .. InputShape]);
    }

    /// <summary>A linear model: one fully connected layer, <paramref name="inputs"/> features to <paramref name="outputs"/> values.</summary>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public static ModelArchitecture Linear(int inputs, int outputs) => new([inputs], [new LinearSpec(inputs, outputs)]);

    /// <summary>
    /// A multilayer perceptron: for each hidden size, a linear layer, optionally batch normalisation,
    /// the activation and, when <paramref name="dropout"/> is positive, dropout; then a linear layer
    /// to <paramref name="outputs"/> values.
    /// </summary>
    /// <param name="inputs">Features per sample.</param>
    /// <param name="hidden">The width of each hidden layer, in order (may be empty: a linear model).</param>
    /// <param name="activation">The activation after each hidden layer.</param>
    /// <param name="outputs">Values per sample out: classes, or regression targets.</param>
    /// <param name="dropout">The dropout probability after each hidden activation, in [0, 1); 0 for none.</param>
    /// <param name="batchNorm">Whether each hidden linear layer is followed by batch normalisation.</param>
    /// <exception cref="ArgumentException">A size is not positive or the dropout is outside [0, 1); the message names the layer.</exception>
    public static ModelArchitecture Mlp(int inputs, IReadOnlyList<int> hidden, Activation activation, int outputs, double dropout = 0, bool batchNorm = false)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        var layers = new List<LayerSpec>();
        int width = inputs;
        foreach (int size in hidden)
        {
            layers.Add(new LinearSpec(width, size));
            if (batchNorm) layers.Add(new BatchNorm1dSpec(size));
            layers.Add(new ActivationSpec(activation));
            if (dropout != 0) layers.Add(new DropoutSpec(dropout));
            width = size;
        }
        layers.Add(new LinearSpec(width, outputs));
        return new([inputs], layers);
    }

    /// <summary>
    /// The small convolutional network of the benchmarks: conv 3×3 (padding 1) to 16 channels, ReLU,
    /// 2×2 max pooling, conv 3×3 (padding 1) to 32 channels, ReLU, 2×2 max pooling, flatten, and a
    /// linear layer from 32·⌊h/4⌋·⌊w/4⌋ values to <paramref name="outputs"/>. Fits 8×8 digits and
    /// 28×28 Fashion-MNIST images.
    /// </summary>
    /// <param name="channels">Channels per image (1 for grey).</param>
    /// <param name="height">Image height, at least 4 (two halvings must leave a pixel).</param>
    /// <param name="width">Image width, at least 4.</param>
    /// <param name="outputs">Values per image out, usually the number of classes.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image is smaller than 4×4.</exception>
    /// <exception cref="ArgumentException">A size is not positive.</exception>
    public static ModelArchitecture Cnn(int channels, int height, int width, int outputs)
    {
        if (height < 4 || width < 4)
            throw new ArgumentOutOfRangeException(height < 4 ? nameof(height) : nameof(width),
                $"Cnn: the image must be at least 4×4 pixels so that two 2×2 poolings leave one, got {height}×{width}.");
        return new(
            [channels, height, width],
            [
                new Conv2dSpec(channels, 16, 3, 1, 1), new ActivationSpec(Activation.Relu), new MaxPool2dSpec(2, 2),
                new Conv2dSpec(16, 32, 3, 1, 1), new ActivationSpec(Activation.Relu), new MaxPool2dSpec(2, 2),
                new FlattenSpec(), new LinearSpec(32 * (height / 4) * (width / 4), outputs),
            ]);
    }

    /// <summary>The network this architecture describes, freshly initialised as PyTorch does by default.</summary>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    /// <param name="generator">Where the initial weights and the dropout masks come from; <see cref="Init.DefaultGenerator"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public Sequential Build(DType dtype = DType.Float32, Generator? generator = null)
    {
        if (dtype == DType.Int32) throw new ArgumentException("ModelArchitecture.Build: the weights must be Float32 or Float64, got Int32.", nameof(dtype));
        generator ??= Init.DefaultGenerator;
        return new Sequential(Layers.Select(layer => layer.Build(dtype, generator)).ToList());
    }

    /// <summary>
    /// The memory a network of this architecture needs, counted from the shapes alone: its parameters,
    /// and what running it or training it on a batch of rows allocates; see <see cref="NetworkMemory"/>.
    /// </summary>
    /// <param name="dtype">The weights' type: Float32 (4 bytes a value) or Float64 (8).</param>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is Int32.</exception>
    public NetworkMemory Memory(DType dtype = DType.Float32)
    {
        if (dtype == DType.Int32) throw new ArgumentException("ModelArchitecture.Memory: the weights are Float32 or Float64, not Int32.", nameof(dtype));
        return new NetworkMemory(this, _shapes, dtype);
    }

    /// <summary>The architecture as compact JSON, which <see cref="FromJson"/> reads back to an equal architecture.</summary>
    public string ToJson() => ArchitectureJson.Write(this);

    /// <summary>
    /// Reads an architecture from JSON, trusting nothing: an object with "input_shape" (positive
    /// integers) and "layers" (objects with a "kind" and that kind's sizes, nothing else), whose
    /// shapes must fit from layer to layer.
    /// </summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, a kind is unknown, a size is missing, not an integer or out of range, a field is unknown, or a layer does not fit the one before it; the message names the layer's index and the problem.</exception>
    public static ModelArchitecture FromJson(string json) => ArchitectureJson.Read(json);

    /// <summary>
    /// A table of the layers for people, like Keras' <c>summary()</c>: a header line, one line per
    /// layer (index, layer, per-sample output shape, parameter count), and the total.
    /// </summary>
    public IReadOnlyList<string> Describe()
    {
        var rows = new List<string[]> { new[] { "#", "Layer", "Output shape", "Parameters" } };
        rows.Add(["", "Input", Shapes.Format(_shapes[0]), ""]);
        for (int i = 0; i < Layers.Count; i++)
            rows.Add([i.ToString(CultureInfo.InvariantCulture), Layers[i].Description, Shapes.Format(_shapes[i + 1]), ParameterCountOf(i).ToString("N0", CultureInfo.InvariantCulture)]);
        int[] widths = [.. Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length))];
        var lines = rows.Select(r => $"{r[0].PadLeft(widths[0])}  {r[1].PadRight(widths[1])}  {r[2].PadRight(widths[2])}  {r[3].PadLeft(widths[3])}".TrimEnd()).ToList();
        lines.Add($"Total parameters: {ParameterCount.ToString("N0", CultureInfo.InvariantCulture)}");
        return lines;
    }

    /// <summary>Every parameter and buffer of the built network, with its state name, in <see cref="Module.StateDict"/> order.</summary>
    internal IEnumerable<ExpectedTensor> State =>
        Layers.SelectMany((layer, i) => layer.State.Select(t => t with { Name = $"{i.ToString(CultureInfo.InvariantCulture)}.{t.Name}" }));

    private long ParameterCountOf(int index) => Layers[index].State.Where(t => t.Trainable).Sum(t => Count(t.Shape));

    /// <summary>
    /// The number of values in <paramref name="shape"/>, or <see cref="long.MaxValue"/> once it passes
    /// <see cref="Array.MaxLength"/>: shapes read from a file can be anything, and stopping there keeps
    /// the product of sizes below 2³¹ inside a long.
    /// </summary>
    internal static long Count(int[] shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > Array.MaxLength) return long.MaxValue;
        }
        return count;
    }

    /// <summary>Fails when a tensor of the layer would not fit in one array, before anything is allocated.</summary>
    private static void RequireAllocatable(int index, LayerSpec layer, ExpectedTensor tensor)
    {
        if (Count(tensor.Shape) > Array.MaxLength)
            throw new ArgumentException($"layer {index} ({layer.Kind}): its {tensor.Name} of shape {Shapes.Format(tensor.Shape)} is too large for one array.");
    }
}
