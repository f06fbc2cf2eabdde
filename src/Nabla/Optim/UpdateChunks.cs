using System.Numerics.Tensors;

namespace Nabla.Optim;

/// <summary>
/// Pieces shared by the elementwise update rules. The rules walk each parameter in chunks of
/// <see cref="Size"/> elements and run every operation of the update on one chunk before moving
/// on, so the parameter, gradient and state stay in the L1 cache across the several passes that
/// PyTorch makes over whole tensors.
/// </summary>
internal static class UpdateChunks
{
    /// <summary>Elements per chunk: two scratch chunks of doubles fit in 32 KiB of stack.</summary>
    public const int Size = 2048;

    /// <summary>
    /// The direction the update descends, into <paramref name="work"/>: the gradient (negated when
    /// <paramref name="maximize"/>) plus <paramref name="weightDecay"/> times the parameter
    /// (PyTorch's <c>grad.add(param, alpha=weight_decay)</c>).
    /// </summary>
    public static void Gradient<T>(ReadOnlySpan<T> grad, ReadOnlySpan<T> param, bool maximize, T weightDecay, Span<T> work)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (maximize) TensorPrimitives.Negate(grad, work);
        else grad.CopyTo(work);
        if (weightDecay != T.Zero) TensorPrimitives.MultiplyAdd(param, weightDecay, work, work);
    }

    /// <summary>
    /// An exponential moving average in place, <c>avg.mul_(decay).add_(x, alpha=1 − decay)</c>:
    /// avg = avg·decay + (1 − decay)·x.
    /// </summary>
    public static void Average<T>(Span<T> average, T decay, ReadOnlySpan<T> x)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(average, decay, average);
        TensorPrimitives.MultiplyAdd(x, T.One - decay, average, average);
    }

    /// <summary>
    /// An average of squares in place, <c>avg.mul_(decay).addcmul_(x, x, value=1 − decay)</c>:
    /// avg = avg·decay + ((1 − decay)·x)·x, in PyTorch's order of operations. Uses <paramref name="scratch"/>.
    /// </summary>
    public static void AverageOfSquares<T>(Span<T> average, T decay, ReadOnlySpan<T> x, Span<T> scratch)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply(average, decay, average);
        TensorPrimitives.Multiply(x, T.One - decay, scratch);
        TensorPrimitives.MultiplyAdd(scratch, x, average, average);
    }

    /// <summary>
    /// <c>param.addcdiv_(numerator, denominator, value=scale)</c>: param += (scale·numerator)/denominator,
    /// up to one rounding. Overwrites <paramref name="denominator"/>.
    /// </summary>
    public static void AddScaledQuotient<T>(Span<T> param, T scale, ReadOnlySpan<T> numerator, Span<T> denominator)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        // scale·(n/d) where PyTorch computes (scale·n)/d: the two differ by one rounding at most,
        // and this order needs no third buffer.
        TensorPrimitives.Divide(numerator, denominator, denominator);
        TensorPrimitives.MultiplyAdd(denominator, scale, param, param);
    }
}
