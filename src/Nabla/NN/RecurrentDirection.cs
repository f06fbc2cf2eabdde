using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Kernels;

namespace Nabla.NN;

/// <summary>
/// One direction of one recurrent layer over a whole batch of sequences: the forward pass, which
/// keeps what the derivative needs, and the backward pass through time.
/// </summary>
/// <remarks>
/// <para>
/// Work per direction, as cuDNN arranges it: one product P = X·W_ihᵀ for every step at once; then
/// per step one product h·W_hhᵀ for all gates together (added onto the step's rows of P) and one
/// fused pass for the gate nonlinearities (<see cref="RecurrentKernels"/>). The backward pass runs
/// the steps in reverse with one product dA_t·W_hh each, and forms dW_ih = dAᵀ·X, dW_hh = dAᵀ·H_prev
/// and dX = dA·W_ih afterwards as one product each over all steps.
/// </para>
/// <para>
/// Buffers are time-major (row t·N + n for step t of sequence n). <see cref="Hidden"/> and
/// <see cref="Cell"/> hold L + 1 blocks of N·H states: for the forward direction block t is the
/// state before step t, for the reverse direction block t + 1 is, so the states every step reads
/// are one contiguous block and the states before all steps one contiguous range.
/// </para>
/// <para>
/// Sequences of different lengths (<c>lengths</c>): a step t ≥ lengths[n] leaves sequence n's state
/// unchanged and writes no output, so the forward direction ends on each sequence's last valid step
/// and the reverse direction starts there, as PyTorch's packed sequences. In the backward pass such
/// a step passes the state's gradient through unchanged and adds nothing to the weights' gradients.
/// </para>
/// </remarks>
internal sealed class RecurrentDirection<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly RecurrentCellKind _kind;
    private readonly int _batch, _steps, _inputSize, _hidden, _gates;
    private readonly bool _reverse;
    private readonly int[]? _lengths;
    private readonly T[] _weightIh, _weightHh;
    private readonly T[] _gateBias;
    private readonly T[]? _hiddenBias;

    /// <summary>Prepares one direction; the arrays are the parameters' storage, read, never written.</summary>
    /// <param name="kind">The recurrence.</param>
    /// <param name="batch">N, the number of sequences.</param>
    /// <param name="steps">L, the number of steps run (the longest sequence).</param>
    /// <param name="hidden">H, the hidden size.</param>
    /// <param name="reverse">Whether the steps run from the last to the first.</param>
    /// <param name="lengths">Each sequence's number of valid steps, or null when all have <paramref name="steps"/>.</param>
    /// <param name="weightIh">W_ih (G·H, in).</param>
    /// <param name="weightHh">W_hh (G·H, H).</param>
    /// <param name="biasIh">b_ih, or null without bias.</param>
    /// <param name="biasHh">b_hh, or null without bias.</param>
    /// <param name="workspace">Where the saved arrays and the backward pass's scratch come from.</param>
    public RecurrentDirection(RecurrentCellKind kind, int batch, int steps, int hidden, bool reverse, int[]? lengths,
        T[] weightIh, T[] weightHh, T[]? biasIh, T[]? biasHh, RecurrentWorkspace workspace)
    {
        _workspace = workspace;
        (_kind, _batch, _steps, _hidden, _reverse, _lengths) = (kind, batch, steps, hidden, reverse, lengths);
        (_weightIh, _weightHh) = (weightIh, weightHh);
        _gates = weightHh.Length / hidden;
        _inputSize = weightIh.Length / _gates;
        // The GRU keeps b_hh apart (its n gate scales W_hn·h + b_hn by r); the others add both biases to the gates.
        _gateBias = new T[_gates];
        if (biasIh is not null) biasIh.CopyTo(_gateBias, 0);
        if (kind == RecurrentCellKind.Gru) _hiddenBias = biasHh ?? new T[_gates];
        else if (biasHh is not null) TensorPrimitives.Add(_gateBias, biasHh, _gateBias);
        Gates = workspace.Rent<T>(steps * batch * _gates);
        Hidden = workspace.Rent<T>((steps + 1) * batch * hidden);
        if (kind == RecurrentCellKind.Lstm) Cell = workspace.Rent<T>((steps + 1) * batch * hidden);
        if (kind == RecurrentCellKind.Gru) _hiddenGate = workspace.Rent<T>(steps * batch * hidden);
    }

    private readonly T[]? _hiddenGate;
    private readonly RecurrentWorkspace _workspace;

    /// <summary>The arrays the forward pass saved for the backward pass, all from the workspace.</summary>
    public Array[] SavedArrays => [Gates, Hidden, .. Cell is null ? Array.Empty<Array>() : [Cell], .. _hiddenGate is null ? Array.Empty<Array>() : [_hiddenGate]];

    /// <summary>Per step and sequence, the gate activations (LSTM i, f, g, o; GRU r, z, n); unused by the RNN.</summary>
    public T[] Gates { get; }

    /// <summary>The hidden states, L + 1 blocks (see the remarks).</summary>
    public T[] Hidden { get; }

    /// <summary>The LSTM's cell states, laid out as <see cref="Hidden"/>; null otherwise.</summary>
    public T[]? Cell { get; }

    /// <summary>The block of <see cref="Hidden"/> (and <see cref="Cell"/>) that holds the state before the first step run.</summary>
    public int InitialBlock => _reverse ? _steps : 0;

    /// <summary>The block that holds the state after the last step run: the final state.</summary>
    public int FinalBlock => _reverse ? 0 : _steps;

    private bool Valid(int t, int n) => _lengths is null || t < _lengths[n];

    /// <summary>
    /// Runs the direction over <paramref name="input"/> (time-major, L·N rows of the input size),
    /// from the initial states at the given offsets (zeros when null), writing each step's h′ into
    /// <paramref name="output"/> at row <paramref name="outputRow"/>(t, n), columns
    /// <paramref name="column"/> … <paramref name="column"/> + H − 1 of rows <paramref name="outputWidth"/> wide.
    /// </summary>
    public void Forward(T[] input, T[]? hidden0, T[]? cell0, int stateOffset, T[] output, Func<int, int, int> outputRow, int column, int outputWidth)
    {
        int rows = _batch, h = _hidden, g = _gates, block = rows * h;
        Gemm.Dispatch(false, true, _steps * rows, g, _inputSize, input, 0, _weightIh, 0, Gates, 0, accumulate: false);
        InitialState(hidden0, stateOffset, Hidden);
        if (Cell is not null) InitialState(cell0, stateOffset, Cell);
        var q = _kind == RecurrentCellKind.Gru ? ArrayPool<T>.Shared.Rent(rows * g) : null;
        // W_hhᵀ packed once for all the steps' products rather than by each of them.
        var weightHhT = Gemm.PackB(true, h, g, _weightHh, 0);
        try
        {
            for (int s = 0; s < _steps; s++)
            {
                int t = _reverse ? _steps - 1 - s : s;
                int before = (t + (_reverse ? 1 : 0)) * block, after = (t + (_reverse ? 0 : 1)) * block;
                // From zero initial states the first product is zero: skipped.
                bool zeroState = s == 0 && hidden0 is null;
                if (q is null)
                {
                    if (!zeroState) Gemm.Multiply(false, rows, Hidden, before, weightHhT, Gates, t * rows * g, accumulate: true);
                }
                else if (zeroState) Array.Clear(q, 0, rows * g);
                else Gemm.Multiply(false, rows, Hidden, before, weightHhT, q, 0, accumulate: false);

                for (int n = 0; n < rows; n++)
                {
                    var hPrev = Hidden.AsSpan(before + n * h, h);
                    var hNext = Hidden.AsSpan(after + n * h, h);
                    if (!Valid(t, n))
                    {
                        hPrev.CopyTo(hNext);
                        if (Cell is not null) Cell.AsSpan(before + n * h, h).CopyTo(Cell.AsSpan(after + n * h, h));
                        continue;
                    }
                    var gates = Gates.AsSpan((t * rows + n) * g, g);
                    switch (_kind)
                    {
                        case RecurrentCellKind.Lstm:
                            RecurrentKernels.LstmForward<T>(gates, _gateBias, Cell.AsSpan(before + n * h, h), Cell.AsSpan(after + n * h, h), hNext);
                            break;
                        case RecurrentCellKind.Gru:
                            RecurrentKernels.GruForward<T>(gates, q.AsSpan(n * g, g), _gateBias, _hiddenBias, hPrev,
                                _hiddenGate.AsSpan((t * rows + n) * h, h), hNext);
                            break;
                        default:
                            RecurrentKernels.RnnForward<T>(gates, _gateBias, _kind == RecurrentCellKind.RnnRelu);
                            gates.CopyTo(hNext);
                            break;
                    }
                    hNext.CopyTo(output.AsSpan(outputRow(t, n) * outputWidth + column, h));
                }
            }
        }
        finally
        {
            weightHhT.Dispose();
            if (q is not null) ArrayPool<T>.Shared.Return(q);
        }
    }

    private void InitialState(T[]? state, int offset, T[] states)
    {
        int block = _batch * _hidden;
        if (state is null) Array.Clear(states, InitialBlock * block, block);
        else Array.Copy(state, offset, states, InitialBlock * block, block);
    }

    /// <summary>
    /// The backward pass through time. On entry <paramref name="dHidden"/> and <paramref name="dCell"/>
    /// (N·H each; <paramref name="dCell"/> null except for the LSTM) hold the final states' gradients;
    /// on exit, the initial states'. <paramref name="outputGrad"/> is the output's gradient, laid out as
    /// the forward's output, or null. Returns the gradients of the gates' pre-activations,
    /// dP (of X·W_ihᵀ) and dQ (of h·W_hhᵀ; the same array except for the GRU), L·N rows each, rented
    /// from the workspace: the caller hands them to <see cref="ParameterGradients"/> and returns them.
    /// </summary>
    public (T[] Dp, T[] Dq) Backward(T[] dHidden, T[]? dCell, T[]? outputGrad, Func<int, int, int> outputRow, int column, int outputWidth,
        bool initialStateGradient)
    {
        int rows = _batch, h = _hidden, g = _gates, block = rows * h;
        var pool = ArrayPool<T>.Shared;
        var dp = _workspace.Rent<T>(_steps * rows * g);
        var dq = _kind == RecurrentCellKind.Gru ? _workspace.Rent<T>(_steps * rows * g) : dp;
        var dNext = pool.Rent(block);
        var direct = pool.Rent(block);
        var scratch = pool.Rent(h);
        // W_hh packed once for all the steps' products dA_t·W_hh.
        var weightHh = Gemm.PackB(false, g, h, _weightHh, 0);
        var dh = dHidden;
        try
        {
            for (int s = _steps - 1; s >= 0; s--)
            {
                int t = _reverse ? _steps - 1 - s : s;
                int before = (t + (_reverse ? 1 : 0)) * block, after = (t + (_reverse ? 0 : 1)) * block;
                // The part of the previous state's gradient that does not go through W_hh: the GRU's z⊙dh′, and
                // the whole gradient of a sequence this step skips.
                bool anyDirect = _kind == RecurrentCellKind.Gru;
                for (int n = 0; n < rows; n++)
                {
                    var dhRow = dh.AsSpan(n * h, h);
                    int gateRow = (t * rows + n) * g;
                    if (!Valid(t, n))
                    {
                        Array.Clear(dp, gateRow, g);
                        if (dq != dp) Array.Clear(dq, gateRow, g);
                        dhRow.CopyTo(direct.AsSpan(n * h, h));
                        anyDirect = true;
                        continue;
                    }
                    if (outputGrad is not null)
                    {
                        var dy = outputGrad.AsSpan(outputRow(t, n) * outputWidth + column, h);
                        TensorPrimitives.Add(dhRow, dy, dhRow);
                    }
                    var gates = Gates.AsSpan(gateRow, g);
                    switch (_kind)
                    {
                        case RecurrentCellKind.Lstm:
                            RecurrentKernels.LstmBackward<T>(dhRow, gates, Cell.AsSpan(before + n * h, h), Cell.AsSpan(after + n * h, h),
                                dCell.AsSpan(n * h, h), dp.AsSpan(gateRow, g), scratch);
                            break;
                        case RecurrentCellKind.Gru:
                            RecurrentKernels.GruBackward<T>(dhRow, gates, _hiddenGate.AsSpan((t * rows + n) * h, h), Hidden.AsSpan(before + n * h, h),
                                dp.AsSpan(gateRow, g), dq.AsSpan(gateRow, g), direct.AsSpan(n * h, h));
                            break;
                        default:
                            RecurrentKernels.RnnBackward<T>(dhRow, Hidden.AsSpan(after + n * h, h), dp.AsSpan(gateRow, g), _kind == RecurrentCellKind.RnnRelu);
                            break;
                    }
                    if (_kind != RecurrentCellKind.Gru && _lengths is not null) Array.Clear(direct, n * h, h);
                }

                // The initial state's gradient is only formed when someone asked for it.
                if (s == 0 && !initialStateGradient) break;
                Gemm.Multiply(false, rows, dq, t * rows * g, weightHh, dNext, 0, accumulate: false);
                if (anyDirect) TensorPrimitives.Add(dNext.AsSpan(0, block), direct.AsSpan(0, block), dNext.AsSpan(0, block));
                (dh, dNext) = (dNext, dh);
            }
            if (dh != dHidden) Array.Copy(dh, dHidden, block);
        }
        catch
        {
            _workspace.Return(dp, dq == dp ? null : dq);
            throw;
        }
        finally
        {
            weightHh.Dispose();
            pool.Return(dh == dHidden ? dNext : dh);
            pool.Return(direct);
            pool.Return(scratch);
        }
        return (dp, dq);
    }

    /// <summary>
    /// The products over all steps from the gates' gradients: dW_ih = dPᵀ·X, dW_hh = dQᵀ·H_prev, the
    /// biases' column sums, and dX = dP·W_ih; each target is written (or added onto, with its flag),
    /// and skipped when null.
    /// </summary>
    public void ParameterGradients(T[] dp, T[] dq, T[] input, Target weightIh, Target weightHh, Target biasIh, Target biasHh, Target inputGrad)
    {
        int k = _steps * _batch;
        if (weightIh.Array is { } wih) Gemm.Dispatch(true, false, _gates, _inputSize, k, dp, 0, input, 0, wih, 0, weightIh.Accumulate);
        int previous = (_reverse ? 1 : 0) * _batch * _hidden;
        if (weightHh.Array is { } whh) Gemm.Dispatch(true, false, _gates, _hidden, k, dq, 0, Hidden, previous, whh, 0, weightHh.Accumulate);
        ColumnSums(dp, k, biasIh);
        ColumnSums(dq, k, biasHh);
        if (inputGrad.Array is { } dx) Gemm.Dispatch(false, false, k, _inputSize, _gates, dp, 0, _weightIh, 0, dx, 0, inputGrad.Accumulate);
    }

    private void ColumnSums(T[] matrix, int rows, Target target)
    {
        if (target.Array is not { } sum) return;
        if (!target.Accumulate) Array.Clear(sum);
        Tensor.AddRows<T>(matrix.AsSpan(0, rows * _gates), sum);
    }

    /// <summary>Where a gradient goes: the array, and whether to add onto its values rather than overwrite them.</summary>
    public readonly record struct Target(T[]? Array, bool Accumulate);
}
