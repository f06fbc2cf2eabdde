using Nabla.NN;

namespace Nabla.Models;

/// <summary>Inverted dropout (<see cref="NN.Dropout"/>), active in training only; JSON kind "dropout".</summary>
/// <param name="P">The probability of zeroing an element, in [0, 1) (JSON "p").</param>
public sealed record DropoutSpec(double P) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "dropout";

    /// <inheritdoc/>
    public override string Description => $"Dropout(p={P})";

    internal override int[] OutputShape(int[] input, int index)
    {
        // p = 1 would zero every activation: a network that cannot learn, so a file holding it is wrong.
        if (!(P >= 0 && P < 1)) throw Invalid(index, $"p must be in [0, 1), got {P}");
        return input;
    }

    internal override Module Build(DType dtype, Generator generator) => new Dropout(P, generator);

    internal override bool Matches(Module module) => module is Dropout dropout && dropout.P == P;
}
