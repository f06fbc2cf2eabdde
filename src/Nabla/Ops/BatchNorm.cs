using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla;

// Batch normalisation with batch statistics, as one fused op: each channel normalised over the
// batch and the positions, then scaled and shifted. One pass over a channel's values for each of
// mean, variance and output; the backward pass needs two.
public sealed partial class Tensor
{
    /// <summary>
    /// For an input viewed as (N, C, S): y = (x − mean_c)/√(var_c + eps) · weight_c + bias_c, with the
    /// mean and the biased variance of channel c taken over its N·S values, as
    /// <c>torch.nn.functional.batch_norm</c> in training.
    /// </summary>
    /// <remarks>
    /// Derivative, with x̂ the normalised values, σ⁻¹ = 1/√(var + eps) and the means over the channel's
    /// N·S values: dx = weight · σ⁻¹ (g − mean(g) − x̂ · mean(g ⊙ x̂)), dweight = Σ g ⊙ x̂, dbias = Σ g.
    /// The plain backward pass runs a fused kernel; with <c>createGraph</c> the same formula is written
    /// in tensor ops, so second derivatives are right.
    /// </remarks>
    /// <param name="input">The input, of shape (N, C, S).</param>
    /// <param name="weight">The per-channel scale (C elements), or null with <paramref name="bias"/> null.</param>
    /// <param name="bias">The per-channel shift (C elements), or null with <paramref name="weight"/> null.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <param name="batchStatistics">A (2, C) tensor of each channel's mean and biased variance, for the running averages.</param>
    internal static Tensor BatchNorm(Tensor input, Tensor? weight, Tensor? bias, double eps, out Tensor batchStatistics)
    {
        var (n, c, s) = (input._shape[0], input._shape[1], input._shape[2]);
        var y = Empty(input._shape, input.DType);
        var stats = Empty([2, c], input.DType);
        if (input.DType == DType.Float32)
            BatchNormForward(input.Float32Data, weight?.Float32Data, bias?.Float32Data, y.Float32Data, stats.Float32Data, n, c, s, (float)eps);
        else
            BatchNormForward(input.Float64Data, weight?.Float64Data, bias?.Float64Data, y.Float64Data, stats.Float64Data, n, c, s, eps);
        batchStatistics = stats;
        ReadOnlySpan<Tensor> inputs = weight is null ? [input] : [input, weight, bias!];
        return Graph.Record(nameof(BatchNorm), inputs, y, static (g, n, saved) =>
            Graph.IsBackwardRecorded ? BatchNormBackwardComposed(g, n, saved.Eps) : BatchNormBackwardFused(g, n, saved),
            new BatchNormSaved(stats, eps));
    }

    /// <summary>What a batch-norm node keeps for its derivative: the (2, C) batch statistics and eps.</summary>
    private readonly record struct BatchNormSaved(Tensor Statistics, double Eps);

    /// <summary>Runs <paramref name="body"/> for every channel, in parallel when the work is large; channels are independent.</summary>
    private static void ForChannels(int channels, long elements, Action<int> body)
    {
        if (elements < Elementwise.ParallelThreshold || channels == 1)
        {
            for (int ch = 0; ch < channels; ch++) body(ch);
            return;
        }
        Parallelism.For(channels, body);
    }

    /// <summary>
    /// Per channel: the mean, then the variance from the centred values (two passes, so it stays exact
    /// when the mean is large), then y = x·scale + shift with scale = weight/σ and shift = bias − mean·scale.
    /// </summary>
    private static void BatchNormForward<T>(T[] x, T[]? weight, T[]? bias, T[] y, T[] stats, int n, int c, int s, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(n * s);
        ForChannels(c, (long)n * c * s, ch =>
        {
            var centred = ArrayPool<T>.Shared.Rent(s);
            try
            {
                T sum = T.Zero;
                for (int b = 0; b < n; b++) sum += TensorPrimitives.Sum<T>(x.AsSpan((b * c + ch) * s, s));
                T mean = sum / count;
                T squares = T.Zero;
                for (int b = 0; b < n; b++)
                {
                    TensorPrimitives.Subtract(x.AsSpan((b * c + ch) * s, s), mean, centred.AsSpan(0, s));
                    squares += TensorPrimitives.SumOfSquares<T>(centred.AsSpan(0, s));
                }
                T variance = squares / count;
                T scale = (weight is null ? T.One : weight[ch]) / T.Sqrt(variance + eps);
                T shift = (bias is null ? T.Zero : bias[ch]) - mean * scale;
                for (int b = 0; b < n; b++)
                {
                    var yr = y.AsSpan((b * c + ch) * s, s);
                    TensorPrimitives.Multiply(x.AsSpan((b * c + ch) * s, s), scale, yr);
                    TensorPrimitives.Add(yr, shift, yr);
                }
                stats[ch] = mean;
                stats[c + ch] = variance;
            }
            finally
            {
                ArrayPool<T>.Shared.Return(centred);
            }
        });
    }

    private static Tensor?[] BatchNormBackwardFused(Tensor g, Node node, BatchNormSaved saved)
    {
        var x = node.Inputs[0];
        int c = x._shape[1];
        bool affine = node.Inputs.Length == 3;
        var dx = Empty(x._shape, x.DType);
        var dw = affine ? Empty([c], x.DType) : null;
        var db = affine ? Empty([c], x.DType) : null;
        var (n, s) = (x._shape[0], x._shape[2]);
        if (x.DType == DType.Float32)
            BatchNormBackward(x.Float32Data, g.Float32Data, saved.Statistics.Float32Data, affine ? node.Inputs[1].Float32Data : null,
                dx.Float32Data, dw?.Float32Data, db?.Float32Data, n, c, s, (float)saved.Eps);
        else
            BatchNormBackward(x.Float64Data, g.Float64Data, saved.Statistics.Float64Data, affine ? node.Inputs[1].Float64Data : null,
                dx.Float64Data, dw?.Float64Data, db?.Float64Data, n, c, s, saved.Eps);
        return affine ? [dx, dw, db] : [dx];
    }

    /// <summary>
    /// Per channel: Σg and Σg⊙x̂ in one pass, then dx = k·g − k·Σg/M − (k·Σg⊙x̂/M)·x̂ with k = weight/σ
    /// and M = N·S, written row by row from the centred values.
    /// </summary>
    private static void BatchNormBackward<T>(T[] x, T[] g, T[] stats, T[]? weight, T[] dx, T[]? dw, T[]? db, int n, int c, int s, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T count = T.CreateChecked(n * s);
        ForChannels(c, (long)n * c * s, ch =>
        {
            var centred = ArrayPool<T>.Shared.Rent(s);
            try
            {
                var xc = centred.AsSpan(0, s);
                T mean = stats[ch], rstd = T.One / T.Sqrt(stats[c + ch] + eps);
                T sumG = T.Zero, sumGx = T.Zero;
                for (int b = 0; b < n; b++)
                {
                    int row = (b * c + ch) * s;
                    var gr = g.AsSpan(row, s);
                    TensorPrimitives.Subtract(x.AsSpan(row, s), mean, xc);
                    sumG += TensorPrimitives.Sum<T>(gr);
                    sumGx += TensorPrimitives.Dot<T>(gr, xc);
                }
                sumGx *= rstd; // Σ g ⊙ x̂
                if (dw is not null) { dw[ch] = sumGx; db![ch] = sumG; }
                T k = (weight is null ? T.One : weight[ch]) * rstd;
                T perCentred = -k * sumGx / count * rstd;
                T constant = -k * sumG / count;
                for (int b = 0; b < n; b++)
                {
                    int row = (b * c + ch) * s;
                    var dxr = dx.AsSpan(row, s);
                    TensorPrimitives.Subtract(x.AsSpan(row, s), mean, xc);
                    TensorPrimitives.Multiply(xc, perCentred, xc);
                    TensorPrimitives.MultiplyAdd(g.AsSpan(row, s), k, xc, dxr);
                    TensorPrimitives.Add(dxr, constant, dxr);
                }
            }
            finally
            {
                ArrayPool<T>.Shared.Return(centred);
            }
        });
    }

    /// <summary>The backward formula in tensor ops, recomputing the statistics from x so that it is itself differentiable.</summary>
    private static Tensor?[] BatchNormBackwardComposed(Tensor g, Node node, double eps)
    {
        var x = node.Inputs[0];
        int c = x._shape[1];
        static Tensor ChannelMean(Tensor t) => t.Mean(0, keepDims: true).Mean(2, keepDims: true);
        var centred = x - ChannelMean(x);
        var rstd = 1.0 / (ChannelMean(centred * centred) + eps).Sqrt();
        var xhat = centred * rstd;
        bool affine = node.Inputs.Length == 3;
        var k = affine ? rstd * node.Inputs[1].Reshape(1, c, 1) : rstd;
        var dx = k * (g - ChannelMean(g) - xhat * ChannelMean(g * xhat));
        if (!affine) return [dx];
        return [dx, (g * xhat).Sum(0).Sum(1), g.Sum(0).Sum(1)];
    }
}
