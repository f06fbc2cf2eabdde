using Nabla.Losses;

namespace Nabla.Tests.Losses;

/// <summary>
/// The L2-penalised loss: its value, and that its minimiser is ridge regression's closed form (the
/// normal equations (XcᵀXc + αI)w = Xcᵀyc on centred data), which fixes the meaning of the strength.
/// </summary>
public sealed class L2PenalizedTests
{
    private const int Rows = 40, Features = 3;
    private const double Alpha = 2.5;

    [Fact]
    public void Value_IsTheInnerLossPlusStrengthTimesTheSquaredWeights()
    {
        var input = Tensor.FromArray(new[] { 1.0, 2.0, 3.0 }, 3, 1);
        var target = Tensor.FromArray(new[] { 1.5, 2.0, 2.0 }, 3, 1);
        var w1 = Tensor.FromArray(new[] { 1.0, -2.0 });
        var w2 = Tensor.FromArray(new[] { 3.0 }, 1, 1);

        double value = new L2Penalized(new MseLoss(), [w1, w2], 0.1).Forward(input, target).Item();

        // MSE (0.25 + 0 + 1) / 3, plus 0.1 · (1 + 4 + 9).
        Assert.Equal(1.25 / 3 + 1.4, value, 12);
    }

    [Fact]
    public void PerSample_DividesThePenaltyByTheBatchsSamples_AsScikitLearnsMlp()
    {
        var input = Tensor.FromArray(new[] { 1.0, 2.0, 3.0, 4.0 }, 4, 1).RequiresGradient();
        var target = Tensor.FromArray(new[] { 1.5, 2.0, 2.0, 4.0 }, 4, 1);
        var w = Tensor.FromArray(new[] { 1.0, -2.0, 0.5 }).RequiresGradient();

        var loss = new L2Penalized(new MseLoss(), [w], 0.3, perSample: true).Forward(input, target);
        loss.Backward();

        // MSE (0.25 + 0 + 1 + 0) / 4, plus scikit-learn's (α/2)·Σw²/n with α/2 = 0.3, n = 4; gradient α/n·w.
        Assert.Equal(1.25 / 4 + 0.3 * 5.25 / 4, loss.Item(), 14);
        Assert.Equal([0.15, -0.3, 0.075], w.Grad!.ToDoubleArray().Select(g => Math.Round(g, 14)));
    }

    [Fact]
    public void ThePenaltysGradient_AddsIntoTheWeightsGrad_AndHasASecondDerivative()
    {
        var w = Tensor.FromArray(new[] { 1.0, -2.0 }, 2, 1).RequiresGradient();
        var input = Tensor.FromArray(new[] { 0.5, 1.5 }, 1, 2);
        var target = Tensor.FromArray(new[] { 1.0 }, 1, 1);
        var penalized = new L2Penalized(new MseLoss(), [w], 0.25);
        penalized.Forward(input.MatMul(w), target).Backward();
        // d/dw: 2·(x·w − y)·x + 2·0.25·w, with x·w − y = −3.5.
        Assert.Equal([-3.5 + 0.5, -10.5 - 1.0], w.Grad!.ToDoubleArray());

        var penalty = new L2Penalized(new MseLoss(), [w], 0.25).Forward(target, target);
        var first = Nabla.Autograd.Grad([penalty], [w], createGraph: true)[0]!;
        var second = Nabla.Autograd.Grad([first.Sum()], [w])[0]!;
        Assert.Equal([0.5, 0.5], second.ToDoubleArray());
    }

    [Fact]
    public void MeanSquaredErrorWithStrengthAlphaOverN_IsMinimisedByRidgesClosedForm()
    {
        var (x, y) = Data();
        var (weights, intercept) = RidgeClosedForm(x, y, Alpha);

        var (gradW, gradB) = Gradients(x, y, weights, intercept, Alpha / Rows);
        Assert.All(gradW, g => Assert.InRange(Math.Abs(g), 0, 1e-10));
        Assert.InRange(Math.Abs(gradB), 0, 1e-10);

        // Ordinary least squares (no penalty) is not that minimiser, so the penalty did the work.
        var (olsW, olsB) = RidgeClosedForm(x, y, 0);
        var (gradAtOls, _) = Gradients(x, y, olsW, olsB, Alpha / Rows);
        Assert.Contains(gradAtOls, g => Math.Abs(g) > 1e-3);
    }

    [Fact]
    public void TheBiasIsNotPenalised_OnlyTheTensorsGiven()
    {
        var (x, y) = Data();
        var (weights, intercept) = RidgeClosedForm(x, y, Alpha);

        // Moving the intercept away from the centred optimum changes the gradient by the data term alone: 2·Δb.
        var (_, gradB) = Gradients(x, y, weights, intercept + 0.5, Alpha / Rows);

        Assert.Equal(1.0, gradB, 10);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Strength_MustBeFiniteAndNotNegative(double strength)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new L2Penalized(new MseLoss(), [Tensor.Zeros([2])], strength));
        Assert.Contains("strength", error.Message);
    }

    [Fact]
    public void AnUnreducedInnerLoss_OrNoWeights_AreRefused()
    {
        Assert.Contains("Reduction.None", Assert.Throws<ArgumentException>(() => new L2Penalized(new MseLoss(Reduction.None), [Tensor.Zeros([2])], 1)).Message);
        Assert.Contains("no weights", Assert.Throws<ArgumentException>(() => new L2Penalized(new MseLoss(), [], 1)).Message);
    }

    private static (double[] GradW, double GradB) Gradients(double[,] x, double[] y, double[] weights, double intercept, double strength)
    {
        var w = Tensor.FromArray(weights, Features, 1).RequiresGradient();
        var b = Tensor.FromArray(new[] { intercept }).RequiresGradient();
        var input = Tensor.FromArray(Flatten(x), Rows, Features).MatMul(w) + b;
        var loss = new L2Penalized(new MseLoss(), [w], strength).Forward(input, Tensor.FromArray(y, Rows, 1));
        loss.Backward();
        return (w.Grad!.ToArray<double>(), b.Grad!.ToArray<double>()[0]);
    }

    private static (double[,] X, double[] Y) Data()
    {
        var generator = new Generator(11);
        var x = new double[Rows, Features];
        var y = new double[Rows];
        var noise = Tensor.Randn([Rows, Features + 1], generator, DType.Float64).ToArray<double>();
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Features; j++) x[i, j] = noise[i * (Features + 1) + j] * (j + 1);
            y[i] = 3 + 2 * x[i, 0] - x[i, 1] + 0.5 * x[i, 2] + noise[i * (Features + 1) + Features];
        }
        return (x, y);
    }

    /// <summary>scikit-learn's Ridge with an intercept: centre X and y, solve (XcᵀXc + αI)w = Xcᵀyc, then b = ȳ − x̄·w.</summary>
    private static (double[] Weights, double Intercept) RidgeClosedForm(double[,] x, double[] y, double alpha)
    {
        var mean = new double[Features];
        for (int j = 0; j < Features; j++)
            for (int i = 0; i < Rows; i++) mean[j] += x[i, j] / Rows;
        double yMean = y.Average();
        var system = new double[Features, Features + 1];
        for (int r = 0; r < Features; r++)
        {
            for (int c = 0; c < Features; c++)
            {
                for (int i = 0; i < Rows; i++) system[r, c] += (x[i, r] - mean[r]) * (x[i, c] - mean[c]);
                if (r == c) system[r, c] += alpha;
            }
            for (int i = 0; i < Rows; i++) system[r, Features] += (x[i, r] - mean[r]) * (y[i] - yMean);
        }
        var w = SolveGaussian(system);
        return (w, yMean - Enumerable.Range(0, Features).Sum(j => mean[j] * w[j]));
    }

    /// <summary>Gaussian elimination with partial pivoting on the augmented matrix [A | b].</summary>
    private static double[] SolveGaussian(double[,] m)
    {
        int n = m.GetLength(0);
        for (int k = 0; k < n; k++)
        {
            int pivot = Enumerable.Range(k, n - k).MaxBy(r => Math.Abs(m[r, k]));
            for (int c = 0; c <= n; c++) (m[k, c], m[pivot, c]) = (m[pivot, c], m[k, c]);
            for (int r = k + 1; r < n; r++)
            {
                double factor = m[r, k] / m[k, k];
                for (int c = k; c <= n; c++) m[r, c] -= factor * m[k, c];
            }
        }
        var solution = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = m[r, n];
            for (int c = r + 1; c < n; c++) sum -= m[r, c] * solution[c];
            solution[r] = sum / m[r, r];
        }
        return solution;
    }

    private static double[] Flatten(double[,] x) => [.. x.Cast<double>()];
}
