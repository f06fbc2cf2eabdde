using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// One time step of a recurrent layer as a single graph node: the product h·W_hhᵀ for all gates at
/// once, the fused gate nonlinearities (<see cref="RecurrentKernels"/>), and a declared backward.
/// </summary>
/// <remarks>
/// <para>
/// The input projection x·W_ihᵀ + b for the whole sequence is one matrix product per layer, made
/// before the loop outside the graph (<c>projection</c>); each step reads its rows. The gradients of
/// W_ih, b_ih and x_t are then formed by the step's own backward (dW_ih = dPᵀ·x_t, dx_t = dP·W_ih),
/// so nothing in the graph slices a whole-sequence tensor per step, which would make the backward
/// pass allocate and add a sequence-sized gradient at every step (quadratic in the length).
/// </para>
/// <para>
/// A node's inputs are [x_t, h, W_ih, W_hh, b_ih, b_hh] (+ c for the LSTM); a layer without bias
/// passes constant zeros, which never receive a gradient. The backward uses fused kernels, so it is
/// not itself differentiable: gradients of gradients (<c>createGraph: true</c>) are refused.
/// </para>
/// </remarks>
internal static class RecurrentStep
{
    private static readonly string[] s_names = ["RNN", "RNN", "LSTM", "GRU"];

    /// <summary>
    /// One step. Returns h′ (N, H) for RNN and GRU, and s = [c′ | o] (N, 2H) for the LSTM, whose h′
    /// comes from <see cref="LstmHidden"/>.
    /// </summary>
    /// <param name="kind">The recurrence.</param>
    /// <param name="projection">x·W_ihᵀ + b_ih for every step, (L·N, G) (with b_hh too, except for the GRU).</param>
    /// <param name="t">The step, which selects rows t·N … t·N + N − 1 of the projection.</param>
    /// <param name="x">The step's input (N, H_in), for the gradients.</param>
    /// <param name="h">The previous hidden state (N, H).</param>
    /// <param name="weightIh">W_ih (G, H_in).</param>
    /// <param name="weightHh">W_hh (G, H).</param>
    /// <param name="biasIh">b_ih (G), or constant zeros.</param>
    /// <param name="biasHh">b_hh (G), or constant zeros.</param>
    /// <param name="cell">The LSTM's previous cell: c0 (N, H) or the previous step's s (N, 2H); null otherwise.</param>
    public static Tensor Step(RecurrentCellKind kind, Tensor projection, int t, Tensor x, Tensor h,
        Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, Tensor? cell)
    {
        int rows = h.ShapeArray[0], hidden = h.ShapeArray[1], gates = weightHh.ShapeArray[0];
        var q = Tensor.Empty([rows, gates], h.DType);
        int offset = t * rows * gates;
        if (h.DType == DType.Float32)
            Gemm.Multiply(false, true, rows, gates, hidden, h.Float32Data, 0, weightHh.Float32Data, 0, q.Float32Data, 0, accumulate: false);
        else
            Gemm.Multiply(false, true, rows, gates, hidden, h.Float64Data, 0, weightHh.Float64Data, 0, q.Float64Data, 0, accumulate: false);

        Tensor y;
        Tensor? saved = null;
        switch (kind)
        {
            case RecurrentCellKind.RnnTanh or RecurrentCellKind.RnnRelu:
                y = Tensor.Empty([rows, hidden], h.DType);
                bool relu = kind == RecurrentCellKind.RnnRelu;
                if (h.DType == DType.Float32)
                {
                    var a = q.Span<float>();
                    TensorPrimitives.Add(a, projection.Span<float>().Slice(offset, a.Length), a);
                    RecurrentKernels.RnnForward<float>(a, y.Span<float>(), relu);
                }
                else
                {
                    var a = q.Span<double>();
                    TensorPrimitives.Add(a, projection.Span<double>().Slice(offset, a.Length), a);
                    RecurrentKernels.RnnForward<double>(a, y.Span<double>(), relu);
                }
                break;
            case RecurrentCellKind.Lstm:
                y = Tensor.Empty([rows, 2 * hidden], h.DType);
                saved = Tensor.Empty([rows, gates], h.DType);
                int cellStride = cell!.ShapeArray[1];
                if (h.DType == DType.Float32)
                {
                    var a = q.Span<float>();
                    TensorPrimitives.Add(a, projection.Span<float>().Slice(offset, a.Length), a);
                    RecurrentKernels.LstmForward<float>(a, cell.Span<float>(), cellStride, hidden, saved.Span<float>(), y.Span<float>());
                }
                else
                {
                    var a = q.Span<double>();
                    TensorPrimitives.Add(a, projection.Span<double>().Slice(offset, a.Length), a);
                    RecurrentKernels.LstmForward<double>(a, cell.Span<double>(), cellStride, hidden, saved.Span<double>(), y.Span<double>());
                }
                break;
            default:
                y = Tensor.Empty([rows, hidden], h.DType);
                saved = Tensor.Empty([rows, 4 * hidden], h.DType);
                if (h.DType == DType.Float32)
                    RecurrentKernels.GruForward<float>(projection.Span<float>().Slice(offset, q.Length), q.Span<float>(), biasHh.Span<float>(),
                        h.Span<float>(), hidden, saved.Span<float>(), y.Span<float>());
                else
                    RecurrentKernels.GruForward<double>(projection.Span<double>().Slice(offset, q.Length), q.Span<double>(), biasHh.Span<double>(),
                        h.Span<double>(), hidden, saved.Span<double>(), y.Span<double>());
                break;
        }

        ReadOnlySpan<Tensor> inputs = cell is null ? [x, h, weightIh, weightHh, biasIh, biasHh] : [x, h, weightIh, weightHh, biasIh, biasHh, cell];
        return Graph.Record(s_names[(int)kind], inputs, y, Backward, new StepSaved(kind, saved));
    }

    /// <summary>What a step's node keeps: the recurrence, and the gate values its forward kernel saved (null for the RNN).</summary>
    private readonly record struct StepSaved(RecurrentCellKind Kind, Tensor? Gates);

    /// <summary>
    /// Backward of <see cref="Step"/>: the fused kernel gives the gradients dP of the input projection
    /// and dQ of h·W_hhᵀ (the same tensor except for the GRU); the products then give
    /// dx = dP·W_ih, dW_ih = dPᵀ·x, dh = dQ·W_hh (+ the GRU's direct z⊙dh′), dW_hh = dQᵀ·h and the
    /// biases' gradients as column sums.
    /// </summary>
    private static Tensor?[] Backward(Tensor g, Node node, StepSaved saved)
    {
        RequirePlainPass(node.Op);
        var (x, h, weightIh, weightHh, biasIh, biasHh) = (node.Inputs[0], node.Inputs[1], node.Inputs[2], node.Inputs[3], node.Inputs[4], node.Inputs[5]);
        var kind = saved.Kind;
        int rows = h.ShapeArray[0], hidden = h.ShapeArray[1], gates = weightHh.ShapeArray[0];
        var dp = Tensor.Empty([rows, gates], h.DType);
        var dq = dp;
        Tensor? dhDirect = null, dCell = null;
        bool single = h.DType == DType.Float32;
        switch (kind)
        {
            case RecurrentCellKind.RnnTanh or RecurrentCellKind.RnnRelu:
                bool relu = kind == RecurrentCellKind.RnnRelu;
                if (single) RecurrentKernels.RnnBackward<float>(g.Span<float>(), node.Output!.Span<float>(), dp.Span<float>(), relu);
                else RecurrentKernels.RnnBackward<double>(g.Span<double>(), node.Output!.Span<double>(), dp.Span<double>(), relu);
                break;
            case RecurrentCellKind.Lstm:
                var cell = node.Inputs[6];
                dCell = Tensor.Empty(cell.ShapeArray, h.DType);
                if (single)
                    RecurrentKernels.LstmBackward<float>(g.Span<float>(), saved.Gates!.Span<float>(), cell.Span<float>(), cell.ShapeArray[1], hidden, dp.Span<float>(), dCell.Span<float>());
                else
                    RecurrentKernels.LstmBackward<double>(g.Span<double>(), saved.Gates!.Span<double>(), cell.Span<double>(), cell.ShapeArray[1], hidden, dp.Span<double>(), dCell.Span<double>());
                break;
            default:
                dq = Tensor.Empty([rows, gates], h.DType);
                dhDirect = Tensor.Empty([rows, hidden], h.DType);
                if (single)
                    RecurrentKernels.GruBackward<float>(g.Span<float>(), saved.Gates!.Span<float>(), h.Span<float>(), hidden, dp.Span<float>(), dq.Span<float>(), dhDirect.Span<float>());
                else
                    RecurrentKernels.GruBackward<double>(g.Span<double>(), saved.Gates!.Span<double>(), h.Span<double>(), hidden, dp.Span<double>(), dq.Span<double>(), dhDirect.Span<double>());
                break;
        }

        Tensor? dh = null;
        if (h.RequiresGrad)
        {
            dh = Tensor.Product(dq, weightHh, false, false);
            if (dhDirect is not null) ElementwiseDispatch.AddInPlace(dh, dhDirect);
        }
        Tensor?[] grads =
        [
            x.RequiresGrad ? Tensor.Product(dp, weightIh, false, false) : null,
            dh,
            weightIh.RequiresGrad ? Tensor.Product(dp, x, true, false) : null,
            weightHh.RequiresGrad ? Tensor.Product(dq, h, true, false) : null,
            biasIh.RequiresGrad ? dp.Sum(axis: 0) : null,
            biasHh.RequiresGrad ? dq.Sum(axis: 0) : null,
            .. (dCell is null ? Array.Empty<Tensor?>() : [dCell]),
        ];
        return grads;
    }

    /// <summary>The LSTM's hidden state h′ = o⊙tanh(c′) from a step's s = [c′ | o]; its own node, so s carries c′ on.</summary>
    public static Tensor LstmHidden(Tensor s)
    {
        int rows = s.ShapeArray[0], hidden = s.ShapeArray[1] / 2;
        var h = Tensor.Empty([rows, hidden], s.DType);
        var tanhCell = Tensor.Empty([rows, hidden], s.DType);
        if (s.DType == DType.Float32) RecurrentKernels.LstmHiddenForward<float>(s.Span<float>(), hidden, tanhCell.Span<float>(), h.Span<float>());
        else RecurrentKernels.LstmHiddenForward<double>(s.Span<double>(), hidden, tanhCell.Span<double>(), h.Span<double>());
        return Graph.Record("LSTM", [s], h, static (g, n, tanhCell) =>
        {
            RequirePlainPass(n.Op);
            var s = n.Inputs[0];
            int hidden = s.ShapeArray[1] / 2;
            var ds = Tensor.Empty(s.ShapeArray, s.DType);
            if (s.DType == DType.Float32) RecurrentKernels.LstmHiddenBackward<float>(g.Span<float>(), s.Span<float>(), tanhCell.Span<float>(), hidden, ds.Span<float>());
            else RecurrentKernels.LstmHiddenBackward<double>(g.Span<double>(), s.Span<double>(), tanhCell.Span<double>(), hidden, ds.Span<double>());
            return [ds];
        }, tanhCell);
    }

    /// <summary>Refuses a recorded backward pass: the steps' derivatives are fused kernels, not differentiable tensor ops.</summary>
    private static void RequirePlainPass(string op)
    {
        if (Graph.IsBackwardRecorded)
            throw new NotSupportedException($"{op}: gradients of gradients (createGraph: true) through a recurrent layer are not supported; its step's backward is a fused kernel.");
    }
}
