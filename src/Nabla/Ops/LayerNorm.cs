using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// Layer normalisation as one fused op: each row of the last dimensions normalised to mean 0 and
// variance 1, then scaled and shifted elementwise. Forward and backward each make one pass per row
// instead of the dozen tensors the composed form would allocate.
public sealed partial class Tensor
{
    /// <summary>Rows per parallel piece are chosen so one piece holds about this many elements.</summary>
    private const int NormalizationPieceElements = 1 << 14;

    /// <summary>
    /// y = (x − mean)/√(var + eps) ⊙ weight + bias, where mean and the biased variance are taken over
    /// the last <paramref name="featureCount"/> elements of each row, as <c>torch.nn.functional.layer_norm</c>.
    /// </summary>
    /// <remarks>
    /// Derivative, with x̂ the normalised row, σ⁻¹ = 1/√(var + eps), ĝ = g ⊙ weight and D the row length:
    /// dx = σ⁻¹ (ĝ − mean(ĝ) − x̂ · mean(ĝ ⊙ x̂)), dweight = Σ_rows g ⊙ x̂, dbias = Σ_rows g.
    /// The plain backward pass runs a fused kernel; with <c>createGraph</c> the same formula is written in
    /// tensor ops (from the inputs, not from saved statistics), so second derivatives are right.
    /// </remarks>
    /// <param name="input">The input; its last dimensions hold <paramref name="featureCount"/> elements.</param>
    /// <param name="featureCount">How many trailing elements make one normalised row.</param>
    /// <param name="weight">The elementwise scale (featureCount elements), or null with <paramref name="bias"/> null.</param>
    /// <param name="bias">The elementwise shift (featureCount elements), or null with <paramref name="weight"/> null.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    internal static Tensor LayerNorm(Tensor input, int featureCount, Tensor? weight, Tensor? bias, double eps)
    {
        int rows = input.Length / featureCount;
        var y = Empty(input._shape, input.DType);
        var stats = Empty([2, rows], input.DType);
        if (input.DType == DType.Float32)
            LayerNormForward(input.Float32Data, weight?.Float32Data, bias?.Float32Data, y.Float32Data, stats.Float32Data, rows, featureCount, (float)eps);
        else
            LayerNormForward(input.Float64Data, weight?.Float64Data, bias?.Float64Data, y.Float64Data, stats.Float64Data, rows, featureCount, eps);
        ReadOnlySpan<Tensor> inputs = weight is null ? [input] : [input, weight, bias!];
        return Graph.Record(nameof(LayerNorm), inputs, y, static (g, n, saved) =>
            Graph.IsBackwardRecorded ? LayerNormBackwardComposed(g, n, saved) : LayerNormBackwardFused(g, n, saved),
            new LayerNormSaved(stats, featureCount, eps));
    }

    /// <summary>What a layer-norm node keeps for its derivative: each row's mean and 1/σ (2, rows), the row length and eps.</summary>
    private readonly record struct LayerNormSaved(Tensor Statistics, int FeatureCount, double Eps);

    /// <summary>Runs <paramref name="body"/>(firstRow, endRow) over fixed blocks of rows, in parallel when the work is large.</summary>
    private static void ForRowBlocks(int rows, int rowLength, Action<int, int> body)
    {
        int rowsPerPiece = Math.Max(1, NormalizationPieceElements / Math.Max(1, rowLength));
        int pieces = (rows + rowsPerPiece - 1) / rowsPerPiece;
        if ((long)rows * rowLength < Elementwise.ParallelThreshold) pieces = Math.Min(pieces, 1);
        if (pieces <= 1) { body(0, rows); return; }
        Parallelism.For(pieces, p => body(p * rowsPerPiece, Math.Min(rows, (p + 1) * rowsPerPiece)));
    }

    /// <summary>Per row: mean, centred values, biased variance, scale by 1/√(var + eps), then the affine map.</summary>
    private static void LayerNormForward<T>(T[] x, T[]? weight, T[]? bias, T[] y, T[] stats, int rows, int d, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(d);
        ForRowBlocks(rows, d, (first, end) =>
        {
            for (int r = first; r < end; r++)
            {
                var xr = x.AsSpan(r * d, d);
                var yr = y.AsSpan(r * d, d);
                T mean = TensorPrimitives.Sum<T>(xr) / count;
                TensorPrimitives.Subtract(xr, mean, yr);
                T rstd = T.One / T.Sqrt(TensorPrimitives.SumOfSquares<T>(yr) / count + eps);
                TensorPrimitives.Multiply(yr, rstd, yr);
                if (weight is not null) TensorPrimitives.FusedMultiplyAdd(yr, weight, bias!, yr);
                stats[r] = mean;
                stats[rows + r] = rstd;
            }
        });
    }

    private static Tensor?[] LayerNormBackwardFused(Tensor g, Node n, LayerNormSaved saved)
    {
        var x = n.Inputs[0];
        int d = saved.FeatureCount, rows = x.Length / d;
        bool affine = n.Inputs.Length == 3;
        var dx = Empty(x._shape, x.DType);
        // The weight may span several dimensions (a normalized shape such as [height, width]).
        var dw = affine ? Empty(n.Inputs[1]._shape, x.DType) : null;
        var db = affine ? Empty(n.Inputs[1]._shape, x.DType) : null;
        if (x.DType == DType.Float32)
            LayerNormBackward(x.Float32Data, g.Float32Data, saved.Statistics.Float32Data, affine ? n.Inputs[1].Float32Data : null,
                dx.Float32Data, dw?.Float32Data, db?.Float32Data, rows, d);
        else
            LayerNormBackward(x.Float64Data, g.Float64Data, saved.Statistics.Float64Data, affine ? n.Inputs[1].Float64Data : null,
                dx.Float64Data, dw?.Float64Data, db?.Float64Data, rows, d);
        return affine ? [dx, dw, db] : [dx];
    }

    /// <summary>
    /// One pass per row: rebuild x̂ from the saved mean and 1/σ, form ĝ = g ⊙ weight, then
    /// dx = σ⁻¹ (ĝ − mean(ĝ) − x̂ mean(ĝ ⊙ x̂)). Weight and bias gradients are summed per block of rows
    /// and the blocks added in order, so the result does not depend on the thread count.
    /// </summary>
    private static void LayerNormBackward<T>(T[] x, T[] g, T[] stats, T[]? weight, T[] dx, T[]? dw, T[]? db, int rows, int d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(d);
        int rowsPerPiece = Math.Max(1, NormalizationPieceElements / d);
        int pieces = (rows + rowsPerPiece - 1) / rowsPerPiece;
        // Each piece's weight and bias partial sums: [piece][dw | db].
        var partial = weight is null ? null : new T[pieces * 2 * d];
        ForRowBlocks(rows, d, (first, end) =>
        {
            var xhat = ArrayPool<T>.Shared.Rent(d);
            var ghat = ArrayPool<T>.Shared.Rent(d);
            try
            {
                for (int r = first; r < end; r++)
                {
                    var xr = x.AsSpan(r * d, d);
                    var gr = g.AsSpan(r * d, d);
                    var xh = xhat.AsSpan(0, d);
                    T rstd = stats[rows + r];
                    TensorPrimitives.Subtract(xr, stats[r], xh);
                    TensorPrimitives.Multiply(xh, rstd, xh);
                    ReadOnlySpan<T> gh = gr;
                    if (weight is not null)
                    {
                        var piece = partial.AsSpan(r / rowsPerPiece * 2 * d, 2 * d);
                        TensorPrimitives.FusedMultiplyAdd(gr, xh, piece[..d], piece[..d]);
                        TensorPrimitives.Add(piece[d..], gr, piece[d..]);
                        TensorPrimitives.Multiply(gr, weight, ghat.AsSpan(0, d));
                        gh = ghat.AsSpan(0, d);
                    }
                    T meanG = TensorPrimitives.Sum(gh) / count;
                    T meanGx = TensorPrimitives.Dot(gh, xh) / count;
                    var dxr = dx.AsSpan(r * d, d);
                    TensorPrimitives.MultiplyAdd(xh, -meanGx, gh, dxr);
                    TensorPrimitives.Subtract(dxr, meanG, dxr);
                    TensorPrimitives.Multiply(dxr, rstd, dxr);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(xhat);
                ArrayPool<T>.Shared.Return(ghat);
            }
        });
        if (partial is null) return;
        for (int p = 0; p < pieces; p++)
        {
            TensorPrimitives.Add(dw!, partial.AsSpan(p * 2 * d, d), dw);
            TensorPrimitives.Add(db!, partial.AsSpan(p * 2 * d + d, d), db);
        }
    }

    /// <summary>The backward formula in tensor ops, recomputing x̂ from x so that it is itself differentiable.</summary>
    private static Tensor?[] LayerNormBackwardComposed(Tensor g, Node n, LayerNormSaved saved)
    {
        var x = n.Inputs[0];
        int d = saved.FeatureCount;
        var rows = x.Reshape(-1, d);
        var centred = rows - rows.Mean(1, keepDims: true);
        var rstd = 1.0 / ((centred * centred).Mean(1, keepDims: true) + saved.Eps).Sqrt();
        var xhat = centred * rstd;
        var g2 = g.Reshape(-1, d);
        bool affine = n.Inputs.Length == 3;
        var ghat = affine ? g2 * n.Inputs[1].Reshape(d) : g2;
        var dx = rstd * (ghat - ghat.Mean(1, keepDims: true) - xhat * (ghat * xhat).Mean(1, keepDims: true));
        if (!affine) return [dx.Reshape(x._shape)];
        var weightShape = n.Inputs[1]._shape;
        return [dx.Reshape(x._shape), (g2 * xhat).Sum(0).Reshape(weightShape), g2.Sum(0).Reshape(weightShape)];
    }
}
