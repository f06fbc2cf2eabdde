using System.Globalization;
using System.Numerics.Tensors;

namespace Nabla.Explain;

/// <summary>
/// SmoothGrad (Smilkov et al., 2017): the gradient averaged over noisy copies of each row,
/// (1/n) Σₖ ∂F/∂x (x + εₖ) with εₖ ~ N(0, σ²), which smooths the speckle of a plain saliency map.
/// σ is a share of the row's range, σ = noiseLevel · (max x − min x), as the paper sets it per image.
/// </summary>
public static class SmoothGrad
{
    /// <summary>The mean gradient of the explained output over noisy copies of each row, shaped like <paramref name="x"/>, as a Float64 tensor.</summary>
    /// <param name="model">A function of differentiable tensor operations mapping (rows, features...) to (rows) or (rows, outputs); for a module, its <c>Forward</c>.</param>
    /// <param name="x">The rows, floating point.</param>
    /// <param name="generator">
    /// The source of the noise: for each row in turn, for each copy, one <see cref="Generator.NextNormal"/> per
    /// feature in row-major order.
    /// </param>
    /// <param name="target">The output to explain: the class index of a classifier; null for a model with one output.</param>
    /// <param name="samples">How many noisy copies of each row (the paper's n, 50 by default).</param>
    /// <param name="noiseLevel">σ as a share of each row's range (the paper finds 10–20% best; default 0.15).</param>
    /// <param name="absolute">Whether to average |∂F/∂x| rather than the signed gradient.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="samples"/> is less than 1, or <paramref name="noiseLevel"/> is negative or not finite.</exception>
    /// <exception cref="ArgumentException">The input is not floating point or has no rows, the model's output has no value per row, or the target does not fit it.</exception>
    public static Tensor Compute(Func<Tensor, Tensor> model, Tensor x, Generator generator, int? target = null, int samples = 50, double noiseLevel = 0.15, bool absolute = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(generator);
        Saliency.RequireRows(x, "SmoothGrad.Compute");
        if (samples < 1)
            throw new ArgumentOutOfRangeException(nameof(samples), samples, $"SmoothGrad.Compute: samples must be at least 1, not {samples}.");
        if (!(noiseLevel >= 0) || !double.IsFinite(noiseLevel))
            throw new ArgumentOutOfRangeException(nameof(noiseLevel), noiseLevel, string.Create(CultureInfo.InvariantCulture, $"SmoothGrad.Compute: noiseLevel must be 0 or positive and finite, not {noiseLevel}."));

        int rows = x.Size(0), length = x.Length / rows;
        var values = x.ToDoubleArray();
        var result = new double[x.Length];
        for (int r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * length, length);
            double sigma = noiseLevel * (TensorPrimitives.Max(row) - TensorPrimitives.Min(row));
            // All copies of a row go through the model as one batch.
            var noisy = new double[samples * length];
            for (int k = 0; k < samples; k++)
                for (int i = 0; i < length; i++) noisy[k * length + i] = row[i] + sigma * generator.NextNormal();
            var batch = Tensor.FromArray(noisy, [samples, .. x.ShapeArray[1..]]).To(x.DType);
            var gradient = ModelGradient.Of(model, batch, target, "SmoothGrad.Compute").Gradient.ToDoubleArray();
            for (int k = 0; k < samples; k++)
                for (int i = 0; i < length; i++)
                {
                    double g = gradient[k * length + i];
                    result[r * length + i] += (absolute ? Math.Abs(g) : g) / samples;
                }
        }
        return Tensor.FromArray(result, x.ShapeArray);
    }
}
