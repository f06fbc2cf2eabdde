namespace Nabla;

/// <summary>
/// The one way ops, losses and layers talk to the autograd engine: they record nodes here, and their
/// backward rules ask here how the running pass wants its gradients. Nothing outside Autograd/
/// creates a <see cref="Node"/> or reads the engine's state.
/// </summary>
/// <remarks>
/// <para>An op computes its result, then hands it to <see cref="Record(string, ReadOnlySpan{Tensor}, Tensor, BackwardFunction)"/>
/// with its inputs and its backward rule, written right below the forward:</para>
/// <code>
/// var y = ...;                                            // the forward, outside the graph
/// return Graph.Record(nameof(Exp), [this], y, static (g, n) => [g * n.Output!]);
/// </code>
/// <para>A rule that needs more than the inputs and the output (an axis, a scalar, an index tensor)
/// gets it as a typed state, saved by the overload that takes one:</para>
/// <code>
/// return Graph.Record(nameof(Softmax), [this], y, static (g, n, axis) => [...], d);
/// </code>
/// <para>
/// Record returns the output unchanged when gradients are off or no input requires one, so an op
/// needs no check of its own; one that would do extra work only for the graph (saving positions,
/// inverting a permutation) may first ask <see cref="ShouldRecord(Tensor)"/>. Rules are static
/// lambdas (no closure) and states small records or structs (stored inside the node); a state may hold
/// tensors, which are dropped with the node when the pass frees the graph.
/// </para>
/// </remarks>
internal static class Graph
{
    /// <summary>Whether an op on <paramref name="a"/> would be recorded: gradients are on and it requires one.</summary>
    public static bool ShouldRecord(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    /// <summary>Whether an op on <paramref name="a"/> and <paramref name="b"/> would be recorded.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    /// <summary>Whether an op on <paramref name="inputs"/> would be recorded: gradients are on and one of them requires one.</summary>
    public static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        foreach (var t in inputs)
            if (t.RequiresGrad) return GradMode.IsEnabled;
        return false;
    }

    /// <summary>
    /// Records <paramref name="output"/> as the result of <paramref name="op"/> on <paramref name="inputs"/>
    /// when <see cref="ShouldRecord(ReadOnlySpan{Tensor})"/>, so that a backward pass sends its gradient
    /// through <paramref name="backward"/>; returns <paramref name="output"/> either way.
    /// </summary>
    /// <param name="op">The op's name, shown in errors and in <see cref="Tensor.GradFnName"/>.</param>
    /// <param name="inputs">The tensors the rule returns gradients for, in order (copied when recorded).</param>
    /// <param name="output">The op's result, computed outside the graph; it becomes a non-leaf that requires gradients.</param>
    /// <param name="backward">The rule: one gradient (or null) per input, written with tensor ops so it can be recorded too.</param>
    public static Tensor Record(string op, ReadOnlySpan<Tensor> inputs, Tensor output, BackwardFunction backward)
        => ShouldRecord(inputs) ? Attach(new StatelessNode(op, inputs.ToArray(), output, backward)) : output;

    /// <summary>
    /// As <see cref="Record(string, ReadOnlySpan{Tensor}, Tensor, BackwardFunction)"/>, for a rule that reads
    /// <paramref name="state"/>: what the op saved for it, handed back in its own type.
    /// </summary>
    /// <param name="op">The op's name, shown in errors and in <see cref="Tensor.GradFnName"/>.</param>
    /// <param name="inputs">The tensors the rule returns gradients for, in order (copied when recorded).</param>
    /// <param name="output">The op's result, computed outside the graph; it becomes a non-leaf that requires gradients.</param>
    /// <param name="backward">The rule, called with the output's gradient, the node and <paramref name="state"/>.</param>
    /// <param name="state">What the rule needs besides inputs and output; released with the graph.</param>
    public static Tensor Record<TState>(string op, ReadOnlySpan<Tensor> inputs, Tensor output, BackwardFunction<TState> backward, TState state)
        => ShouldRecord(inputs) ? Attach(new Node<TState>(op, inputs.ToArray(), output, backward, state)) : output;

    private static Tensor Attach(Node node)
    {
        var output = node.Output!;
        output.AttachGradFn(node);
        return output;
    }

    /// <summary>
    /// For a backward rule: whether the pass running it is itself recorded (<c>createGraph</c>), so the
    /// gradients must be built with differentiable tensor ops. When false the rule may use fused kernels
    /// and scratch buffers whose results have no graph.
    /// </summary>
    public static bool IsBackwardRecorded => GradMode.IsEnabled;

    /// <summary>
    /// For a backward rule that can add its gradient for <paramref name="input"/> straight into that
    /// leaf's <see cref="Tensor.Grad"/> (a layer's weight gradient, saving an allocation and a copy per
    /// step): the tensor to write into in place, after which the rule returns null for that input. With
    /// <paramref name="overwrite"/> the tensor's values are undefined (the leaf had no gradient yet, or
    /// it was zeroed lazily) and the rule must write every element, as if adding onto zeros; otherwise
    /// it adds onto them. Null when it must return the gradient instead: the pass captures gradients
    /// (<see cref="Autograd.Grad(Tensor[], Tensor[], Tensor[], bool, bool, bool?)"/>) or records
    /// itself, the input is not a leaf that requires gradients, or its <c>Grad</c> is recorded or does not match it.
    /// </summary>
    public static Tensor? LeafGradTarget(Tensor input, out bool overwrite) => BackwardEngine.LeafGradTarget(input, out overwrite);
}
