using System.Numerics.Tensors;
using Nabla.Data;
using Nabla.Kernels;

namespace Nabla.Estimators;

/// <summary>
/// The objective scikit-learn's <c>LogisticRegression</c> minimises with L-BFGS, and its gradient:
/// Σᵢ sᵢ·ℓ(zᵢ, yᵢ) + ½λ‖W‖², with z = X·Wᵀ + b, sᵢ the sample weights and λ = 1/C (0 without
/// penalty); the intercepts b are not penalised.
/// </summary>
/// <remarks>
/// Two classes: one row of weights, ℓ = log(1 + e^z) − y·z with y ∈ {0, 1}. More classes: one row
/// a class, ℓ = log Σₖ e^{zₖ} − z_y (softmax cross-entropy). The parameters are one flat vector,
/// W (rows × F, row-major) then b (rows) when an intercept is fitted. Both passes over the data
/// are GEMMs: Z = X·Wᵀ, then ∇W = Gᵀ·X with G = s ⊙ (p − onehot(y)) the per-sample score gradient.
/// </remarks>
internal sealed class LogisticLoss
{
    private readonly DesignMatrix _x;
    private readonly int[] _y;
    private readonly double[] _sampleWeights;
    private readonly double _l2;
    private readonly double[] _scores;

    /// <param name="x">The samples.</param>
    /// <param name="classIndices">Each sample's class, 0 … classCount − 1.</param>
    /// <param name="classCount">K; 2 gives the one-row binomial model.</param>
    /// <param name="sampleWeights">Each sample's weight in the sum.</param>
    /// <param name="l2">λ, the strength of ½λ‖W‖².</param>
    /// <param name="fitIntercept">Whether the parameters end with the intercepts.</param>
    public LogisticLoss(DesignMatrix x, int[] classIndices, int classCount, double[] sampleWeights, double l2, bool fitIntercept)
    {
        (_x, _y, _sampleWeights, _l2, FitIntercept) = (x, classIndices, sampleWeights, l2, fitIntercept);
        Rows = classCount == 2 ? 1 : classCount;
        _scores = new double[x.Rows * Rows];
    }

    /// <summary>Rows of weights: 1 for two classes, K otherwise.</summary>
    public int Rows { get; }

    /// <summary>Whether the parameters end with one intercept a row.</summary>
    public bool FitIntercept { get; }

    /// <summary>The length of the flat parameter vector.</summary>
    public int ParameterCount => Rows * _x.Columns + (FitIntercept ? Rows : 0);

    /// <summary>The objective at <paramref name="parameters"/>; writes its gradient to <paramref name="gradient"/>.</summary>
    public double Evaluate(ReadOnlySpan<double> parameters, double[] gradient)
    {
        int n = _x.Rows, f = _x.Columns, rows = Rows;
        var weights = parameters[..(rows * f)].ToArray();
        Gemm.Multiply(false, true, n, rows, f, _x.Values, 0, weights, 0, _scores, 0, accumulate: false);
        if (FitIntercept)
        {
            var intercept = parameters.Slice(rows * f, rows);
            for (int i = 0; i < n; i++) TensorPrimitives.Add(_scores.AsSpan(i * rows, rows), intercept, _scores.AsSpan(i * rows, rows));
        }

        // Each row of scores becomes that sample's gradient with respect to its scores.
        double loss = rows == 1 ? BinomialLossAndScoreGradient() : MultinomialLossAndScoreGradient();

        Gemm.Multiply(true, false, rows, f, n, _scores, 0, _x.Values, 0, gradient, 0, accumulate: false);
        if (FitIntercept)
        {
            var interceptGradient = gradient.AsSpan(rows * f, rows);
            interceptGradient.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(_scores.AsSpan(i * rows, rows), interceptGradient, interceptGradient);
        }
        if (_l2 > 0)
        {
            loss += 0.5 * _l2 * TensorPrimitives.Dot<double>(weights, weights);
            TensorPrimitives.MultiplyAdd(weights, _l2, gradient.AsSpan(0, rows * f), gradient.AsSpan(0, rows * f));
        }
        return loss;
    }

    private double BinomialLossAndScoreGradient()
    {
        double loss = 0;
        for (int i = 0; i < _scores.Length; i++)
        {
            double z = _scores[i], s = _sampleWeights[i];
            int y = _y[i];
            // log(1 + e^z) written so that it neither overflows nor loses small values.
            double softplus = Math.Max(z, 0) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(z)));
            loss += s * (softplus - y * z);
            _scores[i] = s * (1 / (1 + Math.Exp(-z)) - y);
        }
        return loss;
    }

    private double MultinomialLossAndScoreGradient()
    {
        int rows = Rows;
        double loss = 0;
        for (int i = 0; i < _x.Rows; i++)
        {
            var z = _scores.AsSpan(i * rows, rows);
            double s = _sampleWeights[i];
            double max = TensorPrimitives.Max<double>(z);
            double target = z[_y[i]];
            TensorPrimitives.Subtract(z, max, z);
            TensorPrimitives.Exp(z, z);
            double sum = TensorPrimitives.Sum<double>(z);
            loss += s * (max + Math.Log(sum) - target);
            TensorPrimitives.Multiply(z, s / sum, z);
            z[_y[i]] -= s;
        }
        return loss;
    }
}
