using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.NN;

/// <summary>
/// The pointwise part of one recurrent step for one sequence (one row) and its derivative, fused:
/// one pass over the row's gates instead of a dozen tensor ops and temporaries. Gates sit side by
/// side in a row in PyTorch's order (LSTM i, f, g, o; GRU r, z, n), each <c>hidden</c> wide.
/// </summary>
/// <remarks>
/// The transcendental functions run through <see cref="TensorPrimitives"/> on the row's contiguous
/// gate blocks; the products that combine gates are <see cref="Vector{T}"/> loops with a scalar tail
/// that does the same operations in the same order, so every element is rounded the same way
/// whatever its position.
/// </remarks>
internal static class RecurrentKernels
{
    /// <summary>h′ = tanh(a + b) or max(a + b, 0), with <paramref name="gates"/> = a on entry and the activation on exit.</summary>
    public static void RnnForward<T>(Span<T> gates, ReadOnlySpan<T> bias, bool relu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(gates, bias, gates);
        if (relu) TensorPrimitives.Max(gates, T.Zero, gates);
        else TensorPrimitives.Tanh(gates, gates);
    }

    /// <summary>da = dh′⊙(1 − h′²) for tanh, dh′ where h′ &gt; 0 for ReLU (as PyTorch, 0 at the kink); from the output h′.</summary>
    public static void RnnBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> h, Span<T> da, bool relu) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (relu)
            for (int i = 0; i < da.Length; i++) da[i] = h[i] > T.Zero ? dh[i] : T.Zero;
        else
            for (int i = 0; i < da.Length; i++) da[i] = dh[i] * (T.One - h[i] * h[i]);
    }

    /// <summary>
    /// LSTM gates and states: with a = <paramref name="gates"/> + <paramref name="bias"/>,
    /// [i, f, g, o] = [σ(a_i), σ(a_f), tanh(a_g), σ(a_o)] (left in <paramref name="gates"/> for the
    /// derivative), c′ = f⊙c + i⊙g and h′ = o⊙tanh(c′).
    /// </summary>
    public static void LstmForward<T>(Span<T> gates, ReadOnlySpan<T> bias, ReadOnlySpan<T> cell, Span<T> nextCell, Span<T> nextHidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hidden = cell.Length;
        TensorPrimitives.Add(gates, bias, gates);
        TensorPrimitives.Sigmoid(gates[..(2 * hidden)], gates[..(2 * hidden)]);
        TensorPrimitives.Tanh(gates.Slice(2 * hidden, hidden), gates.Slice(2 * hidden, hidden));
        TensorPrimitives.Sigmoid(gates[(3 * hidden)..], gates[(3 * hidden)..]);
        TensorPrimitives.Multiply(gates[..hidden], gates.Slice(2 * hidden, hidden), nextCell);
        TensorPrimitives.MultiplyAdd(gates.Slice(hidden, hidden), cell, nextCell, nextCell);
        TensorPrimitives.Tanh(nextCell, nextHidden);
        TensorPrimitives.Multiply(nextHidden, gates[(3 * hidden)..], nextHidden);
    }

    /// <summary>
    /// The derivative of <see cref="LstmForward"/>. On entry <paramref name="dCell"/> is dc′ and
    /// <paramref name="dh"/> dh′; with tc = tanh(c′) (into <paramref name="scratch"/>) and
    /// dc′ += dh′⊙o⊙(1 − tc²), the pre-activation gradient is
    /// [dc′⊙g⊙i(1−i), dc′⊙c⊙f(1−f), dc′⊙i⊙(1−g²), dh′⊙tc⊙o(1−o)] and on exit <paramref name="dCell"/> is dc = dc′⊙f.
    /// </summary>
    public static void LstmBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> gates, ReadOnlySpan<T> cell, ReadOnlySpan<T> nextCell,
        Span<T> dCell, Span<T> dGates, Span<T> scratch) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hidden = cell.Length;
        TensorPrimitives.Tanh(nextCell, scratch);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<T>.One;
            for (; j <= hidden - Vector<T>.Count; j += Vector<T>.Count)
            {
                var i = new Vector<T>(gates[j..]);
                var f = new Vector<T>(gates[(hidden + j)..]);
                var g = new Vector<T>(gates[(2 * hidden + j)..]);
                var o = new Vector<T>(gates[(3 * hidden + j)..]);
                var tc = new Vector<T>(scratch[j..]);
                var dhj = new Vector<T>(dh[j..]);
                var dc = new Vector<T>(dCell[j..]) + dhj * o * (one - tc * tc);
                (dc * g * i * (one - i)).CopyTo(dGates[j..]);
                (dc * new Vector<T>(cell[j..]) * f * (one - f)).CopyTo(dGates[(hidden + j)..]);
                (dc * i * (one - g * g)).CopyTo(dGates[(2 * hidden + j)..]);
                (dhj * tc * o * (one - o)).CopyTo(dGates[(3 * hidden + j)..]);
                (dc * f).CopyTo(dCell[j..]);
            }
        }
        for (; j < hidden; j++)
        {
            T i = gates[j], f = gates[hidden + j], g = gates[2 * hidden + j], o = gates[3 * hidden + j];
            T tc = scratch[j], dhj = dh[j];
            T dc = dCell[j] + dhj * o * (T.One - tc * tc);
            dGates[j] = dc * g * i * (T.One - i);
            dGates[hidden + j] = dc * cell[j] * f * (T.One - f);
            dGates[2 * hidden + j] = dc * i * (T.One - g * g);
            dGates[3 * hidden + j] = dhj * tc * o * (T.One - o);
            dCell[j] = dc * f;
        }
    }

    /// <summary>
    /// GRU step: with p = W_ih·x (in <paramref name="gates"/> on entry), q = W_hh·h,
    /// r = σ(p_r + b_ir + q_r + b_hr), z = σ(p_z + b_iz + q_z + b_hz), n = tanh(p_n + b_in + r⊙(q_n + b_hn)),
    /// h′ = (1 − z)⊙n + z⊙h. Leaves [r, z, n] in <paramref name="gates"/> and q_n + b_hn in
    /// <paramref name="hiddenGate"/> for the derivative.
    /// </summary>
    public static void GruForward<T>(Span<T> gates, ReadOnlySpan<T> q, ReadOnlySpan<T> biasIh, ReadOnlySpan<T> biasHh, ReadOnlySpan<T> h,
        Span<T> hiddenGate, Span<T> nextHidden) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hidden = h.Length;
        TensorPrimitives.Add(gates, biasIh, gates);
        var rz = gates[..(2 * hidden)];
        TensorPrimitives.Add(rz, q[..(2 * hidden)], rz);
        TensorPrimitives.Add(rz, biasHh[..(2 * hidden)], rz);
        TensorPrimitives.Sigmoid(rz, rz);
        TensorPrimitives.Add(q[(2 * hidden)..], biasHh[(2 * hidden)..], hiddenGate);
        var n = gates[(2 * hidden)..];
        TensorPrimitives.MultiplyAdd(gates[..hidden], hiddenGate, n, n);
        TensorPrimitives.Tanh(n, n);
        // h′ = n + z⊙(h − n), which is (1 − z)⊙n + z⊙h with one rounding less.
        var z = gates.Slice(hidden, hidden);
        TensorPrimitives.Subtract(h, n, nextHidden);
        TensorPrimitives.MultiplyAdd(z, nextHidden, n, nextHidden);
    }

    /// <summary>
    /// The derivative of <see cref="GruForward"/>: the gradients of p and q (they differ only in the
    /// n block, where q's is scaled by r) and the direct part z⊙dh′ of h's gradient.
    /// </summary>
    public static void GruBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> gates, ReadOnlySpan<T> hiddenGate, ReadOnlySpan<T> h,
        Span<T> dp, Span<T> dq, Span<T> dhDirect) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int hidden = h.Length;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // The scalar loop's expressions in the same order, so the values are the same bits.
            var one = Vector<T>.One;
            for (; j <= hidden - Vector<T>.Count; j += Vector<T>.Count)
            {
                var reset = new Vector<T>(gates[j..]);
                var z = new Vector<T>(gates[(hidden + j)..]);
                var n = new Vector<T>(gates[(2 * hidden + j)..]);
                var g = new Vector<T>(dh[j..]);
                var dn = g * (one - z) * (one - n * n);
                var dz = g * (new Vector<T>(h[j..]) - n) * z * (one - z);
                var dr = dn * new Vector<T>(hiddenGate[j..]) * reset * (one - reset);
                dr.CopyTo(dp[j..]);
                dr.CopyTo(dq[j..]);
                dz.CopyTo(dp[(hidden + j)..]);
                dz.CopyTo(dq[(hidden + j)..]);
                dn.CopyTo(dp[(2 * hidden + j)..]);
                (dn * reset).CopyTo(dq[(2 * hidden + j)..]);
                (g * z).CopyTo(dhDirect[j..]);
            }
        }
        for (; j < hidden; j++)
        {
            T reset = gates[j], z = gates[hidden + j], n = gates[2 * hidden + j];
            T g = dh[j];
            T dn = g * (T.One - z) * (T.One - n * n);
            T dz = g * (h[j] - n) * z * (T.One - z);
            T dr = dn * hiddenGate[j] * reset * (T.One - reset);
            dp[j] = dq[j] = dr;
            dp[hidden + j] = dq[hidden + j] = dz;
            dp[2 * hidden + j] = dn;
            dq[2 * hidden + j] = dn * reset;
            dhDirect[j] = g * z;
        }
    }
}
