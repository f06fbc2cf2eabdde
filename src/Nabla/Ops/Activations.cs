using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// Activation functions of neural networks.
public sealed partial class Tensor
{
    /// <summary>Logistic sigmoid σ(x) = 1/(1 + e^(−x)). Derivative: σ(x)(1 − σ(x)), from the saved output.</summary>
    public Tensor Sigmoid() => Unary(nameof(Sigmoid), TensorPrimitives.Sigmoid, TensorPrimitives.Sigmoid,
        static (g, n) => [g * n.Output! * (1.0 - n.Output!)]);

    /// <summary>
    /// max(x, 0). Derivative: 1 where x &gt; 0, else 0, read from the output (y &gt; 0 exactly where x &gt; 0);
    /// a plain backward pass applies it in one fused pass, a recorded one as g · mask.
    /// </summary>
    public Tensor Relu() => Unary(nameof(Relu),
        static (x, y) => TensorPrimitives.Max(x, 0f, y), static (x, y) => TensorPrimitives.Max(x, 0d, y),
        static (g, n) => [Graph.IsBackwardRecorded ? g * MaskDispatch.Positive(n.Output!) : MaskDispatch.WherePositive(n.Output!, g)]);

    /// <summary>x where x &gt; 0, else slope·x. Derivative: 1 or slope.</summary>
    public Tensor LeakyRelu(double negativeSlope = 0.01)
    {
        RequireFloatingPoint(nameof(LeakyRelu));
        var y = ElementwiseDispatch.MapScalar(this, negativeSlope,
            static (x, s, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : s * x[i]; },
            static (x, s, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : s * x[i]; });
        return Graph.Record(nameof(LeakyRelu), [this], y, static (g, n, slope) =>
            [g * (MaskDispatch.Positive(n.Inputs[0]) * (1 - slope) + slope)], negativeSlope);
    }

    /// <summary>
    /// Softplus log(1 + eˣ), computed as max(x, 0) + log1p(e^(−|x|)) so it neither overflows nor
    /// loses tiny values; x itself above 20, as PyTorch. Derivative: σ(x) (1 above 20).
    /// </summary>
    public Tensor Softplus() => Unary(nameof(Softplus),
        static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 20 ? x[i] : (float)SoftplusOf(x[i]); },
        static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] > 20 ? x[i] : SoftplusOf(x[i]); },
        static (g, n) =>
        {
            var x = n.Inputs[0];
            return [g * Where(MaskDispatch.Between(x, double.NegativeInfinity, 20), x.Sigmoid(), OnesLike(x))];
        });

    private static double SoftplusOf(double x) => Math.Max(x, 0) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(x)));

    /// <summary>
    /// GELU in its exact (erf) form, x·Φ(x) = x/2·(1 + erf(x/√2)), in one pass. Derivative: Φ(x) + x·φ(x), also in one pass
    /// (composed from primitives when the backward pass is itself recorded, for a second derivative). Float32 takes Φ from
    /// the complementary error function to a relative error of 1.2e-7 (float's own rounding), on either side, so GELU keeps
    /// float precision also where Φ is tiny; Float64 from the library's erf to a few ulps.
    /// </summary>
    public Tensor Gelu() => Unary(nameof(Gelu),
        static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = (float)(x[i] * NormalCdfFloat(x[i])); },
        static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = x[i] * SpecialFunctions.NormalCdf(x[i]); },
        static (g, n) => [g * GeluDerivative(n.Inputs[0])]);

    private const double InverseSqrt2 = 0.70710678118654752, InverseSqrt2Pi = 0.39894228040143268;

    private static Tensor GeluDerivative(Tensor x) => Graph.IsBackwardRecorded
        ? (x * InverseSqrt2).Erf() * 0.5 + 0.5 + x * (x * x * -0.5).Exp() * InverseSqrt2Pi
        : ElementwiseDispatch.Map(x,
            static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = (float)(NormalCdfFloat(x[i]) + x[i] * InverseSqrt2Pi * Math.Exp(-0.5 * x[i] * x[i])); },
            static (x, y) => { for (int i = 0; i < x.Length; i++) y[i] = SpecialFunctions.NormalCdf(x[i]) + x[i] * InverseSqrt2Pi * Math.Exp(-0.5 * x[i] * x[i]); });

    /// <summary>Φ(x) = erfc(−x/√2)/2 from Numerical Recipes' Chebyshev fit of erfc, whose relative error is below 1.2e-7 for every argument.</summary>
    private static double NormalCdfFloat(double x)
    {
        double z = Math.Abs(x) * InverseSqrt2, t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
    }
}
