using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Models;

/// <summary>
/// Finds the first NaN or infinity in a floating-point tensor: a loaded model's values and its
/// predictions must all be finite, and one that is not is named by where it is.
/// </summary>
internal static class NonFiniteValue
{
    /// <summary>The flat position and value of the first NaN or infinity, or null (always for Int32 tensors).</summary>
    public static (int At, double Value)? First(Tensor tensor) => tensor.DType switch
    {
        DType.Float32 => First<float>(tensor.Float32Data),
        DType.Float64 => First<double>(tensor.Float64Data),
        _ => null,
    };

    private static (int At, double Value)? First<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // One vectorised pass decides the usual case: a sum times zero is zero exactly when every value is finite
        // (or the sum overflows, which the scan below then clears).
        if (T.IsFinite(TensorPrimitives.Sum<T>(values) * T.Zero)) return null;
        for (int i = 0; i < values.Length; i++)
            if (!T.IsFinite(values[i])) return (i, double.CreateTruncating(values[i]));
        return null;
    }
}
