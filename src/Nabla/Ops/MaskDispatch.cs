using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The tensor side of the mask kernels (<see cref="Masks"/>): 0/1 and sign tensors for derivative
/// rules, each a new tensor of the input's shape and type (Equal and Greater broadcast). Not recorded.
/// </summary>
internal static class MaskDispatch
{
    /// <summary>1 where x &gt; 0, else 0.</summary>
    public static Tensor Positive(Tensor x)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Masks.Positive<float>(x.Float32Data, y.Float32Data);
        else Masks.Positive<double>(x.Float64Data, y.Float64Data);
        return y;
    }

    /// <summary>
    /// <paramref name="values"/> where <paramref name="mask"/> &gt; 0, else 0 (same shapes): the product
    /// values · Positive(mask) in one pass, without the mask tensor. ReLU's derivative.
    /// </summary>
    public static Tensor WherePositive(Tensor mask, Tensor values)
    {
        var y = Tensor.Empty(mask.ShapeArray, mask.DType);
        if (mask.DType == DType.Float32) Masks.WherePositive<float>(mask.Float32Data, values.Float32Data, y.Float32Data);
        else Masks.WherePositive<double>(mask.Float64Data, values.Float64Data, y.Float64Data);
        return y;
    }

    /// <summary>−1, 0 or 1 by the sign of each element (0 for 0 and NaN, as PyTorch's sign).</summary>
    public static Tensor Sign(Tensor x)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Masks.Sign<float>(x.Float32Data, y.Float32Data);
        else Masks.Sign<double>(x.Float64Data, y.Float64Data);
        return y;
    }

    /// <summary>1 where lower ≤ x ≤ upper (bounds may be infinite), else 0.</summary>
    public static Tensor Between(Tensor x, double lower, double upper)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Masks.Between<float>(x.Float32Data, (float)lower, (float)upper, y.Float32Data);
        else Masks.Between<double>(x.Float64Data, lower, upper, y.Float64Data);
        return y;
    }

    /// <summary>1 where a == b (broadcasting), else 0.</summary>
    public static Tensor Equal(Tensor a, Tensor b) => ElementwiseDispatch.Zip(a, b, "Equal", Masks.Equal, Masks.Equal);

    /// <summary>1 where a &gt; b (broadcasting), else 0.</summary>
    public static Tensor Greater(Tensor a, Tensor b) => ElementwiseDispatch.Zip(a, b, "Greater", Masks.Greater, Masks.Greater);
}
