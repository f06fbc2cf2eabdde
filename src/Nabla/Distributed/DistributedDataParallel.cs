using System.Runtime.InteropServices;
using Nabla.Losses;
using Nabla.Training;

namespace Nabla.Distributed;

/// <summary>
/// Data-parallel training, as PyTorch's <c>DistributedDataParallel</c>: attached to a <see cref="Trainer"/>
/// on every rank of a <see cref="Communicator"/>, it makes fitting on N ranks equal to fitting in one
/// process with the same global batch. Every rank builds the same model, optimizer and loaders over the
/// whole data set (same seeds); the loader's batch size is the global batch, and each rank trains on its
/// contiguous share of every batch.
/// </summary>
/// <remarks>
/// <para>At the start of a fit (and of a resumed one) it checks, with one allgather, that the ranks
/// were set up alike (model parameter and buffer shapes, optimizer, loss, loaders' sizes, batch sizes
/// and seeds, epochs, clipping), naming the first rank that differs and what; it refuses a global batch
/// (the short last one included) smaller than the number of ranks; it copies rank 0's parameters and
/// buffers (batch-norm running statistics) to every rank; and it shards the loaders (<see cref="DataLoader.SetShard"/>).</para>
/// <para>Each step, a rank's loss is scaled by its share of the global batch (for a mean loss), so the
/// gradients summed over the ranks, in buckets of about <see cref="BucketBytes"/>, are the gradient of the
/// global batch's mean loss; clipping then acts on that gradient. A parameter without a gradient on a
/// rank counts as zero there. The epoch's loss and accuracy sums and counts, and the validation's, are
/// summed over the ranks, so <see cref="Trainer.History"/> is the same on all.</para>
/// <para>Batch normalisation uses each rank's own batch statistics unless the model's layers are
/// <see cref="SyncBatchNorm"/>, whose statistics are those of the global batch.</para>
/// <para>Only the root rank (<see cref="IsRoot"/>) should print progress and write files: add
/// progress, checkpoint and model-file callbacks on rank 0 alone, or have them check <see cref="IsRoot"/>.
/// A checkpoint holds the global sample order and the optimizer state, which every rank shares, so
/// it resumes on any number of ranks: every rank loads the same checkpoint and calls <see cref="Trainer.Resume"/>.</para>
/// <para>A mean loss whose samples carry different weights (class weights) is scaled by sample counts,
/// so its gradient is then close to, not equal to, the single-process one.</para>
/// </remarks>
/// <example>
/// <code>
/// // On every rank:
/// var trainer = new Trainer(model, new CrossEntropyLoss(), new Adam(model.Parameters(), 1e-3));
/// var ddp = new DistributedDataParallel(trainer, communicator);
/// if (ddp.IsRoot) trainer.Callbacks.Add(new CheckpointCallback("run.ckpt"));
/// trainer.Fit(new DataLoader(x, y, batchSize: 256, shuffle: true, generator: new Generator(42)), epochs: 10);
/// </code>
/// </example>
public sealed class DistributedDataParallel : ITrainingSynchronizer
{
    /// <summary>The default bucket size, 25 MiB, as PyTorch's.</summary>
    public const int DefaultBucketBytes = 25 * 1024 * 1024;

    private readonly Trainer _trainer;
    private DataLoader? _train;
    private (Tensor[] Parameters, GradientBuckets<float>? Float32, GradientBuckets<double>? Float64)? _buckets;

    /// <summary>Attaches data-parallel training to <paramref name="trainer"/> (as its <see cref="Trainer.Synchronizer"/>).</summary>
    /// <param name="trainer">This rank's trainer, built as on every other rank.</param>
    /// <param name="communicator">The group of ranks that train together.</param>
    /// <param name="bucketBytes">The most bytes of gradients one allreduce carries (≥ 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bucketBytes"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The trainer already has a synchronizer.</exception>
    public DistributedDataParallel(Trainer trainer, Communicator communicator, int bucketBytes = DefaultBucketBytes)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(communicator);
        if (bucketBytes < 1)
            throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, $"DistributedDataParallel: the bucket size must be at least 1 byte, got {bucketBytes}.");
        if (trainer.Synchronizer is not null)
            throw new InvalidOperationException($"DistributedDataParallel: the trainer already has a synchronizer ({trainer.Synchronizer.GetType().Name}).");
        _trainer = trainer;
        Communicator = communicator;
        BucketBytes = bucketBytes;
        trainer.Synchronizer = this;
    }

    /// <summary>The group of ranks that train together.</summary>
    public Communicator Communicator { get; }

    /// <summary>The most bytes of gradients one allreduce carries.</summary>
    public int BucketBytes { get; }

    /// <summary>Whether this is rank 0, the one that prints and writes checkpoints and model files.</summary>
    public bool IsRoot => Communicator.IsRoot;

    /// <summary>The number of allreduce calls that sum one step's gradients (known once a fit has started; 0 before).</summary>
    public int BucketCount => _buckets is { } b ? (b.Float32?.BucketCount ?? 0) + (b.Float64?.BucketCount ?? 0) : 0;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The ranks were set up differently, or a global batch is smaller than the number of ranks.</exception>
    public void OnTrainBegin(Trainer trainer, DataLoader train, DataLoader? validation)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(train);
        if (!ReferenceEquals(trainer, _trainer))
            throw new ArgumentException("DistributedDataParallel: called for a trainer other than the one it was attached to.", nameof(trainer));
        RankSettings.CheckSame(Communicator, RankSettings.Describe(trainer, train, validation));
        CheckGlobalBatch(train);
        foreach (var (_, parameter) in trainer.Model.NamedParameters()) Broadcast(parameter);
        foreach (var (_, buffer) in trainer.Model.NamedBuffers()) Broadcast(buffer);
        train.SetShard(Communicator.Rank, Communicator.Size);
        validation?.SetShard(Communicator.Rank, Communicator.Size);
        _train = train;
        var parameters = trainer.Optimizer.Parameters.ToArray();
        if (_buckets is not { } built || !built.Parameters.SequenceEqual(parameters))
            _buckets = (parameters, Buckets<float>(parameters, DType.Float32), Buckets<double>(parameters, DType.Float64));
    }

    /// <inheritdoc/>
    public double LossScale(Batch batch)
    {
        var train = _train ?? throw new InvalidOperationException("DistributedDataParallel: no fit has started.");
        return _trainer.Loss.Reduction == Reduction.Mean ? (double)batch.Count / train.GlobalBatchSize(batch.Index) : 1;
    }

    /// <inheritdoc/>
    public void ReduceGradients(Trainer trainer)
    {
        var (_, float32, float64) = _buckets ?? throw new InvalidOperationException("DistributedDataParallel: no fit has started.");
        float32?.Reduce(Communicator);
        float64?.Reduce(Communicator);
    }

    /// <inheritdoc/>
    public void ReduceSums(Span<double> sums) => Communicator.AllReduce(sums);

    /// <summary>Refuses a global batch, the short last one included, that leaves a rank without samples.</summary>
    private void CheckGlobalBatch(DataLoader train)
    {
        int ranks = Communicator.Size;
        if (train.BatchSize < ranks)
            throw new ArgumentException($"DistributedDataParallel: the global batch size {train.BatchSize} is smaller than the number of ranks {ranks}; every rank needs at least one sample of each batch, so use a batch size of at least {ranks}.", nameof(train));
        int last = train.GlobalBatchSize(train.BatchCount - 1);
        if (last < ranks)
            throw new ArgumentException($"DistributedDataParallel: the last batch of an epoch holds {last} of the {train.Count} samples (batch size {train.BatchSize}), fewer than the {ranks} ranks; every rank needs at least one sample of each batch, so set dropLast or choose a batch size that leaves at least {ranks}.", nameof(train));
    }

    /// <summary>Copies <paramref name="tensor"/> from rank 0 to every rank, in place.</summary>
    private void Broadcast(Tensor tensor)
    {
        var bytes = tensor.DType switch
        {
            DType.Float32 => MemoryMarshal.AsBytes(tensor.Span<float>()),
            DType.Float64 => MemoryMarshal.AsBytes(tensor.Span<double>()),
            _ => MemoryMarshal.AsBytes(tensor.Span<int>()),
        };
        Communicator.Broadcast(bytes);
    }

    /// <summary>The buckets for the parameters of element type <paramref name="dtype"/>, or null when there are none.</summary>
    private GradientBuckets<T>? Buckets<T>(Tensor[] parameters, DType dtype) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var ofType = parameters.Where(p => p.DType == dtype).ToArray();
        return ofType.Length == 0 ? null : new GradientBuckets<T>(ofType, Math.Max(1, BucketBytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()));
    }
}
