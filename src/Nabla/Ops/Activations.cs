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
    /// GELU in its exact (erf) form, x·Φ(x) = x/2·(1 + erf(x/√2)). Composed from primitives, so its
    /// derivative Φ(x) + x·φ(x) follows from theirs.
    /// </summary>
    public Tensor Gelu() => this * 0.5 * ((this * (1 / Math.Sqrt(2))).Erf() + 1.0);
}
