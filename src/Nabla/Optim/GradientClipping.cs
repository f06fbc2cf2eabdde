using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Limits the size of gradients before an optimizer step, as <c>torch.nn.utils.clip_grad_norm_</c>
/// and <c>clip_grad_value_</c>: the gradients are changed in place; parameters without a gradient
/// are left alone.
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients together so that their joint p-norm (as if concatenated into one
    /// vector) is at most <paramref name="maxNorm"/>: each is multiplied by
    /// min(1, maxNorm / (norm + 1e-6)).
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped.</param>
    /// <param name="maxNorm">The largest norm allowed (≥ 0).</param>
    /// <param name="normType">p of the p-norm (&gt; 0), or <see cref="double.PositiveInfinity"/> for the largest magnitude.</param>
    /// <param name="errorIfNonfinite">Throw instead of scaling when the norm is NaN or infinite.</param>
    /// <returns>The joint norm of the gradients before clipping (0 when none has a gradient).</returns>
    /// <exception cref="ArgumentOutOfRangeException">maxNorm is negative or normType is not positive.</exception>
    /// <exception cref="InvalidOperationException">The norm is not finite and <paramref name="errorIfNonfinite"/> is set.</exception>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Hyperparameters.NonNegative(maxNorm, "max norm", nameof(maxNorm));
        if (!(normType > 0))
            throw new ArgumentOutOfRangeException(nameof(normType), $"norm type must be positive (or infinity), got {Hyperparameters.Format(normType)}");
        var grads = Gradients(parameters);
        if (grads.Count == 0) return 0;

        // PyTorch takes the norm of each gradient, then the norm of those norms.
        double total = 0;
        foreach (var g in grads)
        {
            double norm = g.DType == DType.Float32 ? Norm<float>(g.Span<float>(), normType) : Norm<double>(g.Span<double>(), normType);
            total = double.IsPositiveInfinity(normType) ? Math.Max(total, norm) : total + Math.Pow(norm, normType);
        }
        if (!double.IsPositiveInfinity(normType)) total = Math.Pow(total, 1 / normType);
        if (errorIfNonfinite && !double.IsFinite(total))
            throw new InvalidOperationException($"ClipGradNorm: the total norm of order {Hyperparameters.Format(normType)} of the gradients is {Hyperparameters.Format(total)}, so they cannot be clipped; pass errorIfNonfinite: false to scale them by it anyway.");

        double coefficient = Math.Min(maxNorm / (total + 1e-6), 1.0);
        foreach (var g in grads)
        {
            if (g.DType == DType.Float32) TensorPrimitives.Multiply(g.Span<float>(), (float)coefficient, g.Span<float>());
            else TensorPrimitives.Multiply(g.Span<double>(), coefficient, g.Span<double>());
        }
        return total;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue].</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is negative or not finite.</exception>
    public static void ClipGradValue(IEnumerable<Tensor> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Hyperparameters.NonNegative(clipValue, "clip value", nameof(clipValue));
        foreach (var g in Gradients(parameters))
        {
            if (g.DType == DType.Float32) Clamp(g.Span<float>(), (float)clipValue);
            else Clamp(g.Span<double>(), clipValue);
        }
    }

    private static List<Tensor> Gradients(IEnumerable<Tensor> parameters)
    {
        var grads = new List<Tensor>();
        foreach (var p in parameters)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(parameters));
            if (p.Grad is { } g) grads.Add(g);
        }
        return grads;
    }

    /// <summary>The p-norm of one gradient (the Euclidean one in its own type, as PyTorch; others accumulated in double).</summary>
    private static double Norm<T>(ReadOnlySpan<T> x, double p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (double.IsPositiveInfinity(p)) return x.IsEmpty ? 0 : Math.Abs(double.CreateTruncating(TensorPrimitives.MaxMagnitude(x)));
        if (p == 2) return double.CreateTruncating(TensorPrimitives.Norm(x));
        double sum = 0;
        foreach (var v in x) sum += Math.Pow(Math.Abs(double.CreateTruncating(v)), p);
        return Math.Pow(sum, 1 / p);
    }

    private static void Clamp<T>(Span<T> x, T bound) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Min(x, bound, x);
        TensorPrimitives.Max(x, -bound, x);
    }
}
