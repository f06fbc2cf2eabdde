namespace Nabla.Explain;

/// <summary>
/// Gradient saliency (Simonyan, Vedaldi and Zisserman, 2014): the gradient of the explained output with
/// respect to each input feature, ∂F/∂x, signed or as its magnitude |∂F/∂x|: which features the output is
/// most sensitive to at this input.
/// </summary>
public static class Saliency
{
    /// <summary>The gradient of the explained output of each row, shaped like <paramref name="x"/>, as a Float64 tensor.</summary>
    /// <param name="model">A function of differentiable tensor operations mapping (rows, features...) to (rows) or (rows, outputs); for a module, its <c>Forward</c>.</param>
    /// <param name="x">The rows, floating point.</param>
    /// <param name="target">The output to explain: the class index of a classifier; null for a model with one output.</param>
    /// <param name="absolute">Whether to give |∂F/∂x| (the usual saliency map) rather than the signed gradient.</param>
    /// <exception cref="ArgumentException">The input is not floating point or has no rows, the model's output has no value per row, or the target does not fit it.</exception>
    public static Tensor Compute(Func<Tensor, Tensor> model, Tensor x, int? target = null, bool absolute = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        RequireRows(x, "Saliency.Compute");
        var gradient = ModelGradient.Of(model, x, target, "Saliency.Compute").Gradient.To(DType.Float64).Detach();
        return absolute ? gradient.Abs() : gradient;
    }

    /// <summary>Throws unless <paramref name="x"/> is a floating-point tensor of at least one row.</summary>
    internal static void RequireRows(Tensor x, string who)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!x.IsFloatingPoint || x.Rank < 2 || x.Size(0) == 0)
            throw new ArgumentException($"{who}: x must be a floating-point (rows, features...) tensor with at least one row, got {x.DType} of shape {Shapes.Format(x.ShapeArray)}.", nameof(x));
    }
}
