namespace Nabla.Explain;

/// <summary>
/// The integrand of integrated gradients for one row: at each α the vector (x − x') ⊙ ∇F(x' + α(x − x')),
/// all the α asked for at once evaluated as one batch through the model.
/// </summary>
internal sealed class PathIntegrand(Func<Tensor, Tensor> model, double[] start, double[] end, int[] rowShape, DType dtype, int? target, string who)
{
    /// <summary>The number of entries: the features of a row.</summary>
    internal int Length => start.Length;

    /// <summary>The integrand at each of <paramref name="alphas"/>, row-major (alphas × features).</summary>
    internal double[] Integrand(double[] alphas) => Evaluate(alphas).Integrand;

    /// <summary>The explained output F at each of <paramref name="alphas"/> along the path, and the integrand there, row-major (alphas × features).</summary>
    internal (double[] Outputs, double[] Integrand) Evaluate(double[] alphas)
    {
        int length = start.Length;
        var points = new double[alphas.Length * length];
        for (int k = 0; k < alphas.Length; k++)
            for (int i = 0; i < length; i++)
                points[k * length + i] = start[i] + alphas[k] * (end[i] - start[i]);
        var batch = Tensor.FromArray(points, [alphas.Length, .. rowShape]).To(dtype);
        var (outputs, tensor) = ModelGradient.Of(model, batch, target, who);
        var gradient = tensor.ToDoubleArray();
        for (int k = 0; k < alphas.Length; k++)
            for (int i = 0; i < length; i++)
                gradient[k * length + i] *= end[i] - start[i];
        return (outputs, gradient);
    }
}
