using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

/// <summary>
/// <see cref="TaylorSeries"/> on the series t (the variable at 0) and 1 + t, against the textbook
/// Maclaurin series of each operation, to order 7.
/// </summary>
public class TaylorSeriesTests
{
    private const int Length = 8;

    private static readonly double[] T = [0, 1, 0, 0, 0, 0, 0, 0];
    private static readonly double[] OnePlusT = [1, 1, 0, 0, 0, 0, 0, 0];

    public static TheoryData<MathFunction, double[]> Maclaurin() => new()
    {
        { MathFunction.Exp, [1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040] },
        { MathFunction.Sin, [0, 1, 0, -1.0 / 6, 0, 1.0 / 120, 0, -1.0 / 5040] },
        { MathFunction.Cos, [1, 0, -1.0 / 2, 0, 1.0 / 24, 0, -1.0 / 720, 0] },
        { MathFunction.Sinh, [0, 1, 0, 1.0 / 6, 0, 1.0 / 120, 0, 1.0 / 5040] },
        { MathFunction.Cosh, [1, 0, 1.0 / 2, 0, 1.0 / 24, 0, 1.0 / 720, 0] },
        { MathFunction.Tan, [0, 1, 0, 1.0 / 3, 0, 2.0 / 15, 0, 17.0 / 315] },
        { MathFunction.Tanh, [0, 1, 0, -1.0 / 3, 0, 2.0 / 15, 0, -17.0 / 315] },
        { MathFunction.Sigmoid, [0.5, 1.0 / 4, 0, -1.0 / 48, 0, 1.0 / 480, 0, -17.0 / 80640] },
        { MathFunction.Asin, [0, 1, 0, 1.0 / 6, 0, 3.0 / 40, 0, 5.0 / 112] },
        { MathFunction.Acos, [Math.PI / 2, -1, 0, -1.0 / 6, 0, -3.0 / 40, 0, -5.0 / 112] },
        { MathFunction.Atan, [0, 1, 0, -1.0 / 3, 0, 1.0 / 5, 0, -1.0 / 7] },
        { MathFunction.Softplus, [Math.Log(2), 1.0 / 2, 1.0 / 8, 0, -1.0 / 192, 0, 1.0 / 2880, 0] },
        { MathFunction.Log1p, [0, 1, -1.0 / 2, 1.0 / 3, -1.0 / 4, 1.0 / 5, -1.0 / 6, 1.0 / 7] },
        { MathFunction.Erf, [0, 2 / Math.Sqrt(Math.PI), 0, -2 / (3 * Math.Sqrt(Math.PI)), 0, 1 / (5 * Math.Sqrt(Math.PI)), 0, -1 / (21 * Math.Sqrt(Math.PI))] },
        // At their kink relu and the step take the average of the two sides: relu(t) has slope ½ at 0.
        { MathFunction.Relu, [0, 1.0 / 2, 0, 0, 0, 0, 0, 0] },
        { MathFunction.Heaviside, [1.0 / 2, 0, 0, 0, 0, 0, 0, 0] },
    };

    [Fact]
    public void MaxAndMin_FollowTheLargerOrSmaller_AndAverageAtATie()
    {
        double[] twoPlusT = [2, 1, 0, 0, 0, 0, 0, 0], oneMinusTSquared = [1, 0, -1, 0, 0, 0, 0, 0];
        AssertSeries(twoPlusT, TaylorSeries.Apply(MathFunction.Max, twoPlusT, oneMinusTSquared));
        AssertSeries(oneMinusTSquared, TaylorSeries.Apply(MathFunction.Min, twoPlusT, oneMinusTSquared));
        // max(t, 2t) and min(t, 2t) at t = 0: the slopes 1 and 2 averaged, as heaviside(0) = ½ gives symbolically.
        double[] twoT = [0, 2, 0, 0, 0, 0, 0, 0];
        AssertSeries([0, 1.5, 0, 0, 0, 0, 0, 0], TaylorSeries.Apply(MathFunction.Max, T, twoT));
        AssertSeries([0, 1.5, 0, 0, 0, 0, 0, 0], TaylorSeries.Apply(MathFunction.Min, T, twoT));
    }

    [Theory]
    [MemberData(nameof(Maclaurin))]
    public void Functions_OfT(MathFunction f, double[] expected) => AssertSeries(expected, TaylorSeries.Apply(f, T));

    [Fact]
    public void Functions_OfOnePlusT()
    {
        // log(1 + t) = Σ (−1)^(k+1) tᵏ/k; √(1 + t) = Σ C(½, k) tᵏ.
        AssertSeries([0, 1, -1.0 / 2, 1.0 / 3, -1.0 / 4, 1.0 / 5, -1.0 / 6, 1.0 / 7], TaylorSeries.Apply(MathFunction.Log, OnePlusT));
        AssertSeries([1, 1.0 / 2, -1.0 / 8, 1.0 / 16, -5.0 / 128, 7.0 / 256, -21.0 / 1024, 33.0 / 2048], TaylorSeries.Apply(MathFunction.Sqrt, OnePlusT));
        // |1 + t| = 1 + t near t = 0, and |−1 − t| too.
        AssertSeries(OnePlusT, TaylorSeries.Apply(MathFunction.Abs, OnePlusT));
        AssertSeries(OnePlusT, TaylorSeries.Apply(MathFunction.Abs, [-1, -1, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Arithmetic()
    {
        // (1 + t)² = 1 + 2t + t²; 1/(1 − t) = Σ tᵏ; (1 + t)⁻² = Σ (−1)ᵏ (k + 1) tᵏ.
        AssertSeries([1, 2, 1, 0, 0, 0, 0, 0], TaylorSeries.Multiply(OnePlusT, OnePlusT));
        AssertSeries([1, 1, 1, 1, 1, 1, 1, 1], TaylorSeries.Reciprocal([1, -1, 0, 0, 0, 0, 0, 0]));
        AssertSeries([1, -2, 3, -4, 5, -6, 7, -8], TaylorSeries.Power(OnePlusT, -2));
        AssertSeries([2, 1, 0, 0, 0, 0, 0, 0], TaylorSeries.Add(OnePlusT, TaylorSeries.Constant(1, Length)));
        // (1 + t)^1.5 = Σ C(1.5, k) tᵏ, by the recurrence for exponents that are not whole.
        AssertSeries([1, 1.5, 3.0 / 8, -1.0 / 16, 3.0 / 128, -3.0 / 256, 7.0 / 1024, -9.0 / 2048], TaylorSeries.Power(OnePlusT, 1.5));
        // t³ at 0 exactly, by repeated squaring.
        AssertSeries([0, 0, 0, 1, 0, 0, 0, 0], TaylorSeries.Power(T, 3));
    }

    [Fact]
    public void GeneralPower()
    {
        // (1 + t)^(1 + t) = e^((1 + t) ln(1 + t)) = 1 + t + t² + t³/2 + t⁴/3 + t⁵/12 + 3t⁶/40 − t⁷/120
        // (SymPy: series((1 + t)**(1 + t), t, 0, 8)); a constant exponent series is a number exponent.
        AssertSeries([1, 1, 1, 1.0 / 2, 1.0 / 3, 1.0 / 12, 3.0 / 40, -1.0 / 120], TaylorSeries.Power(OnePlusT, OnePlusT));
        AssertSeries(TaylorSeries.Power(OnePlusT, 2.5), TaylorSeries.Power(OnePlusT, TaylorSeries.Constant(2.5, Length)));
    }

    private static void AssertSeries(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= 1e-15 * Math.Max(1, Math.Abs(expected[k])),
                $"coefficient {k}: expected {expected[k]:R}, got {actual[k]:R}");
    }
}
