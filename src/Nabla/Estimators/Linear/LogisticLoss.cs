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
/// <para>
/// Two classes: one row of weights, ℓ = log(1 + e^z) − y·z with y ∈ {0, 1}. More classes: one row
/// a class, ℓ = log Σₖ e^{zₖ} − z_y (softmax cross-entropy). The parameters are one flat vector,
/// W (rows × F, row-major) then b (rows) when an intercept is fitted. The gradient is
/// ∇W = Gᵀ·X + λW and ∇b = Σᵢ Gᵢ, with G = s ⊙ (p − onehot(y)) the per-sample score gradient.
/// </para>
/// <para>
/// One pass over X per evaluation: a block of <see cref="BlockRows"/> samples is scored
/// (<see cref="NarrowGemm.MultiplyPanel"/> against Wᵀ), its scores become its G, and its share of
/// Gᵀ·X is added (<see cref="NarrowGemm.AddTransposedProduct"/>) while the block is still in L2.
/// The samples are cut into a fixed number of groups, each summing its blocks in order into its
/// own loss and gradient; the groups run on the kernels' threads and are added in group order,
/// so the result does not depend on the thread count.
/// </para>
/// </remarks>
internal sealed class LogisticLoss
{
    /// <summary>Samples scored and differentiated together: 32 rows of 784 Float64 pixels (200 KB) stay in L2 between the two products.</summary>
    private const int BlockRows = 32;

    /// <summary>One group per this many samples, up to <see cref="MaxGroups"/>: enough work to be worth handing to a thread.</summary>
    private const int GroupRows = 256;

    /// <summary>The most groups: each holds a gradient of its own, added up once an evaluation.</summary>
    private const int MaxGroups = 16;

    /// <summary>At most this many values in all the groups' gradients (32 MB), whatever the number of features.</summary>
    private const int GroupGradientBudget = 1 << 22;

    private readonly DesignMatrix _x;
    private readonly int[] _y;
    private readonly double[] _sampleWeights;
    private readonly double _l2;

    /// <summary>Wᵀ, F × <see cref="_width"/>, zero beyond the <see cref="Rows"/> real columns.</summary>
    private readonly double[] _panel;

    /// <summary>Rows rounded up to whole vectors: the row stride of the panel and of a block's scores.</summary>
    private readonly int _width;

    private readonly double[] _intercept;
    private readonly Group[] _groups;
    private readonly Action<int> _evaluateGroup;

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
        _width = NarrowGemm.PaddedWidth(Rows);
        _panel = new double[x.Columns * _width];
        _intercept = new double[Rows];
        int gradientLength = Rows * x.Columns + Rows;
        int groupCount = Math.Clamp((x.Rows + GroupRows - 1) / GroupRows, 1, Math.Clamp(GroupGradientBudget / gradientLength, 1, MaxGroups));
        _groups = new Group[groupCount];
        for (int g = 0; g < groupCount; g++)
            _groups[g] = new Group((int)((long)x.Rows * g / groupCount), (int)((long)x.Rows * (g + 1) / groupCount), BlockRows * _width, gradientLength);
        _evaluateGroup = EvaluateGroup;
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
        int f = _x.Columns, rows = Rows, weightCount = rows * f;
        var weights = parameters[..weightCount];
        for (int k = 0; k < rows; k++)
            for (int p = 0; p < f; p++) _panel[p * _width + k] = weights[k * f + p];
        // Without an intercept _intercept stays zero, and adding it changes no score.
        if (FitIntercept) parameters.Slice(weightCount, rows).CopyTo(_intercept);

        long workPerGroup = 2L * (_x.Rows / _groups.Length + 1) * f * rows;
        Parallelism.For(_groups.Length, workPerGroup, _evaluateGroup);

        var total = gradient.AsSpan(0, ParameterCount);
        _groups[0].Gradient.AsSpan(0, total.Length).CopyTo(total);
        double loss = _groups[0].Loss;
        for (int g = 1; g < _groups.Length; g++)
        {
            TensorPrimitives.Add(total, _groups[g].Gradient.AsSpan(0, total.Length), total);
            loss += _groups[g].Loss;
        }
        if (_l2 > 0)
        {
            loss += 0.5 * _l2 * TensorPrimitives.Dot(weights, weights);
            TensorPrimitives.MultiplyAdd(weights, _l2, total[..weightCount], total[..weightCount]);
        }
        return loss;
    }

    /// <summary>One group's loss and gradient (without the penalty), its blocks in order.</summary>
    private void EvaluateGroup(int index)
    {
        var group = _groups[index];
        int f = _x.Columns, rows = Rows, weightCount = rows * f;
        var gradient = group.Gradient.AsSpan();
        gradient.Clear();
        double loss = 0;
        for (int start = group.Start; start < group.End; start += BlockRows)
        {
            int count = Math.Min(BlockRows, group.End - start);
            var block = _x.Values.AsSpan(start * f, count * f);
            var scores = group.Scores.AsSpan(0, count * _width);
            NarrowGemm.MultiplyPanel(block, f, count, f, _panel, _width, scores);

            // Each row of scores becomes that sample's gradient with respect to its scores.
            loss += rows == 1 ? BinomialLossAndScoreGradient(scores, start, count) : MultinomialLossAndScoreGradient(group, scores, start, count);

            NarrowGemm.AddTransposedProduct(scores, _width, rows, block, f, count, f, gradient, f);
            if (FitIntercept)
            {
                var interceptGradient = gradient.Slice(weightCount, rows);
                for (int i = 0; i < count; i++) TensorPrimitives.Add(scores.Slice(i * _width, rows), interceptGradient, interceptGradient);
            }
        }
        group.Loss = loss;
    }

    private double BinomialLossAndScoreGradient(Span<double> scores, int start, int count)
    {
        double loss = 0, intercept = _intercept[0];
        for (int i = 0; i < count; i++)
        {
            double z = scores[i * _width] + intercept, s = _sampleWeights[start + i];
            int y = _y[start + i];
            // log(1 + e^z) written so that it neither overflows nor loses small values.
            double softplus = Math.Max(z, 0) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(z)));
            loss += s * (softplus - y * z);
            scores[i * _width] = s * (1 / (1 + Math.Exp(-z)) - y);
        }
        return loss;
    }

    private double MultinomialLossAndScoreGradient(Group group, Span<double> scores, int start, int count)
    {
        // Plain loops over the K scores of a row: K is small, and a library call per row costs more than the work.
        int rows = Rows;
        for (int i = 0; i < count; i++)
        {
            var z = scores.Slice(i * _width, rows);
            double max = double.NegativeInfinity;
            for (int k = 0; k < z.Length; k++)
            {
                z[k] += _intercept[k];
                max = Math.Max(max, z[k]);
            }
            (group.Max[i], group.Target[i]) = (max, z[_y[start + i]]);
            for (int k = 0; k < z.Length; k++) z[k] -= max;
        }
        // One call for the whole block: the padding columns go through it too, and are never read.
        TensorPrimitives.Exp(scores, scores);
        double loss = 0;
        for (int i = 0; i < count; i++)
        {
            var z = scores.Slice(i * _width, rows);
            double s = _sampleWeights[start + i], sum = 0;
            for (int k = 0; k < z.Length; k++) sum += z[k];
            loss += s * (group.Max[i] + Math.Log(sum) - group.Target[i]);
            double scale = s / sum;
            for (int k = 0; k < z.Length; k++) z[k] *= scale;
            z[_y[start + i]] -= s;
        }
        return loss;
    }

    /// <summary>A fixed range of samples, its scratch scores and its share of the loss and gradient.</summary>
    private sealed class Group(int start, int end, int scoreLength, int gradientLength)
    {
        public int Start { get; } = start;

        public int End { get; } = end;

        /// <summary>A block's scores, then its score gradient G, row stride <see cref="_width"/>.</summary>
        public double[] Scores { get; } = new double[scoreLength];

        /// <summary>Each block row's largest score and the score of its class, for the loss.</summary>
        public double[] Max { get; } = new double[BlockRows];

        /// <inheritdoc cref="Max"/>
        public double[] Target { get; } = new double[BlockRows];

        /// <summary>∇W (rows × F) then ∇b (rows) of the group's samples, without the penalty.</summary>
        public double[] Gradient { get; } = new double[gradientLength];

        public double Loss { get; set; }
    }
}
