using Nabla.NN;

namespace Nabla.Distributed;

/// <summary>
/// Batch normalisation whose training statistics are those of the global batch, as PyTorch's
/// <c>SyncBatchNorm</c>: each channel's sum and sum of squared deviations are summed over the ranks in
/// the forward pass, and the matching sums of gradients in the backward pass, so data-parallel
/// training on N ranks equals one process with the global batch. It wraps a <see cref="BatchNorm1d"/>
/// or <see cref="BatchNorm2d"/> in its place (<see cref="From"/> copies one), with the same parameter and
/// buffer names, so its state dict and checkpoints are those of the plain layer.
/// </summary>
/// <remarks>
/// Every rank must run the forward and backward passes together (as <see cref="DistributedDataParallel"/>
/// does). In evaluation it normalises with its running statistics, rank by rank, with no communication. The training pass is written in tensor ops (not the fused kernel of
/// <see cref="BatchNorm"/>), with two allreduce calls of C values forward and two backward, and one
/// of the sample count.
/// </remarks>
/// <example>
/// <code>
/// var model = new Sequential(new Linear(4, 16), new SyncBatchNorm(16, communicator), new ReLU(), new Linear(16, 3));
/// </code>
/// </example>
public sealed class SyncBatchNorm : BatchNorm
{
    private readonly Communicator _communicator;

    /// <summary>Creates the layer, with <see cref="BatchNorm1d"/>'s settings, over the ranks of <paramref name="communicator"/>.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="communicator">The group of ranks that train together.</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1]; null for the cumulative average.</param>
    /// <param name="affine">Whether to learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (and use them in evaluation).</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    public SyncBatchNorm(int numFeatures, Communicator communicator, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
        bool trackRunningStats = true, DType dtype = DType.Float32)
        : base(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        _communicator = communicator;
    }

    /// <summary>A synchronised copy of <paramref name="layer"/>: its settings, weights and running statistics, under the same names.</summary>
    /// <param name="layer">A <see cref="BatchNorm1d"/> or <see cref="BatchNorm2d"/> (build the optimizer over the copy's parameters).</param>
    /// <param name="communicator">The group of ranks that train together.</param>
    public static SyncBatchNorm From(BatchNorm layer, Communicator communicator)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var copy = new SyncBatchNorm(layer.NumFeatures, communicator, layer.Eps, layer.Momentum, layer.Weight is not null, layer.RunningMean is not null,
            (layer.Weight ?? layer.RunningMean)?.DType ?? DType.Float32);
        copy.LoadStateDict(layer.StateDict());
        return copy;
    }

    private protected override void CheckRank(Tensor input)
    {
        if (input.Rank < 2)
            throw new ShapeMismatchException($"SyncBatchNorm({NumFeatures}): expected an input of shape (N, C, ...), got {Shapes.Format(input.ShapeArray)}.");
    }

    /// <summary>The input normalised per channel, with the global batch's statistics in training; shaped as the input.</summary>
    /// <exception cref="ShapeMismatchException">The input is not (N, C, ...) with the layer's C channels.</exception>
    /// <exception cref="ArgumentException">In training, a channel has only one value over all the ranks.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining && RunningMean is not null) return base.Forward(input);
        CheckRank(input);
        var shape = input.ShapeArray;
        int channels = NumFeatures;
        if (shape[1] != channels)
            throw new ShapeMismatchException($"SyncBatchNorm({channels}): input of shape {Shapes.Format(shape)} has {shape[1]} channels (axis 1), expected {channels}.");
        int positions = input.Length / (shape[0] * channels);
        var grouped = input.Reshape(shape[0], channels, positions);

        Span<long> counts = [(long)shape[0] * positions];
        _communicator.AllReduce(counts);
        if (counts[0] <= 1)
            throw new ArgumentException($"SyncBatchNorm: Expected more than 1 value per channel when training, got {counts[0]} over all ranks.", nameof(input));
        double count = counts[0];
        var mean = AllReduceSum.Apply(grouped.Sum(0).Sum(1), _communicator) / count;
        var centred = grouped - mean.Reshape(1, channels, 1);
        var variance = AllReduceSum.Apply((centred * centred).Sum(0).Sum(1), _communicator) / count;
        var scale = 1.0 / (variance + Eps).Sqrt();
        if (Weight is not null) scale *= Weight;
        var y = centred * scale.Reshape(1, channels, 1);
        if (Bias is not null) y += Bias.Reshape(1, channels, 1);
        if (IsTraining && RunningMean is not null)
        {
            var statistics = Tensor.Zeros([2, channels], input.DType);
            for (int c = 0; c < channels; c++)
            {
                statistics.SetFlat(c, mean.GetFlat(c));
                statistics.SetFlat(channels + c, variance.GetFlat(c));
            }
            UpdateRunningStatistics(statistics, checked((int)counts[0]));
        }
        return y.Reshape(shape);
    }
}
