using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// Batch normalisation of a vector of features or of (channels, length) samples
/// (<see cref="NN.BatchNorm1d"/> with PyTorch's defaults: eps 1e-5, momentum 0.1, affine, running
/// statistics); JSON kind "batch_norm1d".
/// </summary>
/// <param name="NumFeatures">The number of features or channels (JSON "num_features").</param>
public sealed record BatchNorm1dSpec(int NumFeatures) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "batch_norm1d";

    /// <inheritdoc/>
    public override string Description => $"BatchNorm1d({NumFeatures})";

    internal override int[] OutputShape(int[] input, int index)
    {
        RequirePositive(index, "num_features", NumFeatures);
        if (input.Length is not (1 or 2) || input[0] != NumFeatures)
            throw Invalid(index, $"expects per-sample shape [{NumFeatures}] or [{NumFeatures}, length], got {Shapes.Format(input)}");
        return input;
    }

    internal override Module Build(DType dtype, Generator generator) => new BatchNorm1d(NumFeatures, DefaultEps, dtype: dtype);

    // eps changes every prediction, so a layer built with another one is not this layer.
    internal override bool Matches(Module module) =>
        module is BatchNorm1d { Weight: not null, RunningMean: not null, Eps: DefaultEps } batchNorm && batchNorm.NumFeatures == NumFeatures;

    private const double DefaultEps = 1e-5;

    internal override IEnumerable<ExpectedTensor> State =>
    [
        new("weight", [NumFeatures], true),
        new("bias", [NumFeatures], true),
        new("running_mean", [NumFeatures], false),
        new("running_var", [NumFeatures], false),
        new("num_batches_tracked", [], false, IsCounter: true),
    ];
}
