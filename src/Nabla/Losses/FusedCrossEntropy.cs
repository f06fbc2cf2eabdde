using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.Losses;

/// <summary>
/// Cross-entropy of logits [rows, C] against class indices as one op: log-softmax, the pick of each
/// target and the reduction in one pass over the logits, each row shifted by its maximum so logits
/// of ±1000 stay exact.
/// </summary>
/// <remarks>
/// <para>
/// With lse = log Σ e^x of a row, target t, class weights w (all 1 when none), S = Σ w and label
/// smoothing ε, a row's loss is (1 − ε)·w_t·(lse − x_t) + (ε/C)·(S·lse − Σ_c w_c·x_c); ignored rows
/// lose nothing. The mean divides both terms by W = Σ w_t over the rows not ignored (their number,
/// without weights), exactly as PyTorch 1.13 does.
/// </para>
/// <para>
/// Derivative of a row: (a + b·S)·softmax(x) − a·onehot(t) − b·w, where a and b are the two terms'
/// coefficients above. A plain backward pass runs it as a fused kernel; a recorded one
/// (<c>createGraph</c>) writes it with tensor ops (softmax is differentiable), so second derivatives work.
/// </para>
/// </remarks>
internal sealed class FusedCrossEntropy
{
    private readonly int[] _targets;
    private readonly Tensor? _weight;
    private readonly int _ignoreIndex;
    private readonly double _smoothing;
    private readonly Reduction _reduction;
    private readonly int _classes;
    private readonly double[] _rowMax;
    private readonly double[] _logSum;
    private double _weightSum;
    private double _targetWeightSum;

    private FusedCrossEntropy(int[] targets, Tensor? weight, int ignoreIndex, double smoothing, Reduction reduction, int classes)
    {
        (_targets, _weight, _ignoreIndex, _smoothing, _reduction, _classes) = (targets, weight, ignoreIndex, smoothing, reduction, classes);
        _rowMax = new double[targets.Length];
        _logSum = new double[targets.Length];
    }

    /// <summary>The loss of <paramref name="logits"/> [rows, C] against one class index per row; <paramref name="weight"/> is [C] in the logits' type.</summary>
    public static Tensor Apply(Tensor logits, int[] targets, Tensor? weight, int ignoreIndex, double smoothing, Reduction reduction)
    {
        var op = new FusedCrossEntropy(targets, weight, ignoreIndex, smoothing, reduction, logits.ShapeArray[1]);
        var output = reduction == Reduction.None ? Tensor.Empty([targets.Length], logits.DType) : Tensor.Empty([], logits.DType);
        if (logits.DType == DType.Float32) op.Forward<float>(logits, output);
        else op.Forward<double>(logits, output);
        return Graph.Record("CrossEntropy", [logits], output, static (g, n, op) => op.Backward(g, n), op);
    }

    private int Rows => _targets.Length;

    private bool Ignored(int row) => _targets[row] == _ignoreIndex;

    /// <summary>The target's class weight (1 without weights) as a double.</summary>
    private double TargetWeight<T>(int row) where T : unmanaged, IFloatingPointIeee754<T>
        => _weight is null ? 1 : double.CreateTruncating(_weight.Span<T>()[_targets[row]]);

    /// <summary>Rows per parallel piece: the pieces are fixed by the shape, so sums never depend on the thread count.</summary>
    private int RowsPerPiece => Math.Max(1, Elementwise.ChunkSize / Math.Max(1, _classes));

    private void ForEachPiece(Action<int, int> body)
    {
        int perPiece = RowsPerPiece;
        int pieces = (Rows + perPiece - 1) / perPiece;
        void Run(int p) => body(p * perPiece, Math.Min(Rows, (p + 1) * perPiece));
        if ((long)Rows * _classes >= Elementwise.ParallelThreshold) Parallelism.For(pieces, Run);
        else for (int p = 0; p < pieces; p++) Run(p);
    }

    private void Forward<T>(Tensor logits, Tensor output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        _weightSum = WeightSum<T>();
        int pieces = (Rows + RowsPerPiece - 1) / RowsPerPiece;
        var targetTerms = new double[pieces];
        var smoothingTerms = new double[pieces];
        ForEachPiece((first, end) =>
        {
            var x = logits.Span<T>();
            var w = _weight is null ? default : _weight.Span<T>();
            var buffer = ArrayPool<T>.Shared.Rent(_classes);
            double targetTerm = 0, smoothingTerm = 0;
            try
            {
                for (int r = first; r < end; r++)
                {
                    var row = x.Slice(r * _classes, _classes);
                    var shifted = buffer.AsSpan(0, _classes);
                    T max = TensorPrimitives.Max<T>(row);
                    TensorPrimitives.Subtract(row, max, shifted);
                    TensorPrimitives.Exp<T>(shifted, shifted);
                    _rowMax[r] = double.CreateTruncating(max);
                    _logSum[r] = Math.Log(double.CreateTruncating(TensorPrimitives.Sum<T>(shifted)));
                    double lse = _rowMax[r] + _logSum[r];
                    double rowTarget = 0, rowSmoothing = 0;
                    if (!Ignored(r))
                    {
                        rowTarget = TargetWeight<T>(r) * (lse - double.CreateTruncating(row[_targets[r]]));
                        if (_smoothing > 0)
                        {
                            double weightedLogits = double.CreateTruncating(w.IsEmpty ? TensorPrimitives.Sum<T>(row) : TensorPrimitives.Dot<T>(w, row));
                            rowSmoothing = _weightSum * lse - weightedLogits;
                        }
                    }
                    if (_reduction == Reduction.None)
                        output.Span<T>()[r] = T.CreateTruncating((1 - _smoothing) * rowTarget + _smoothing / _classes * rowSmoothing);
                    targetTerm += rowTarget;
                    smoothingTerm += rowSmoothing;
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(buffer);
            }
            targetTerms[first / RowsPerPiece] = targetTerm;
            smoothingTerms[first / RowsPerPiece] = smoothingTerm;
        });

        for (int r = 0; r < Rows; r++) if (!Ignored(r)) _targetWeightSum += TargetWeight<T>(r);
        if (_reduction == Reduction.None) return;
        double targets = targetTerms.Sum(), smoothing = smoothingTerms.Sum();
        var (targetScale, smoothingScale) = Scales();
        output.Span<T>()[0] = T.CreateTruncating(targetScale * targets + smoothingScale * smoothing);
    }

    private double WeightSum<T>() where T : unmanaged, IFloatingPointIeee754<T>
        => _weight is null ? _classes : double.CreateTruncating(TensorPrimitives.Sum<T>(_weight.Span<T>()));

    /// <summary>
    /// The factors of the target term and the smoothing term of every row: 1 − ε and ε/C, divided for
    /// the mean by the target weights' sum.
    /// </summary>
    private (double Target, double Smoothing) Scales()
    {
        double target = 1 - _smoothing, smoothing = _smoothing / _classes;
        return _reduction == Reduction.Mean ? (target / _targetWeightSum, smoothing / _targetWeightSum) : (target, smoothing);
    }

    /// <summary>The coefficients a (of the target term, with its class weight) and b (of the smoothing term) of one row.</summary>
    private (double A, double B) Coefficients(int row, double targetWeight)
    {
        if (Ignored(row)) return (0, 0);
        var (target, smoothing) = Scales();
        return (target * targetWeight, smoothing);
    }

    private Tensor?[] Backward(Tensor g, Node node)
    {
        var logits = node.Inputs[0];
        if (Graph.IsBackwardRecorded) return [RecordedGradient(g, logits)];
        var grad = Tensor.Empty(logits.ShapeArray, logits.DType);
        if (logits.DType == DType.Float32) FusedGradient<float>(g, logits, grad);
        else FusedGradient<double>(g, logits, grad);
        return [grad];
    }

    private void FusedGradient<T>(Tensor g, Tensor logits, Tensor grad) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ForEachPiece((first, end) =>
        {
            var x = logits.Span<T>();
            var upstream = g.Span<T>();
            var w = _weight is null ? default : _weight.Span<T>();
            for (int r = first; r < end; r++)
            {
                if (Ignored(r)) continue;
                var (a, b) = Coefficients(r, TargetWeight<T>(r));
                double scale = double.CreateTruncating(upstream[_reduction == Reduction.None ? r : 0]);
                a *= scale;
                b *= scale;
                var target = grad.Span<T>().Slice(r * _classes, _classes);
                // x − max is exact; subtracting max + log Σ in one step would round it to the type first.
                TensorPrimitives.Subtract(x.Slice(r * _classes, _classes), T.CreateTruncating(_rowMax[r]), target);
                TensorPrimitives.Subtract(target, T.CreateTruncating(_logSum[r]), target);
                TensorPrimitives.Exp<T>(target, target);
                TensorPrimitives.Multiply(target, T.CreateTruncating(a + b * _weightSum), target);
                if (b != 0)
                {
                    if (w.IsEmpty) TensorPrimitives.Subtract(target, T.CreateTruncating(b), target);
                    else TensorPrimitives.MultiplyAdd(w, T.CreateTruncating(-b), target, target);
                }
                target[_targets[r]] -= T.CreateTruncating(a);
            }
        });
    }

    /// <summary>The same derivative as <see cref="FusedGradient{T}"/> written with tensor ops: g ⊙ (softmax(x)·(a + b·S) − (a·onehot + b·w)).</summary>
    private Tensor RecordedGradient(Tensor g, Tensor logits)
    {
        var softmaxFactor = new double[Rows];
        var constant = new double[Rows * _classes];
        var w = _weight?.ToDoubleArray();
        for (int r = 0; r < Rows; r++)
        {
            var (a, b) = Coefficients(r, w is null || Ignored(r) ? 1 : w[_targets[r]]);
            softmaxFactor[r] = a + b * _weightSum;
            if (Ignored(r)) continue;
            for (int c = 0; c < _classes; c++) constant[r * _classes + c] = b * (w?[c] ?? 1);
            constant[r * _classes + _targets[r]] += a;
        }
        var upstream = _reduction == Reduction.None ? g.Reshape(Rows, 1) : g;
        var factor = Tensor.FromArray(softmaxFactor, Rows, 1).To(logits.DType);
        var offset = Tensor.FromArray(constant, Rows, _classes).To(logits.DType);
        return upstream * (logits.Softmax(1) * factor - offset);
    }
}
