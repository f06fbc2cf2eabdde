using Nabla.NN;

namespace Nabla.Models;

/// <summary>Merges each sample's axes into one vector (<see cref="NN.Flatten"/>), e.g. ahead of a linear layer; JSON kind "flatten".</summary>
public sealed record FlattenSpec : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "flatten";

    /// <inheritdoc/>
    public override string Description => "Flatten";

    internal override int[] OutputShape(int[] input, int index)
    {
        long count = ModelArchitecture.Count(input);
        if (count > Array.MaxLength) throw Invalid(index, $"the per-sample shape {Shapes.Format(input)} has too many values for one vector");
        return [(int)count];
    }

    internal override Module Build(DType dtype, Generator generator) => new Flatten();

    internal override bool Matches(Module module) => module is Flatten { StartAxis: 1, EndAxis: -1 };
}
