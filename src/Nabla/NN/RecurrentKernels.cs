using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.NN;

/// <summary>
/// The pointwise part of one recurrent step and its derivative, fused: one pass over a step's gates
/// instead of a dozen tensor ops (and a dozen graph nodes and temporaries) per step. Matrices are
/// row-major with one row per sequence in the batch; gates sit side by side in a row in PyTorch's
/// order (LSTM i, f, g, o; GRU r, z, n), each <c>hidden</c> wide.
/// </summary>
/// <remarks>
/// The transcendental functions run through <see cref="TensorPrimitives"/> on each row's contiguous
/// gate block; the products that combine gates are plain loops (they are memory-bound).
/// </remarks>
internal static class RecurrentKernels
{
    /// <summary>y = tanh(a) or max(a, 0).</summary>
    public static void RnnForward<T>(ReadOnlySpan<T> a, Span<T> y, bool relu) where T : IFloatingPointIeee754<T>
    {
        if (relu) TensorPrimitives.Max(a, T.Zero, y);
        else TensorPrimitives.Tanh(a, y);
    }

    /// <summary>da = dy⊙(1 − y²) for tanh, dy where y &gt; 0 for ReLU (as PyTorch, 0 at the kink); from the output y.</summary>
    public static void RnnBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> y, Span<T> da, bool relu) where T : IFloatingPointIeee754<T>
    {
        if (relu)
            for (int i = 0; i < da.Length; i++) da[i] = y[i] > T.Zero ? dy[i] : T.Zero;
        else
            for (int i = 0; i < da.Length; i++) da[i] = dy[i] * (T.One - y[i] * y[i]);
    }

    /// <summary>
    /// LSTM gates and cell: z = [σ(a_i), σ(a_f), tanh(a_g), σ(a_o)] and s = [c′ | o] with
    /// c′ = f⊙c + i⊙g. The output gate rides along in s so that <see cref="LstmHiddenForward"/>
    /// (h′ = o⊙tanh(c′)) needs no second input. <paramref name="cellStride"/> is the row length of
    /// <paramref name="cell"/>: hidden for the initial state, 2·hidden for a previous step's s.
    /// </summary>
    public static void LstmForward<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> cell, int cellStride, int hidden, Span<T> z, Span<T> s)
        where T : IFloatingPointIeee754<T>
    {
        int rows = a.Length / (4 * hidden);
        for (int r = 0; r < rows; r++)
        {
            var ar = a.Slice(r * 4 * hidden, 4 * hidden);
            var zr = z.Slice(r * 4 * hidden, 4 * hidden);
            TensorPrimitives.Sigmoid(ar[..(2 * hidden)], zr[..(2 * hidden)]);
            TensorPrimitives.Tanh(ar.Slice(2 * hidden, hidden), zr.Slice(2 * hidden, hidden));
            TensorPrimitives.Sigmoid(ar[(3 * hidden)..], zr[(3 * hidden)..]);
            var c = cell.Slice(r * cellStride, hidden);
            var sr = s.Slice(r * 2 * hidden, 2 * hidden);
            for (int j = 0; j < hidden; j++)
                sr[j] = zr[hidden + j] * c[j] + zr[j] * zr[2 * hidden + j];
            zr[(3 * hidden)..].CopyTo(sr[hidden..]);
        }
    }

    /// <summary>
    /// The derivative of <see cref="LstmForward"/>: from ds = [dc′ | do] to the pre-activation gradient
    /// da = [dc′⊙g⊙i(1−i), dc′⊙c⊙f(1−f), dc′⊙i⊙(1−g²), do⊙o(1−o)] and dc = dc′⊙f (zero in the o half
    /// when the previous cell was a step's s).
    /// </summary>
    public static void LstmBackward<T>(ReadOnlySpan<T> ds, ReadOnlySpan<T> z, ReadOnlySpan<T> cell, int cellStride, int hidden,
        Span<T> da, Span<T> dCell) where T : IFloatingPointIeee754<T>
    {
        int rows = z.Length / (4 * hidden);
        dCell.Clear();
        for (int r = 0; r < rows; r++)
        {
            var zr = z.Slice(r * 4 * hidden, 4 * hidden);
            var dar = da.Slice(r * 4 * hidden, 4 * hidden);
            var dsr = ds.Slice(r * 2 * hidden, 2 * hidden);
            var c = cell.Slice(r * cellStride, hidden);
            var dc = dCell.Slice(r * cellStride, hidden);
            for (int j = 0; j < hidden; j++)
            {
                T i = zr[j], f = zr[hidden + j], g = zr[2 * hidden + j], o = zr[3 * hidden + j];
                T dNext = dsr[j];
                dar[j] = dNext * g * i * (T.One - i);
                dar[hidden + j] = dNext * c[j] * f * (T.One - f);
                dar[2 * hidden + j] = dNext * i * (T.One - g * g);
                dar[3 * hidden + j] = dsr[hidden + j] * o * (T.One - o);
                dc[j] = dNext * f;
            }
        }
    }

    /// <summary>h′ = o⊙tanh(c′) from s = [c′ | o]; keeps tanh(c′) for the derivative.</summary>
    public static void LstmHiddenForward<T>(ReadOnlySpan<T> s, int hidden, Span<T> tanhCell, Span<T> h) where T : IFloatingPointIeee754<T>
    {
        int rows = h.Length / hidden;
        for (int r = 0; r < rows; r++)
        {
            var sr = s.Slice(r * 2 * hidden, 2 * hidden);
            var tc = tanhCell.Slice(r * hidden, hidden);
            TensorPrimitives.Tanh(sr[..hidden], tc);
            TensorPrimitives.Multiply(tc, sr[hidden..], h.Slice(r * hidden, hidden));
        }
    }

    /// <summary>The derivative of <see cref="LstmHiddenForward"/>: ds = [dh⊙o⊙(1 − tanh²c′) | dh⊙tanh c′].</summary>
    public static void LstmHiddenBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> s, ReadOnlySpan<T> tanhCell, int hidden, Span<T> ds)
        where T : IFloatingPointIeee754<T>
    {
        int rows = dh.Length / hidden;
        for (int r = 0; r < rows; r++)
        {
            var sr = s.Slice(r * 2 * hidden, 2 * hidden);
            var dsr = ds.Slice(r * 2 * hidden, 2 * hidden);
            for (int j = 0; j < hidden; j++)
            {
                T g = dh[r * hidden + j], tc = tanhCell[r * hidden + j];
                dsr[j] = g * sr[hidden + j] * (T.One - tc * tc);
                dsr[hidden + j] = g * tc;
            }
        }
    }

    /// <summary>
    /// GRU step: with p = W_ih·x + b_ih and q = W_hh·h + b_hh (b_hh added here),
    /// r = σ(p_r + q_r), z = σ(p_z + q_z), n = tanh(p_n + r⊙q_n), h′ = (1 − z)⊙n + z⊙h.
    /// Keeps [r, z, n, q_n] in <paramref name="saved"/> for the derivative.
    /// </summary>
    public static void GruForward<T>(ReadOnlySpan<T> p, ReadOnlySpan<T> q, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> h, int hidden,
        Span<T> saved, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        int rows = h.Length / hidden;
        for (int r = 0; r < rows; r++)
        {
            var pr = p.Slice(r * 3 * hidden, 3 * hidden);
            var qr = q.Slice(r * 3 * hidden, 3 * hidden);
            var sv = saved.Slice(r * 4 * hidden, 4 * hidden);
            var gates = sv[..(2 * hidden)];
            TensorPrimitives.Add(pr[..(2 * hidden)], qr[..(2 * hidden)], gates);
            TensorPrimitives.Add(gates, biasHh[..(2 * hidden)], gates);
            TensorPrimitives.Sigmoid(gates, gates);
            var qn = sv[(3 * hidden)..];
            TensorPrimitives.Add(qr[(2 * hidden)..], biasHh[(2 * hidden)..], qn);
            var n = sv.Slice(2 * hidden, hidden);
            for (int j = 0; j < hidden; j++) n[j] = pr[2 * hidden + j] + sv[j] * qn[j];
            TensorPrimitives.Tanh(n, n);
            var hr = h.Slice(r * hidden, hidden);
            var yr = y.Slice(r * hidden, hidden);
            for (int j = 0; j < hidden; j++)
            {
                T z = sv[hidden + j];
                yr[j] = (T.One - z) * n[j] + z * hr[j];
            }
        }
    }

    /// <summary>
    /// The derivative of <see cref="GruForward"/>: the gradients of p and q (they differ only in the
    /// n block, where q's is scaled by r) and the direct part z⊙dh′ of h's gradient.
    /// </summary>
    public static void GruBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> saved, ReadOnlySpan<T> h, int hidden,
        Span<T> dp, Span<T> dq, Span<T> dhDirect) where T : IFloatingPointIeee754<T>
    {
        int rows = h.Length / hidden;
        for (int r = 0; r < rows; r++)
        {
            var sv = saved.Slice(r * 4 * hidden, 4 * hidden);
            var dpr = dp.Slice(r * 3 * hidden, 3 * hidden);
            var dqr = dq.Slice(r * 3 * hidden, 3 * hidden);
            for (int j = 0; j < hidden; j++)
            {
                T reset = sv[j], z = sv[hidden + j], n = sv[2 * hidden + j], qn = sv[3 * hidden + j];
                T g = dy[r * hidden + j];
                T dn = g * (T.One - z) * (T.One - n * n);
                T dz = g * (h[r * hidden + j] - n) * z * (T.One - z);
                T dr = dn * qn * reset * (T.One - reset);
                dpr[j] = dqr[j] = dr;
                dpr[hidden + j] = dqr[hidden + j] = dz;
                dpr[2 * hidden + j] = dn;
                dqr[2 * hidden + j] = dn * reset;
                dhDirect[r * hidden + j] = g * z;
            }
        }
    }
}
