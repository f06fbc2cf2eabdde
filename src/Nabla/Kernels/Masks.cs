using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Non-differentiable 0/1 and sign tensors used inside derivative rules (where ReLU passes the
/// gradient, which element a max came from, the sign of |x|'s slope). Plain typed loops: no
/// per-element delegate calls.
/// </summary>
internal static class Masks
{
    /// <summary>1 where x &gt; 0, else 0.</summary>
    public static Tensor Positive(Tensor x) => x.DType == DType.Float32 ? Positive(x, x.Float32Data) : Positive(x, x.Float64Data);

    private static Tensor Positive<T>(Tensor x, T[] data) where T : INumber<T>
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        var target = (T[])y.Storage;
        for (int i = 0; i < data.Length; i++) target[i] = data[i] > T.Zero ? T.One : T.Zero;
        return y;
    }

    /// <summary>
    /// <paramref name="values"/> where <paramref name="mask"/> &gt; 0, else 0 (same shapes): the product
    /// values · Positive(mask) in one pass, without the mask tensor. ReLU's derivative.
    /// </summary>
    public static Tensor WherePositive(Tensor mask, Tensor values) => mask.DType == DType.Float32
        ? WherePositive(mask, mask.Float32Data, values.Float32Data)
        : WherePositive(mask, mask.Float64Data, values.Float64Data);

    private static Tensor WherePositive<T>(Tensor mask, T[] m, T[] v) where T : unmanaged, INumber<T>
    {
        var y = Tensor.Empty(mask.ShapeArray, mask.DType);
        WherePositive<T>(m, v, (T[])y.Storage);
        return y;
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

    /// <summary>−1, 0 or 1 by the sign of each element (0 for 0 and NaN, as PyTorch's sign).</summary>
    public static Tensor Sign(Tensor x) => x.DType == DType.Float32 ? Sign(x, x.Float32Data) : Sign(x, x.Float64Data);

    private static Tensor Sign<T>(Tensor x, T[] data) where T : INumber<T>
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        var target = (T[])y.Storage;
        for (int i = 0; i < data.Length; i++)
            target[i] = data[i] > T.Zero ? T.One : data[i] < T.Zero ? -T.One : T.Zero;
        return y;
    }

    /// <summary>1 where lower ≤ x ≤ upper (bounds may be infinite), else 0.</summary>
    public static Tensor Between(Tensor x, double lower, double upper) => x.DType == DType.Float32
        ? Between(x, x.Float32Data, (float)lower, (float)upper)
        : Between(x, x.Float64Data, lower, upper);

    private static Tensor Between<T>(Tensor x, T[] data, T lower, T upper) where T : INumber<T>
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        var target = (T[])y.Storage;
        for (int i = 0; i < data.Length; i++) target[i] = data[i] >= lower && data[i] <= upper ? T.One : T.Zero;
        return y;
    }

    /// <summary>1 where a == b (broadcasting), else 0.</summary>
    public static Tensor Equal(Tensor a, Tensor b) => Elementwise.Zip(a, b, "Equal",
        static (x, y, d) => { for (int i = 0; i < d.Length; i++) d[i] = x[i] == y[i] ? 1f : 0f; },
        static (x, y, d) => { for (int i = 0; i < d.Length; i++) d[i] = x[i] == y[i] ? 1d : 0d; });

    /// <summary>1 where a &gt; b (broadcasting), else 0.</summary>
    public static Tensor Greater(Tensor a, Tensor b) => Elementwise.Zip(a, b, "Greater",
        static (x, y, d) => { for (int i = 0; i < d.Length; i++) d[i] = x[i] > y[i] ? 1f : 0f; },
        static (x, y, d) => { for (int i = 0; i < d.Length; i++) d[i] = x[i] > y[i] ? 1d : 0d; });
}
