using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Tests.Estimators;

/// <summary>
/// <see cref="LogisticLoss"/> against the objective written out term by term (log-sum-exp per
/// sample, its gradient p − onehot(y), the penalty), on enough samples to be cut into several
/// groups and blocks with a partial last block, and an odd number of features.
/// </summary>
[Collection("Parallelism")]
public class LogisticLossTests
{
    private const int Samples = 1000, Features = 37;

    [Theory]
    [InlineData(2, true, 1.0)]
    [InlineData(2, false, 0.0)]
    [InlineData(3, true, 0.5)]
    [InlineData(10, true, 1.0)]
    [InlineData(10, false, 0.0)]
    [InlineData(13, true, 2.0)]
    public void Evaluate_MatchesTheObjectiveWrittenOut(int classes, bool fitIntercept, double l2)
    {
        var (x, y, weights) = Problem(classes, seed: classes * 10 + (fitIntercept ? 1 : 0));
        var loss = new LogisticLoss(x, y, classes, weights, l2, fitIntercept);
        var parameters = Parameters(loss.ParameterCount, seed: classes);
        var gradient = new double[loss.ParameterCount];

        double value = loss.Evaluate(parameters, gradient);

        var (expectedValue, expectedGradient) = Reference(x, y, classes, weights, l2, fitIntercept, parameters);
        Assert.True(Math.Abs(value - expectedValue) <= 1e-11 * Math.Abs(expectedValue), $"loss {value:R}, expected {expectedValue:R}");
        for (int i = 0; i < gradient.Length; i++)
            Assert.True(Math.Abs(gradient[i] - expectedGradient[i]) <= 1e-10 * Math.Max(1, Math.Abs(expectedGradient[i])),
                $"gradient[{i}]: {gradient[i]:R}, expected {expectedGradient[i]:R}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void Evaluate_IsBitIdenticalAtOneAndTwoThreads(int classes)
    {
        // 200 features: enough work in each group for the groups to go to both threads.
        const int features = 200;
        var (x, y, weights) = Problem(classes, seed: 99, features);
        var parameters = Parameters(classes == 2 ? features + 1 : classes * (features + 1), seed: 7);
        double[] Run()
        {
            var loss = new LogisticLoss(x, y, classes, weights, 1.0, fitIntercept: true);
            var gradient = new double[loss.ParameterCount];
            double value = loss.Evaluate(parameters, gradient);
            return [value, .. gradient];
        }

        var single = ParallelismCollection.AtThreads(1, Run);
        var dual = ParallelismCollection.AtThreads(2, Run);
        Assert.Equal(single.Select(BitConverter.DoubleToInt64Bits), dual.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void Evaluate_CalledAgain_GivesTheSameBits()
    {
        var (x, y, weights) = Problem(10, seed: 3);
        var loss = new LogisticLoss(x, y, 10, weights, 1.0, fitIntercept: true);
        var first = new double[loss.ParameterCount];
        var second = new double[loss.ParameterCount];
        double a = loss.Evaluate(Parameters(loss.ParameterCount, seed: 1), first);
        loss.Evaluate(Parameters(loss.ParameterCount, seed: 2), second);
        double b = loss.Evaluate(Parameters(loss.ParameterCount, seed: 1), second);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a), BitConverter.DoubleToInt64Bits(b));
        Assert.Equal(first, second);
    }

    /// <summary>Samples with features in [−2, 2], classes drawn at random and sample weights in [0.5, 1.5].</summary>
    private static (DesignMatrix X, int[] Y, double[] Weights) Problem(int classes, int seed, int features = Features)
    {
        var random = new Random(seed);
        var values = new double[Samples * features];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() * 4 - 2;
        var y = new int[Samples];
        var weights = new double[Samples];
        for (int i = 0; i < Samples; i++)
        {
            y[i] = random.Next(classes);
            weights[i] = 0.5 + random.NextDouble();
        }
        return (new DesignMatrix(values, Samples, features), y, weights);
    }

    private static double[] Parameters(int count, int seed)
    {
        var random = new Random(seed);
        var parameters = new double[count];
        for (int i = 0; i < count; i++) parameters[i] = random.NextDouble() - 0.5;
        return parameters;
    }

    /// <summary>
    /// Σᵢ sᵢ·ℓᵢ + ½λ‖W‖² and its gradient, sample by sample: two classes as one row of weights with
    /// ℓ = log(1 + e^z) − y·z; more classes with ℓ = log Σₖ e^{zₖ} − z_y.
    /// </summary>
    private static (double Value, double[] Gradient) Reference(DesignMatrix x, int[] y, int classes, double[] weights, double l2, bool fitIntercept, double[] parameters)
    {
        int rows = classes == 2 ? 1 : classes, f = x.Columns;
        var gradient = new double[parameters.Length];
        double value = 0;
        var z = new double[rows];
        for (int i = 0; i < x.Rows; i++)
        {
            for (int k = 0; k < rows; k++)
            {
                z[k] = fitIntercept ? parameters[rows * f + k] : 0;
                for (int p = 0; p < f; p++) z[k] += x.Values[i * f + p] * parameters[k * f + p];
            }
            var dz = new double[rows];
            if (rows == 1)
            {
                value += weights[i] * (Math.Log(1 + Math.Exp(z[0])) - y[i] * z[0]);
                dz[0] = weights[i] * (1 / (1 + Math.Exp(-z[0])) - y[i]);
            }
            else
            {
                double sum = z.Sum(Math.Exp);
                value += weights[i] * (Math.Log(sum) - z[y[i]]);
                for (int k = 0; k < rows; k++) dz[k] = weights[i] * (Math.Exp(z[k]) / sum - (k == y[i] ? 1 : 0));
            }
            for (int k = 0; k < rows; k++)
            {
                for (int p = 0; p < f; p++) gradient[k * f + p] += dz[k] * x.Values[i * f + p];
                if (fitIntercept) gradient[rows * f + k] += dz[k];
            }
        }
        for (int j = 0; j < rows * f; j++)
        {
            value += 0.5 * l2 * parameters[j] * parameters[j];
            gradient[j] += l2 * parameters[j];
        }
        return (value, gradient);
    }
}
