using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// The four arithmetic operations and negation, between tensors (with broadcasting) and with
// scalars on either side. Each forward sits above its derivative; a gradient reaching a
// broadcast operand is summed back to that operand's shape.
// Every op in this folder joins the graph the same way: Graph.Record(op, inputs, output, backward[, state])
// (Autograd/Graph.cs, whose documentation shows the pattern for a new op).
public sealed partial class Tensor
{
    /// <summary>Elementwise a + b with broadcasting. d/da = 1, d/db = 1.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        CheckFloat(a, b, nameof(Add));
        var y = ElementwiseDispatch.Zip(a, b, nameof(Add), TensorPrimitives.Add, TensorPrimitives.Add);
        return Graph.Record(nameof(Add), [a, b], y, static (g, n) => [g.SumTo(n.Inputs[0]._shape), g.SumTo(n.Inputs[1]._shape)]);
    }

    /// <summary>Elementwise a − b with broadcasting. d/da = 1, d/db = −1.</summary>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        CheckFloat(a, b, nameof(Subtract));
        var y = ElementwiseDispatch.Zip(a, b, nameof(Subtract), TensorPrimitives.Subtract, TensorPrimitives.Subtract);
        return Graph.Record(nameof(Subtract), [a, b], y, static (g, n) => [g.SumTo(n.Inputs[0]._shape), (-g).SumTo(n.Inputs[1]._shape)]);
    }

    /// <summary>Elementwise a · b with broadcasting. d/da = b, d/db = a.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        CheckFloat(a, b, nameof(Multiply));
        var y = ElementwiseDispatch.Zip(a, b, nameof(Multiply), TensorPrimitives.Multiply, TensorPrimitives.Multiply);
        return Graph.Record(nameof(Multiply), [a, b], y, static (g, n) =>
        {
            var (a, b) = (n.Inputs[0], n.Inputs[1]);
            return [a.RequiresGrad ? (g * b).SumTo(a._shape) : null, b.RequiresGrad ? (g * a).SumTo(b._shape) : null];
        });
    }

    /// <summary>Elementwise a / b with broadcasting. d/da = 1/b, d/db = −a/b² = −y/b.</summary>
    public static Tensor Divide(Tensor a, Tensor b)
    {
        CheckFloat(a, b, nameof(Divide));
        var y = ElementwiseDispatch.Zip(a, b, nameof(Divide), TensorPrimitives.Divide, TensorPrimitives.Divide);
        return Graph.Record(nameof(Divide), [a, b], y, static (g, n) =>
        {
            var (a, b) = (n.Inputs[0], n.Inputs[1]);
            var ga = a.RequiresGrad ? (g / b).SumTo(a._shape) : null;
            // −g·a/b² written from the inputs (not the saved output) so second derivatives see a.
            var gb = b.RequiresGrad ? (-(g * a) / (b * b)).SumTo(b._shape) : null;
            return [ga, gb];
        });
    }

    /// <summary>Elementwise −x. d/dx = −1.</summary>
    public Tensor Neg()
    {
        RequireFloatingPoint(nameof(Neg));
        var y = ElementwiseDispatch.Map(this, TensorPrimitives.Negate, TensorPrimitives.Negate);
        return Graph.Record(nameof(Neg), [this], y, static (g, _) => [-g]);
    }

    /// <summary>x + s for a scalar s. d/dx = 1.</summary>
    public Tensor AddScalar(double s)
    {
        RequireFloatingPoint(nameof(Add));
        var y = ElementwiseDispatch.MapScalar(this, s, TensorPrimitives.Add, TensorPrimitives.Add);
        return Graph.Record(nameof(AddScalar), [this], y, static (g, _) => [g]);
    }

    /// <summary>x · s for a scalar s. d/dx = s.</summary>
    public Tensor MultiplyScalar(double s)
    {
        RequireFloatingPoint(nameof(Multiply));
        var y = ElementwiseDispatch.MapScalar(this, s, TensorPrimitives.Multiply, TensorPrimitives.Multiply);
        return Graph.Record(nameof(MultiplyScalar), [this], y, static (g, _, s) => [g.MultiplyScalar(s)], s);
    }

    /// <summary>s − x for a scalar s. d/dx = −1.</summary>
    public Tensor ReverseSubtractScalar(double s)
    {
        RequireFloatingPoint(nameof(Subtract));
        var y = ElementwiseDispatch.MapScalar(this, s, static (x, s, y) => TensorPrimitives.Subtract(s, x, y), static (x, s, y) => TensorPrimitives.Subtract(s, x, y));
        return Graph.Record(nameof(ReverseSubtractScalar), [this], y, static (g, _) => [-g]);
    }

    /// <summary>s / x for a scalar s. d/dx = −s/x².</summary>
    public Tensor ReverseDivideScalar(double s)
    {
        RequireFloatingPoint(nameof(Divide));
        var y = ElementwiseDispatch.MapScalar(this, s, static (x, s, y) => TensorPrimitives.Divide(s, x, y), static (x, s, y) => TensorPrimitives.Divide(s, x, y));
        return Graph.Record(nameof(ReverseDivideScalar), [this], y, static (g, n, s) =>
        {
            var x = n.Inputs[0];
            return [(g / (x * x)).MultiplyScalar(-s)];
        }, s);
    }

    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Add(a, b);
    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(Tensor a, double s) => a.AddScalar(s);
    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(double s, Tensor a) => a.AddScalar(s);
    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Subtract(a, b);
    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, double s) => a.AddScalar(-s);
    /// <summary>A scalar minus every element.</summary>
    public static Tensor operator -(double s, Tensor a) => a.ReverseSubtractScalar(s);
    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Multiply(a, b);
    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, double s) => a.MultiplyScalar(s);
    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(double s, Tensor a) => a.MultiplyScalar(s);
    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Divide(a, b);
    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, double s) => a.MultiplyScalar(1.0 / s);
    /// <summary>A scalar divided by every element.</summary>
    public static Tensor operator /(double s, Tensor a) => a.ReverseDivideScalar(s);
    /// <summary>Elementwise negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    private static void CheckFloat(Tensor a, Tensor b, string op)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        a.RequireFloatingPoint(op);
        b.RequireFloatingPoint(op);
    }
}
