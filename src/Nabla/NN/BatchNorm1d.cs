namespace Nabla.NN;

/// <summary>
/// Batch normalisation of (N, C) or (N, C, L) inputs, as <c>torch.nn.BatchNorm1d</c>: after a
/// <see cref="Linear"/> layer, or over sequences. See <see cref="BatchNorm"/> for training and
/// evaluation behaviour and the running statistics.
/// </summary>
public sealed class BatchNorm1d : BatchNorm
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1]; null for the cumulative average.</param>
    /// <param name="affine">Whether to learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (and use them in evaluation).</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
        : base(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
    {
    }

    private protected override void CheckRank(Tensor input)
    {
        if (input.Rank is not (2 or 3))
            throw new ShapeMismatchException($"BatchNorm1d({NumFeatures}): expected an input of shape (N, C) or (N, C, L), got {Shapes.Format(input.ShapeArray)}.");
    }
}
