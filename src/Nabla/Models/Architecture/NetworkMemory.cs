using System.Globalization;
using Nabla.Kernels;

namespace Nabla.Models;

/// <summary>
/// The memory a network of a <see cref="ModelArchitecture"/> needs, counted from its shapes before
/// anything is allocated (<see cref="ModelArchitecture.Memory"/>): its parameters and buffers; the
/// values each layer produces for a batch of rows; the columns a convolution unfolds its input into
/// (im2col), one sample per thread at a time; and, for training, the parameters' gradients, the
/// optimizer's state and the activations' gradients.
/// </summary>
/// <remarks>
/// Running the network (without gradients) lets go of a layer's input once the next layer has its
/// output, so its peak is the parameters and the largest layer's input and output for the batch.
/// Training keeps every layer's output for the backward pass, which then makes a gradient of the same
/// size, so the activations add up. A flatten makes no tensor (it is a view), nor does a ReLU right
/// after a convolution or a linear layer (the two run as one op). The counts are of tensors, the memory that grows with the network
/// and the batch; the data, the runtime and the garbage not yet collected come on top, which is why
/// <see cref="MemoryLimit.Default"/> is half the memory available.
/// </remarks>
public sealed class NetworkMemory
{
    private readonly LayerValues[] _layers;
    private readonly long _inputValues;
    private readonly int _elementSize;

    internal NetworkMemory(ModelArchitecture architecture, int[][] shapes, DType dtype)
    {
        _elementSize = dtype == DType.Float64 ? sizeof(double) : sizeof(float);
        _inputValues = ModelArchitecture.Count(shapes[0]);
        var layers = architecture.Layers;
        _layers = new LayerValues[layers.Count];
        long reads = _inputValues;
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            long produces = MakesItsOwnTensor(layer, i == 0 ? null : layers[i - 1]) ? ModelArchitecture.Count(shapes[i + 1]) : 0;
            _layers[i] = new LayerValues(i, layer.Kind,
                layer.State.Where(t => t.Trainable).Sum(t => ModelArchitecture.Count(t.Shape)),
                layer.State.Where(t => !t.Trainable).Sum(t => ModelArchitecture.Count(t.Shape)),
                reads, produces, layer.ScratchPerSample(shapes[i], shapes[i + 1]));
            if (produces > 0) reads = produces;
        }
        ParameterBytes = Saturate(_layers.Aggregate(Int128.Zero, (sum, layer) => sum + (Int128)(layer.Parameters + layer.Buffers) * _elementSize));
    }

    /// <summary>The bytes of the network's parameters and buffers (batch normalisation's running statistics).</summary>
    public long ParameterBytes { get; }

    /// <summary>The bytes running the network on <paramref name="rows"/> rows at once needs, without gradients, as prediction does.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1.</exception>
    public long InferenceBytes(int rows) => Saturate(Inference(rows).Total);

    /// <summary>The bytes one training step on a batch of <paramref name="rows"/> rows needs.</summary>
    /// <param name="rows">The rows of one batch.</param>
    /// <param name="optimizerBytesPerParameter">The bytes of state the optimizer keeps per parameter value (<see cref="Optim.OptimizerFactory.StateBytesPerParameter"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1, or <paramref name="optimizerBytesPerParameter"/> negative.</exception>
    public long TrainingBytes(int rows, long optimizerBytesPerParameter) => Saturate(Training(rows, optimizerBytesPerParameter).Total);

    /// <summary>
    /// The most rows, up to <paramref name="most"/>, that the network can run at once within
    /// <paramref name="limit"/> (and with each layer's output for them in one array): the batch size
    /// for predicting many rows in bounded memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="most"/> is less than 1.</exception>
    /// <exception cref="InsufficientMemoryException">Not even one row fits in the limit; the message names the layer that needs the most and the limit's setting.</exception>
    public int RowsPerBatch(int most, MemoryLimit limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(most, 1);
        ArgumentNullException.ThrowIfNull(limit);
        var one = Inference(1);
        if (one.Total > limit.Bytes)
            throw new InsufficientMemoryException($"{one.Description}; running the network needs {ByteCount.Format(Saturate(one.Total))}, and the limit is {limit}.");
        long widest = _layers.Max(layer => Math.Max(layer.Input, layer.Output));
        int low = 1, high = (int)Math.Min(most, Array.MaxLength / widest);
        // The need grows with the rows: the largest batch that fits is found by halving the range.
        while (low < high)
        {
            int middle = low + (high - low + 1) / 2;
            if (Inference(middle).Total <= limit.Bytes) low = middle;
            else high = middle - 1;
        }
        return low;
    }

    /// <summary>
    /// The most rows whose input copy and every activation stay below .NET's large-object threshold, or null when even
    /// <paramref name="least"/> rows cannot. Prediction runs in batches of at most this many: a larger activation is a fresh
    /// large-object array each time, whose zeroed pages and gen2 collections cost several times the arithmetic of a small
    /// network (bench/README.md, "Serving"), while arrays below the threshold are recycled by gen0.
    /// </summary>
    internal int? RowsBelowLargeObjects(int least)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(least, 1);
        long widest = Math.Max(_inputValues, _layers.Max(layer => Math.Max(layer.Output, layer.Scratch))) * _elementSize;
        long rows = LargeObjectBudget / Math.Max(1, widest);
        return rows >= least ? (int)Math.Min(rows, int.MaxValue) : null;
    }

    /// <summary>Bytes an array may take and stay off the large-object heap (85,000 bytes, less its header and some room).</summary>
    private const long LargeObjectBudget = 84_000;

    /// <summary>Fails unless a training step on a batch of <paramref name="rows"/> rows fits in <paramref name="limit"/>, each layer's output for them in one array.</summary>
    /// <param name="rows">The rows of one batch.</param>
    /// <param name="optimizerBytesPerParameter">The bytes of state the optimizer keeps per parameter value.</param>
    /// <param name="limit">The limit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is less than 1, or <paramref name="optimizerBytesPerParameter"/> negative.</exception>
    /// <exception cref="InsufficientMemoryException">The step needs more than the limit, or a layer's output for the batch is too large for one array; the message names the layer that needs the most, and the limit's setting.</exception>
    public void RequireTraining(int rows, long optimizerBytesPerParameter, MemoryLimit limit)
    {
        ArgumentNullException.ThrowIfNull(limit);
        var need = Training(rows, optimizerBytesPerParameter);
        foreach (var layer in _layers)
        {
            if ((Int128)rows * layer.Output > Array.MaxLength)
                throw new InsufficientMemoryException(Invariant(
                    $"layer {layer.Index} ({layer.Kind}) would produce {(Int128)rows * layer.Output:N0} values per batch of {Rows(rows)}, more than one array holds ({Array.MaxLength:N0}); train on smaller batches"));
        }
        if (need.Total > limit.Bytes)
            throw new InsufficientMemoryException($"{need.Description}; training needs {ByteCount.Format(Saturate(need.Total))} in all, and the limit is {limit}.");
    }

    /// <summary>
    /// The parameters, and the layer whose input, output and columns for <paramref name="rows"/> rows
    /// take the most: the peak, since each layer's input can go once its output is made.
    /// </summary>
    private Need Inference(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        int threads = Math.Min(rows, Parallelism.MaxDegreeOfParallelism);
        var peak = _layers.MaxBy(layer => Bytes(rows, layer.Input + layer.Output) + Bytes(threads, layer.Scratch))!;
        Int128 produced = Bytes(rows, peak.Output), columns = Bytes(threads, peak.Scratch);
        string unfolded = peak.Scratch > 0 ? $", and unfold its input into {ByteCount.Format(Saturate(columns))} of columns" : "";
        return new Need(ParameterBytes + Bytes(rows, peak.Input) + produced + columns,
            $"layer {peak.Index} ({peak.Kind}) would produce {ByteCount.Format(Saturate(produced))} of activations per batch of {Rows(rows)}{unfolded}");
    }

    /// <summary>
    /// Every parameter with its gradient and optimizer state, the input batch, every layer's output
    /// with its gradient, and the columns of the widest convolution; described by the part that takes the most.
    /// </summary>
    private Need Training(int rows, long optimizerBytesPerParameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(optimizerBytesPerParameter);
        int threads = Math.Min(rows, Parallelism.MaxDegreeOfParallelism);
        Int128 PerParameter(LayerValues layer) => (Int128)layer.Parameters * (2 * _elementSize + optimizerBytesPerParameter) + Bytes(1, layer.Buffers);
        Int128 Activations(LayerValues layer) => 2 * Bytes(rows, layer.Output);
        Int128 total = Bytes(rows, _inputValues) + Bytes(threads, _layers.Max(layer => layer.Scratch));
        foreach (var layer in _layers) total += PerParameter(layer) + Activations(layer);
        var heaviestState = _layers.MaxBy(PerParameter)!;
        var heaviestOutput = _layers.MaxBy(Activations)!;
        string description = PerParameter(heaviestState) >= Activations(heaviestOutput)
            ? Invariant($"layer {heaviestState.Index} ({heaviestState.Kind}) holds {heaviestState.Parameters:N0} parameters, {ByteCount.Format(Saturate(PerParameter(heaviestState)))} with their gradients and the optimizer's state")
            : $"layer {heaviestOutput.Index} ({heaviestOutput.Kind}) would produce {ByteCount.Format(Saturate(Bytes(rows, heaviestOutput.Output)))} of activations per batch of {Rows(rows)}, {ByteCount.Format(Saturate(Activations(heaviestOutput)))} with their gradients";
        return new Need(total, description);
    }

    /// <summary>
    /// Whether the layer's output is a new tensor: not for a flatten, a view of its input, nor for a
    /// ReLU right after a convolution or a linear layer, which <see cref="NN.Sequential"/> runs as one op
    /// with it, rectifying its output in place.
    /// </summary>
    private static bool MakesItsOwnTensor(LayerSpec layer, LayerSpec? previous) => layer switch
    {
        FlattenSpec => false,
        ActivationSpec { Function: NN.Activation.Relu } => previous is not (Conv2dSpec or LinearSpec),
        _ => true,
    };

    private Int128 Bytes(int count, long values) => (Int128)count * values * _elementSize;

    private static long Saturate(Int128 bytes) => bytes > long.MaxValue ? long.MaxValue : (long)bytes;

    private static string Rows(int rows) => rows == 1 ? "1 row" : Invariant($"{rows} rows");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One layer's parameter and buffer values, and per sample: the values of the tensor it reads (the
    /// last one made before it), of the tensor it makes (none when it makes none of its own), and of its scratch.
    /// </summary>
    private sealed record LayerValues(int Index, string Kind, long Parameters, long Buffers, long Input, long Output, long Scratch);

    /// <summary>The bytes needed, and the part that takes the most, for a message.</summary>
    private sealed record Need(Int128 Total, string Description);
}
