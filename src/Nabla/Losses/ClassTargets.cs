namespace Nabla.Losses;

/// <summary>
/// Checks for the losses that take class indices (cross-entropy, NLL, multi-margin): the input is
/// [N, C] or [N, C, d1, …] with classes on axis 1, the target holds one Int32 class per sample and
/// position, shaped like the input without axis 1.
/// </summary>
internal static class ClassTargets
{
    /// <summary>Checks the input's rank and that it is floating-point; returns the number of classes.</summary>
    public static int RequireClassInput(string loss, Tensor input, bool allowSpatial)
    {
        ArgumentNullException.ThrowIfNull(input);
        input.RequireFloatingPoint(loss);
        if (input.Rank < 2 || (!allowSpatial && input.Rank != 2))
        {
            string expected = allowSpatial ? "[N, C] or [N, C, d1, ...]" : "[N, C]";
            throw new ShapeMismatchException($"{loss}: input must have shape {expected} (samples, classes), got {Shapes.Format(input.ShapeArray)}; for a single sample use Unsqueeze(0).");
        }
        return input.ShapeArray[1];
    }

    /// <summary>
    /// Checks that <paramref name="target"/> holds Int32 class indices shaped like the input without
    /// axis 1, each in [0, C) or equal to <paramref name="ignoreIndex"/> (when given).
    /// </summary>
    public static void RequireIndices(string loss, Tensor input, Tensor target, int? ignoreIndex)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.DType != DType.Int32)
            throw new ArgumentException($"{loss}: target must be an Int32 tensor of class indices, got {target.DType}.", nameof(target));
        int[] expected = [input.ShapeArray[0], .. input.ShapeArray[2..]];
        if (!Shapes.SameShape(target.ShapeArray, expected))
            throw new ShapeMismatchException($"{loss}: target shape {Shapes.Format(target.ShapeArray)} does not fit input shape {Shapes.Format(input.ShapeArray)}; expected {Shapes.Format(expected)} (the input's shape without the class axis 1).");
        int classes = input.ShapeArray[1];
        var indices = target.Int32Data;
        for (int i = 0; i < indices.Length; i++)
        {
            int c = indices[i];
            if ((uint)c < (uint)classes || c == ignoreIndex) continue;
            string allowed = ignoreIndex is { } ignore ? $"0..{classes - 1}, or ignoreIndex {ignore}" : $"0..{classes - 1}";
            throw new ArgumentOutOfRangeException(nameof(target), c, $"{loss}: target class {c} at position {Position(i, target.ShapeArray)} is out of range for {classes} classes (valid: {allowed}).");
        }
    }

    /// <summary>
    /// The class weights in the input's element type, checked to hold one weight per class.
    /// </summary>
    public static Tensor ForClasses(string loss, Tensor weight, Tensor input)
    {
        int classes = input.ShapeArray[1];
        if (weight.Rank != 1 || weight.Length != classes)
            throw new ShapeMismatchException($"{loss}: weight must hold one value per class, shape [{classes}] for input shape {Shapes.Format(input.ShapeArray)}, got {Shapes.Format(weight.ShapeArray)}.");
        return weight.To(input.DType);
    }

    /// <summary>The input as [rows, C]: [N, d1, …, C] flattened, so that row r belongs to the target's flat position r.</summary>
    public static Tensor ClassesLast(Tensor input)
    {
        if (input.Rank == 2) return input;
        int[] order = [0, .. Enumerable.Range(2, input.Rank - 2), 1];
        return input.Permute(order).Reshape(-1, input.ShapeArray[1]);
    }

    /// <summary>The indices of a flat position in a row-major shape, formatted "[i, j, …]".</summary>
    public static string Position(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
        return Shapes.Format(index);
    }
}
