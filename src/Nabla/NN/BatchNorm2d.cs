namespace Nabla.NN;

/// <summary>
/// Batch normalisation of (N, C, H, W) images, as <c>torch.nn.BatchNorm2d</c>: after a convolution,
/// each channel normalised over the batch and every pixel. See <see cref="BatchNorm"/> for training and
/// evaluation behaviour and the running statistics.
/// </summary>
public sealed class BatchNorm2d : BatchNorm
{
    /// <summary>Creates the layer.</summary>
    /// <param name="numFeatures">The number of channels C.</param>
    /// <param name="eps">Added to the variance for stability; must be positive.</param>
    /// <param name="momentum">The weight of each new batch in the running statistics, in [0, 1]; null for the cumulative average.</param>
    /// <param name="affine">Whether to learn a per-channel weight and bias.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (and use them in evaluation).</param>
    /// <param name="dtype">Float32 (the default) or Float64.</param>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
        : base(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
    {
    }

    private protected override void CheckRank(Tensor input)
    {
        if (input.Rank != 4)
            throw new ShapeMismatchException($"BatchNorm2d({NumFeatures}): expected an input of shape (N, C, H, W), got {Shapes.Format(input.ShapeArray)}.");
    }
}
