namespace Nabla.Explain;

/// <summary>
/// The scalar that an attribution explains, per row: the target class's output of a classifier, or the
/// output of a regressor; and its gradient with respect to the input rows, by one backward pass.
/// </summary>
/// <remarks>
/// One backward pass of the summed outputs gives every row's gradient at once only when the model treats
/// rows independently (no batch statistics: put batch normalization and dropout in evaluation mode).
/// </remarks>
internal static class ModelGradient
{
    /// <summary>The explained output of each row and its gradient with respect to <paramref name="input"/>, shaped like it.</summary>
    internal static (double[] Outputs, Tensor Gradient) Of(Func<Tensor, Tensor> model, Tensor input, int? target, string who)
    {
        var x = input.Detach().RequiresGradient();
        Tensor output;
        using (Autograd.EnableGrad()) output = Explained(model(x), target, input.Size(0), who);
        if (!output.RequiresGrad)
            throw new ArgumentException($"{who}: the model's output does not depend on its input through differentiable operations, so it has no gradient to attribute.", nameof(model));
        return (output.ToDoubleArray(), Autograd.Grad(output.Sum(), x));
    }

    /// <summary>The explained output of each row, without recording a graph.</summary>
    internal static double[] Outputs(Func<Tensor, Tensor> model, Tensor input, int? target, string who)
    {
        using (Autograd.NoGrad()) return Explained(model(input), target, input.Size(0), who).ToDoubleArray();
    }

    /// <summary>
    /// The (rows) outputs to explain from a model's output: (rows) or (rows, 1) as it is when no target is
    /// given, column <paramref name="target"/> of a (rows, classes) output.
    /// </summary>
    /// <exception cref="ArgumentException">The output's shape does not fit the rows, or the target does not fit the output.</exception>
    private static Tensor Explained(Tensor output, int? target, int rows, string who)
    {
        var shape = Shapes.Format(output.ShapeArray);
        if (output.Rank is < 1 or > 2 || output.Size(0) != rows)
            throw new ArgumentException($"{who}: the model maps {rows} rows to an output of shape {shape}; it must give one value per row, (rows) or (rows, outputs).", "model");
        int outputs = output.Rank == 1 ? 1 : output.Size(1);
        if (target is null)
        {
            if (outputs != 1)
                throw new ArgumentException($"{who}: the model has {outputs} outputs per row (shape {shape}); give the target output (the class index) to explain.", nameof(target));
            return output.Reshape(rows);
        }
        if (target < 0 || target >= outputs)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"{who}: target {target} is not an output of the model, whose output has shape {shape} (targets 0 to {outputs - 1}).");
        return output.Rank == 1 ? output : output.Slice(1, target.Value, 1).Reshape(rows);
    }
}
