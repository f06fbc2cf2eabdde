using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Non-differentiable 0/1 and sign values used inside derivative rules (where ReLU passes the
/// gradient, which element a max came from, the sign of |x|'s slope), over spans. Plain typed loops:
/// no per-element delegate calls.
/// </summary>
internal static class Masks
{
    /// <summary>y = 1 where x &gt; 0, else 0.</summary>
    public static void Positive<T>(ReadOnlySpan<T> x, Span<T> y) where T : INumber<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > T.Zero ? T.One : T.Zero;
    }

    /// <summary><paramref name="values"/> where <paramref name="mask"/> &gt; 0, else 0, into <paramref name="target"/> (all of one length).</summary>
    public static void WherePositive<T>(ReadOnlySpan<T> mask, ReadOnlySpan<T> values, Span<T> target) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // NaN in the mask compares false, as in the scalar tail: the gradient is 0 there.
            for (; i <= mask.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<T>(mask[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(values[i..]), Vector<T>.Zero).CopyTo(target[i..]);
            }
        }
        for (; i < mask.Length; i++) target[i] = mask[i] > T.Zero ? values[i] : T.Zero;
    }

    /// <summary>y = −1, 0 or 1 by the sign of each x (0 for 0 and NaN, as PyTorch's sign).</summary>
    public static void Sign<T>(ReadOnlySpan<T> x, Span<T> y) where T : INumber<T>
    {
        for (int i = 0; i < x.Length; i++)
            y[i] = x[i] > T.Zero ? T.One : x[i] < T.Zero ? -T.One : T.Zero;
    }

    /// <summary>y = 1 where lower ≤ x ≤ upper (bounds may be infinite), else 0.</summary>
    public static void Between<T>(ReadOnlySpan<T> x, T lower, T upper, Span<T> y) where T : INumber<T>
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] >= lower && x[i] <= upper ? T.One : T.Zero;
    }

    /// <summary>y = 1 where a == b, else 0 (spans of one length).</summary>
    public static void Equal<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : INumber<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] = a[i] == b[i] ? T.One : T.Zero;
    }

    /// <summary>y = 1 where a &gt; b, else 0 (spans of one length).</summary>
    public static void Greater<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : INumber<T>
    {
        for (int i = 0; i < y.Length; i++) y[i] = a[i] > b[i] ? T.One : T.Zero;
    }
}
