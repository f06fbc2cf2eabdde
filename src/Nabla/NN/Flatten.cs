namespace Nabla.NN;

/// <summary>
/// Merges the axes from <see cref="StartAxis"/> to <see cref="EndAxis"/> into one, as <c>torch.nn.Flatten</c>:
/// by default every axis but the batch axis, so (N, C, H, W) becomes (N, C·H·W) ahead of a
/// <see cref="Linear"/> layer. Shares storage with the input (a reshape, not a copy).
/// </summary>
public sealed class Flatten : Module
{
    /// <summary>Creates the layer.</summary>
    /// <param name="startAxis">The first axis to merge; negative counts from the end.</param>
    /// <param name="endAxis">The last axis to merge (inclusive); negative counts from the end.</param>
    public Flatten(int startAxis = 1, int endAxis = -1)
    {
        StartAxis = startAxis;
        EndAxis = endAxis;
    }

    /// <summary>The first axis merged.</summary>
    public int StartAxis { get; }

    /// <summary>The last axis merged (inclusive).</summary>
    public int EndAxis { get; }

    /// <summary>The input with axes <see cref="StartAxis"/>..<see cref="EndAxis"/> merged.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An axis is outside the input, or the start axis comes after the end axis.</exception>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // A scalar flattens to one element, as in PyTorch.
        if (input.Rank == 0) return input.Reshape(1);
        int start = Shapes.NormalizeAxis(StartAxis, input.Rank, nameof(Flatten));
        int end = Shapes.NormalizeAxis(EndAxis, input.Rank, nameof(Flatten));
        if (start > end)
            throw new ArgumentOutOfRangeException(nameof(input), $"Flatten({StartAxis}, {EndAxis}): for an input of shape {Shapes.Format(input.ShapeArray)} the start axis {start} comes after the end axis {end}.");
        var shape = input.ShapeArray;
        return input.Reshape([.. shape[..start], Shapes.Numel(shape.AsSpan(start, end - start + 1)), .. shape[(end + 1)..]]);
    }
}
