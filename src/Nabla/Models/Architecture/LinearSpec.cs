using Nabla.NN;

namespace Nabla.Models;

/// <summary>A fully connected layer (<see cref="NN.Linear"/>, with bias) from a vector of <paramref name="InFeatures"/> values to <paramref name="OutFeatures"/>; JSON kind "linear".</summary>
/// <param name="InFeatures">The size of each input vector (JSON "in_features").</param>
/// <param name="OutFeatures">The size of each output vector (JSON "out_features").</param>
public sealed record LinearSpec(int InFeatures, int OutFeatures) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "linear";

    /// <inheritdoc/>
    public override string Description => $"Linear({InFeatures} → {OutFeatures})";

    internal override int[] OutputShape(int[] input, int index)
    {
        RequirePositive(index, "in_features", InFeatures);
        RequirePositive(index, "out_features", OutFeatures);
        if (input.Length != 1 || input[0] != InFeatures)
            throw Invalid(index, input.Length == 1
                ? $"expects {InFeatures} input features, gets {input[0]}"
                : $"expects a vector of {InFeatures} features, gets per-sample shape {Shapes.Format(input)} (a flatten layer before it makes one)");
        return [OutFeatures];
    }

    internal override Module Build(DType dtype, Generator generator) => new Linear(InFeatures, OutFeatures, generator: generator, dtype: dtype);

    internal override bool Matches(Module module) =>
        module is Linear { Bias: not null } linear && linear.InFeatures == InFeatures && linear.OutFeatures == OutFeatures;

    internal override IEnumerable<ExpectedTensor> State => [new("weight", [OutFeatures, InFeatures], true), new("bias", [OutFeatures], true)];
}
