using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

/// <summary>
/// The tensor side of the elementwise kernels (<see cref="Elementwise"/>): allocates each result,
/// picks the Float32 or Float64 loop, and works out broadcast shapes and strides, so the kernels see
/// only arrays. Nothing here is recorded in the graph; the ops record around it.
/// </summary>
internal static class ElementwiseDispatch
{
    /// <summary>y = f(x) elementwise, for a floating-point <paramref name="x"/>.</summary>
    public static Tensor Map(Tensor x, SpanMap<float> f32, SpanMap<double> f64)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Elementwise.Map(x.Float32Data, y.Float32Data, f32);
        else Elementwise.Map(x.Float64Data, y.Float64Data, f64);
        return y;
    }

    /// <summary>y = f(x, s) elementwise, with <paramref name="s"/> converted to the element type.</summary>
    public static Tensor MapScalar(Tensor x, double s, SpanMapScalar<float> f32, SpanMapScalar<double> f64)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType);
        if (x.DType == DType.Float32) Elementwise.MapScalar(x.Float32Data, (float)s, y.Float32Data, f32);
        else Elementwise.MapScalar(x.Float64Data, s, y.Float64Data, f64);
        return y;
    }

    /// <summary>y = f(a, b) with NumPy broadcasting; both must have the same floating-point type.</summary>
    /// <exception cref="ArgumentException">The element types differ.</exception>
    /// <exception cref="ShapeMismatchException">The shapes do not broadcast together.</exception>
    public static Tensor Zip(Tensor a, Tensor b, string op, SpanZip<float> f32, SpanZip<double> f64)
    {
        RequireSameType(a, b, op);
        if (Shapes.SameShape(a.ShapeArray, b.ShapeArray))
        {
            var same = Tensor.Empty(a.ShapeArray, a.DType);
            if (a.DType == DType.Float32) Elementwise.Zip(a.Float32Data, b.Float32Data, same.Float32Data, f32);
            else Elementwise.Zip(a.Float64Data, b.Float64Data, same.Float64Data, f64);
            return same;
        }
        var shape = Shapes.Broadcast(a.ShapeArray, b.ShapeArray, op);
        var y = Tensor.Empty(shape, a.DType);
        var aStrides = Shapes.BroadcastStrides(a.ShapeArray, shape);
        var bStrides = Shapes.BroadcastStrides(b.ShapeArray, shape);
        if (a.DType == DType.Float32) Elementwise.Broadcast(a.Float32Data, aStrides, b.Float32Data, bStrides, y.Float32Data, shape, f32);
        else Elementwise.Broadcast(a.Float64Data, aStrides, b.Float64Data, bStrides, y.Float64Data, shape, f64);
        return y;
    }

    /// <summary>A copy of <paramref name="x"/> expanded to <paramref name="shape"/> (which it must broadcast to).</summary>
    public static Tensor BroadcastTo(Tensor x, int[] shape)
    {
        var y = Tensor.Empty(shape, x.DType);
        var strides = Shapes.BroadcastStrides(x.ShapeArray, shape);
        switch (x.DType)
        {
            case DType.Float32: Elementwise.BroadcastCopy(x.Float32Data, strides, y.Float32Data, shape); break;
            case DType.Float64: Elementwise.BroadcastCopy(x.Float64Data, strides, y.Float64Data, shape); break;
            default: Elementwise.BroadcastCopy(x.Int32Data, strides, y.Int32Data, shape); break;
        }
        return y;
    }

    /// <summary>target += source, same shape and type (gradient accumulation into a leaf).</summary>
    /// <exception cref="ShapeMismatchException">The shapes differ.</exception>
    /// <exception cref="ArgumentException">The element types differ.</exception>
    public static void AddInPlace(Tensor target, Tensor source)
    {
        if (!Shapes.SameShape(target.ShapeArray, source.ShapeArray))
            throw new ShapeMismatchException($"Grad accumulation: the existing gradient has shape {Shapes.Format(target.ShapeArray)} but the new one has shape {Shapes.Format(source.ShapeArray)}.");
        RequireSameType(target, source, "Grad accumulation");
        if (target.DType == DType.Float32) Elementwise.Zip(target.Float32Data, source.Float32Data, target.Float32Data, TensorPrimitives.Add);
        else Elementwise.Zip(target.Float64Data, source.Float64Data, target.Float64Data, TensorPrimitives.Add);
    }

    /// <summary>Throws when <paramref name="a"/> and <paramref name="b"/> have different element types, naming both and the conversion.</summary>
    /// <exception cref="ArgumentException">The element types differ.</exception>
    public static void RequireSameType(Tensor a, Tensor b, string op)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"{op}: element types differ ({a.DType} and {b.DType}); convert one with To(DType.{a.DType}) or To(DType.{b.DType}).");
    }
}
