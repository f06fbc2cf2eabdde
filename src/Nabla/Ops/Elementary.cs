using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// Elementary functions, each forward above its derivative.
public sealed partial class Tensor
{
    private Tensor Unary(string op, SpanMap<float> f32, SpanMap<double> f64, BackwardFunction backward)
    {
        RequireFloatingPoint(op);
        var y = ElementwiseDispatch.Map(this, f32, f64);
        return Graph.Record(op, [this], y, backward);
    }

    /// <summary>eˣ. Derivative: eˣ (the saved output).</summary>
    public Tensor Exp() => Unary(nameof(Exp), TensorPrimitives.Exp, TensorPrimitives.Exp, static (g, n) => [g * n.Output!]);

    /// <summary>Natural logarithm. Derivative: 1/x.</summary>
    public Tensor Log() => Unary(nameof(Log), TensorPrimitives.Log, TensorPrimitives.Log, static (g, n) => [g / n.Inputs[0]]);

    /// <summary>√x. Derivative: 1/(2√x).</summary>
    public Tensor Sqrt() => Unary(nameof(Sqrt), TensorPrimitives.Sqrt, TensorPrimitives.Sqrt, static (g, n) => [g / n.Inputs[0].Sqrt() * 0.5]);

    /// <summary>|x|. Derivative: sign(x), taken as 0 at 0 as PyTorch does.</summary>
    public Tensor Abs() => Unary(nameof(Abs), TensorPrimitives.Abs, TensorPrimitives.Abs, static (g, n) => [g * MaskDispatch.Sign(n.Inputs[0])]);

    /// <summary>sin x. Derivative: cos x.</summary>
    public Tensor Sin() => Unary(nameof(Sin), TensorPrimitives.Sin, TensorPrimitives.Sin, static (g, n) => [g * n.Inputs[0].Cos()]);

    /// <summary>cos x. Derivative: −sin x.</summary>
    public Tensor Cos() => Unary(nameof(Cos), TensorPrimitives.Cos, TensorPrimitives.Cos, static (g, n) => [-(g * n.Inputs[0].Sin())]);

    /// <summary>tanh x. Derivative: 1 − tanh²x (from the saved output).</summary>
    public Tensor Tanh() => Unary(nameof(Tanh), TensorPrimitives.Tanh, TensorPrimitives.Tanh,
        static (g, n) => [g * (1.0 - n.Output! * n.Output!)]);

    /// <summary>The error function erf x = 2/√π ∫₀ˣ e^(−t²) dt. Derivative: 2/√π · e^(−x²).</summary>
    public Tensor Erf() => Unary(nameof(Erf),
        static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = (float)SpecialFunctions.Erf(x[i]); },
        static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = SpecialFunctions.Erf(x[i]); },
        static (g, n) => [g * (-(n.Inputs[0] * n.Inputs[0])).Exp() * (2 / Math.Sqrt(Math.PI))]);

    /// <summary>xᵖ for a scalar exponent. Derivative: p·xᵖ⁻¹ (0 when p = 0).</summary>
    public Tensor Pow(double exponent)
    {
        RequireFloatingPoint(nameof(Pow));
        var y = exponent == 2
            ? ElementwiseDispatch.Map(this, static (x, y) => TensorPrimitives.Multiply(x, x, y), static (x, y) => TensorPrimitives.Multiply(x, x, y))
            : ElementwiseDispatch.MapScalar(this, exponent, TensorPrimitives.Pow, TensorPrimitives.Pow);
        return Graph.Record(nameof(Pow), [this], y, static (g, n, p) =>
        {
            var x = n.Inputs[0];
            if (p == 0) return [g * 0.0];
            return [p == 1 ? g : g * x.Pow(p - 1) * p];
        }, exponent);
    }

    /// <summary>x² elementwise, as <c>torch.square</c>: <c>Pow(2)</c>, whose derivative 2x it shares.</summary>
    public Tensor Square()
    {
        RequireFloatingPoint(nameof(Square));
        return Pow(2);
    }

    /// <summary>
    /// aᵇ elementwise with broadcasting. Derivatives: b·aᵇ⁻¹ for a, and aᵇ·ln a for b
    /// (taken as 0 where a = 0 and b ≥ 0, as PyTorch does, instead of 0·(−∞)).
    /// </summary>
    public static Tensor Pow(Tensor a, Tensor b)
    {
        CheckFloat(a, b, nameof(Pow));
        var y = ElementwiseDispatch.Zip(a, b, nameof(Pow), TensorPrimitives.Pow, TensorPrimitives.Pow);
        return Graph.Record(nameof(Pow), [a, b], y, static (g, n) =>
        {
            var (a, b) = (n.Inputs[0], n.Inputs[1]);
            var ga = a.RequiresGrad ? (g * b * Pow(a, b - 1.0)).SumTo(a._shape) : null;
            // ln a with a = 0 replaced by 1, so the product is 0 there rather than NaN.
            var gb = b.RequiresGrad ? (g * n.Output! * Where(MaskDispatch.Equal(a, ZerosLike(a)), OnesLike(a), a).Log()).SumTo(b._shape) : null;
            return [ga, gb];
        });
    }
}
