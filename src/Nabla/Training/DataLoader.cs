using System.Collections;

namespace Nabla.Training;

/// <summary>
/// Cuts a data set, inputs and targets whose first dimension indexes the samples, into mini-batches,
/// as <c>torch.utils.data.DataLoader</c> over a <c>TensorDataset</c>. Each enumeration is one epoch;
/// with <see cref="Shuffle"/> the order is drawn afresh for each epoch from the loader's
/// <see cref="Generator"/>, so the same seed gives the same batches on every run.
/// </summary>
/// <remarks>
/// A batch size of the whole set gives batch gradient descent, a batch size of 1 stochastic
/// gradient descent. The samples of a batch are copied (gathered) into buffers that are allocated
/// once and refilled for every batch, so an epoch allocates nothing per batch; see
/// <see cref="ReuseBuffers"/> for what that means for the caller.
/// </remarks>
/// <example>
/// <code>
/// var loader = new DataLoader(x, y, batchSize: 32, shuffle: true, generator: new Generator(42));
/// foreach (var batch in loader) { /* one epoch */ }
/// </code>
/// </example>
public sealed class DataLoader : IEnumerable<Batch>
{
    private readonly int[] _order;
    private readonly int _inputRow, _targetRow;
    private BatchBuffers? _full, _last;
    private int _shardRank, _shardCount = 1;

    /// <summary>Creates the loader; nothing is copied until batches are read.</summary>
    /// <param name="inputs">The inputs, one sample per index of the first dimension (any element type).</param>
    /// <param name="targets">The targets (Float32, Float64, or Int32 class labels), with as many samples as <paramref name="inputs"/>.</param>
    /// <param name="batchSize">The number of samples per batch (the last one may be smaller unless <paramref name="dropLast"/>).</param>
    /// <param name="shuffle">Whether to visit the samples in a new random order each epoch.</param>
    /// <param name="dropLast">Whether to leave out a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="generator">Where the shuffled orders come from; a <c>new Generator(0)</c> when null, so runs repeat.</param>
    /// <exception cref="ArgumentException">A tensor is a scalar or has no samples, or no batch would be left with <paramref name="dropLast"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ShapeMismatchException">The inputs and targets hold different numbers of samples.</exception>
    public DataLoader(Tensor inputs, Tensor targets, int batchSize = 32, bool shuffle = false, bool dropLast = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Rank == 0)
            throw new ArgumentException("DataLoader: the inputs are a scalar; they need a first dimension that indexes the samples.", nameof(inputs));
        if (targets.Rank == 0)
            throw new ArgumentException("DataLoader: the targets are a scalar; they need a first dimension that indexes the samples.", nameof(targets));
        int count = inputs.ShapeArray[0];
        if (targets.ShapeArray[0] != count)
            throw new ShapeMismatchException($"DataLoader: the inputs (shape {Shapes.Format(inputs.ShapeArray)}) hold {count} samples but the targets (shape {Shapes.Format(targets.ShapeArray)}) hold {targets.ShapeArray[0]}; the first dimensions must be equal.");
        if (count == 0)
            throw new ArgumentException($"DataLoader: the data set is empty (inputs of shape {Shapes.Format(inputs.ShapeArray)}).", nameof(inputs));
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"DataLoader: the batch size must be positive, got {batchSize}.");
        if (dropLast && batchSize > count)
            throw new ArgumentException($"DataLoader: with dropLast, a batch size of {batchSize} leaves no batch of the {count} samples; use a batch size of at most {count}.", nameof(dropLast));
        Inputs = inputs;
        Targets = targets;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Generator = generator ?? new Generator(0);
        _inputRow = inputs.Length / count;
        _targetRow = targets.Length / count;
        _order = new int[count];
        for (int i = 0; i < count; i++) _order[i] = i;
    }

    /// <summary>All the inputs.</summary>
    public Tensor Inputs { get; }

    /// <summary>All the targets.</summary>
    public Tensor Targets { get; }

    /// <summary>The number of samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last batch smaller than <see cref="BatchSize"/> is left out.</summary>
    public bool DropLast { get; }

    /// <summary>The source of the shuffled orders; its state advances by one permutation per shuffled epoch.</summary>
    public Generator Generator { get; }

    /// <summary>
    /// Whether batches are gathered into buffers that are refilled by the next batch (true, the
    /// default: no allocation per batch). A batch's tensors are then valid until the enumerator
    /// moves on: a training step that finishes its forward and backward pass before asking for the
    /// next batch is safe; code that keeps a batch, or a graph built on it, across batches must
    /// clone it or set this to false (each batch then gets new tensors).
    /// </summary>
    public bool ReuseBuffers { get; set; } = true;

    /// <summary>The number of samples.</summary>
    public int Count => _order.Length;

    /// <summary>This loader's rank among the <see cref="ShardCount"/> that share each batch (0 unless <see cref="SetShard"/>).</summary>
    public int ShardRank => _shardRank;

    /// <summary>The number of ranks that share each batch (1 unless <see cref="SetShard"/>).</summary>
    public int ShardCount => _shardCount;

    /// <summary>
    /// Makes this loader one of <paramref name="count"/> that split every batch, for data-parallel
    /// training: the order and the batches stay those of the whole data set (so <see cref="BatchSize"/>
    /// is the global batch), and each batch this loader yields is rank <paramref name="rank"/>'s contiguous
    /// share of it. The shares of a batch differ in size by at most one, the larger first; a rank whose
    /// share of a batch (the short last one) is empty skips that batch.
    /// </summary>
    /// <param name="rank">This loader's share, from 0 to <paramref name="count"/> − 1.</param>
    /// <param name="count">The number of shares (1 gives the whole batches back).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive, or <paramref name="rank"/> is not in [0, <paramref name="count"/>).</exception>
    public void SetShard(int rank, int count)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"DataLoader.SetShard: the number of shares must be positive, got {count}.");
        if (rank < 0 || rank >= count)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"DataLoader.SetShard: the rank must be from 0 to {count - 1}, got {rank}.");
        (_shardRank, _shardCount) = (rank, count);
        (_full, _last) = (null, null);
    }

    /// <summary>The number of samples in batch <paramref name="index"/> of an epoch, over all shares (the global batch).</summary>
    public int GlobalBatchSize(int index) => Math.Min(BatchSize, Count - index * BatchSize);

    /// <summary>Where share <paramref name="rank"/> of <paramref name="count"/> starts in a batch of <paramref name="size"/> samples, and how many it takes.</summary>
    public static (int Start, int Length) Share(int size, int rank, int count)
    {
        int quotient = size / count, remainder = size % count;
        return (rank * quotient + Math.Min(rank, remainder), quotient + (rank < remainder ? 1 : 0));
    }

    /// <summary>The number of batches in one epoch.</summary>
    public int BatchCount => DropLast ? Count / BatchSize : (Count + BatchSize - 1) / BatchSize;

    /// <summary>
    /// Splits the samples in two at random (seeded): the last <paramref name="fraction"/> of a shuffled
    /// order becomes a validation loader (not shuffled), the rest a training loader with this loader's settings.
    /// </summary>
    /// <param name="fraction">The share of samples for validation, in (0, 1); at least one sample goes to each side.</param>
    /// <param name="seed">Seeds the split, which is independent of this loader's <see cref="Generator"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1), or leaves a side empty.</exception>
    public (DataLoader Training, DataLoader Validation) Split(double fraction, ulong seed = 0)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"DataLoader.Split: the validation fraction must be between 0 and 1 (exclusive), got {fraction}.");
        int validation = (int)Math.Round(fraction * Count);
        if (validation == 0 || validation == Count)
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, $"DataLoader.Split: a validation fraction of {fraction} of {Count} samples leaves {(validation == 0 ? "no validation sample" : "no training sample")}.");
        var order = new int[Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Generator(seed).Shuffle<int>(order);
        var trainIndex = Tensor.FromArray(order[..^validation]);
        var validIndex = Tensor.FromArray(order[^validation..]);
        using var _ = Autograd.NoGrad();
        var trainLoader = new DataLoader(Inputs.IndexSelect(0, trainIndex), Targets.IndexSelect(0, trainIndex),
            Math.Min(BatchSize, Count - validation), Shuffle, DropLast, Generator) { ReuseBuffers = ReuseBuffers };
        var validLoader = new DataLoader(Inputs.IndexSelect(0, validIndex), Targets.IndexSelect(0, validIndex), BatchSize) { ReuseBuffers = ReuseBuffers };
        return (trainLoader, validLoader);
    }

    /// <summary>Starts an epoch: shuffles (when <see cref="Shuffle"/>) and returns its batches in order.</summary>
    public IEnumerator<Batch> GetEnumerator()
    {
        if (Shuffle) Generator.Shuffle<int>(_order);
        // The whole set in its own order needs no copy: batch gradient descent reads the tensors themselves.
        bool wholeInOrder = !Shuffle && BatchSize >= Count && _shardCount == 1;
        int batches = BatchCount;
        for (int b = 0; b < batches; b++)
        {
            if (wholeInOrder)
            {
                yield return new Batch(Inputs, Targets, b);
                continue;
            }
            var (offset, size) = Share(GlobalBatchSize(b), _shardRank, _shardCount);
            if (size == 0) continue;
            int start = b * BatchSize + offset;
            var buffers = BuffersFor(size);
            Gather(Inputs, _inputRow, start, buffers.Inputs);
            Gather(Targets, _targetRow, start, buffers.Targets);
            yield return new Batch(buffers.Inputs, buffers.Targets, b);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The buffers for a batch of <paramref name="size"/> samples: the full-size pair or the one for the short last batch.</summary>
    private BatchBuffers BuffersFor(int size)
    {
        if (!ReuseBuffers) return new BatchBuffers(this, size);
        return size == Share(BatchSize, _shardRank, _shardCount).Length ? _full ??= new BatchBuffers(this, size) : _last ??= new BatchBuffers(this, size);
    }

    /// <summary>Copies the rows of <paramref name="source"/> named by the order from <paramref name="start"/> into <paramref name="destination"/>.</summary>
    private void Gather(Tensor source, int rowLength, int start, Tensor destination)
    {
        int rows = destination.ShapeArray[0];
        for (int r = 0; r < rows; r++)
            Array.Copy(source.Storage, _order[start + r] * rowLength, destination.Storage, r * rowLength, rowLength);
    }

    /// <summary>
    /// The sample order of the last epoch. Each shuffle permutes this order further, so the next
    /// epoch's order depends on it as well as on <see cref="Generator"/>: a checkpoint saves both.
    /// </summary>
    internal int[] Order => (int[])_order.Clone();

    /// <summary>Puts back an order from <see cref="Order"/> of a loader over as many samples, checked first by <see cref="CheckOrder"/>.</summary>
    internal void RestoreOrder(ReadOnlySpan<int> order, string role)
    {
        CheckOrder(order, role);
        order.CopyTo(_order);
    }

    /// <summary>Throws unless <paramref name="order"/> could be this loader's <see cref="Order"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="order"/> is not a permutation of 0 … <see cref="Count"/> − 1.</exception>
    internal void CheckOrder(ReadOnlySpan<int> order, string role)
    {
        if (order.Length != Count)
            throw new ArgumentException($"the {role} loader's saved order holds {order.Length} samples but this loader has {Count}; build it over the same data.", nameof(order));
        var seen = new bool[Count];
        foreach (int index in order)
        {
            if (index < 0 || index >= Count || seen[index])
                throw new ArgumentException($"the {role} loader's saved order is not a permutation of 0 to {Count - 1} (sample {index} is {(index < 0 || index >= Count ? "out of range" : "repeated")}).", nameof(order));
            seen[index] = true;
        }
    }

    /// <summary>An input and a target tensor shaped for a batch of a given size.</summary>
    private sealed class BatchBuffers(DataLoader loader, int size)
    {
        public Tensor Inputs { get; } = Tensor.Zeros([size, .. loader.Inputs.ShapeArray[1..]], loader.Inputs.DType);
        public Tensor Targets { get; } = Tensor.Zeros([size, .. loader.Targets.ShapeArray[1..]], loader.Targets.DType);
    }
}
