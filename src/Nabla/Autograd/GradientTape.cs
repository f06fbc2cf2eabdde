namespace Nabla;

/// <summary>
/// TensorFlow's recording style on Nabla's autograd engine: compute inside a tape's scope, then ask
/// it for gradients.
/// </summary>
/// <example>
/// <code>
/// using var tape = new GradientTape();
/// tape.Watch(x);                                   // x: a constant the tape should follow
/// var loss = ((x.MatMul(w) + b - y).Pow(2)).Mean();
/// var grads = tape.Gradient(loss, [w, b]);          // [dL/dw, dL/db]
/// optimizer.ApplyGradients(grads, [w, b]);         // one step, as TensorFlow's apply_gradients(zip(grads, vars))
/// </code>
/// </example>
/// <remarks>
/// Tensors that already require gradients (parameters) are followed without <see cref="Watch"/>, as
/// TensorFlow follows trainable variables. <see cref="Watch"/> makes any other leaf tensor followed
/// until the tape is disposed. The gradients are returned, never accumulated into <see cref="Tensor.Grad"/>.
/// A tape gives one set of gradients unless it was created <c>persistent</c>.
/// </remarks>
public sealed class GradientTape : IDisposable
{
    private readonly List<Tensor> _watchedByTape = [];
    private readonly List<Tensor> _watched = [];
    private bool _used;
    private bool _disposed;

    /// <summary>Starts recording.</summary>
    /// <param name="persistent">Allow several <see cref="Gradient(Tensor, IReadOnlyList{Tensor}, Tensor?)"/> calls (the graph is kept until disposal).</param>
    public GradientTape(bool persistent = false) => Persistent = persistent;

    /// <summary>Whether the tape allows more than one <c>Gradient</c> call.</summary>
    public bool Persistent { get; }

    /// <summary>The tensors this tape was asked to watch.</summary>
    public IReadOnlyList<Tensor> WatchedTensors => _watched;

    /// <summary>Makes the tape follow operations on <paramref name="tensor"/> from now on.</summary>
    /// <exception cref="ArgumentException">The tensor is Int32 (labels and indices have no gradient).</exception>
    /// <exception cref="ObjectDisposedException">The tape was disposed.</exception>
    public void Watch(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!tensor.IsFloatingPoint)
            throw new ArgumentException("GradientTape.Watch: an Int32 tensor (labels, indices) has no gradient; watch floating-point tensors only.", nameof(tensor));
        _watched.Add(tensor);
        if (!tensor.RequiresGrad)
        {
            tensor.RequiresGrad = true;
            _watchedByTape.Add(tensor);
        }
    }

    /// <summary>
    /// The gradients of <paramref name="target"/> with respect to each source; for a non-scalar target,
    /// of its sum (or of Σ target ⊙ <paramref name="outputGradient"/>). A source the target does not
    /// depend on, or that was neither watched nor requires gradients, gets null, as in TensorFlow.
    /// </summary>
    /// <exception cref="InvalidOperationException">A non-persistent tape was already used once.</exception>
    public Tensor?[] Gradient(Tensor target, IReadOnlyList<Tensor> sources, Tensor? outputGradient = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sources);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_used && !Persistent)
            throw new InvalidOperationException("GradientTape.Gradient: a non-persistent tape gives one set of gradients; create it with persistent: true to call Gradient again.");
        _used = true;

        var result = new Tensor?[sources.Count];
        if (!target.RequiresGrad) return result;
        var tracked = new List<int>();
        for (int i = 0; i < sources.Count; i++)
            if (sources[i].RequiresGrad) tracked.Add(i);
        if (tracked.Count == 0) return result;

        var seed = outputGradient ?? Tensor.OnesLike(target);
        var grads = Autograd.Grad([target], tracked.Select(i => sources[i]).ToArray(), [seed], allowUnused: true, retainGraph: Persistent);
        for (int k = 0; k < tracked.Count; k++) result[tracked[k]] = grads[k];
        return result;
    }

    /// <summary>The gradient of <paramref name="target"/> with respect to one source (null if unconnected).</summary>
    public Tensor? Gradient(Tensor target, Tensor source) => Gradient(target, [source])[0];

    /// <summary>Stops following the tensors this tape started watching.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var tensor in _watchedByTape)
            if (tensor.IsLeaf) tensor.RequiresGrad = false;
    }
}
