namespace Nabla.NN;

/// <summary>Which recurrence a <see cref="RecurrentLayer"/> runs; selects the fused step kernels.</summary>
internal enum RecurrentCellKind
{
    /// <summary>h′ = tanh(W_ih·x + b_ih + W_hh·h + b_hh).</summary>
    RnnTanh,

    /// <summary>h′ = max(0, W_ih·x + b_ih + W_hh·h + b_hh).</summary>
    RnnRelu,

    /// <summary>Long short-term memory: gates i, f, g, o; c′ = f⊙c + i⊙g, h′ = o⊙tanh(c′).</summary>
    Lstm,

    /// <summary>Gated recurrent unit: gates r, z, n; h′ = (1 − z)⊙n + z⊙h.</summary>
    Gru,
}
