namespace Nabla;

/// <summary>
/// Computes the gradients of an op's inputs from the gradient of its output. Written with tensor
/// ops, so that with <c>createGraph</c> the backward pass is itself recorded and differentiable.
/// Returns one entry per input; null where no gradient flows.
/// </summary>
internal delegate Tensor?[] BackwardFunction(Tensor grad, Node node);

/// <summary>
/// A backward rule that also receives what its op saved when it was recorded (an axis, a scalar, an
/// index tensor, a record of several), in the type the op chose: <see cref="BackwardFunction"/>
/// plus <paramref name="state"/>.
/// </summary>
internal delegate Tensor?[] BackwardFunction<in TState>(Tensor grad, Node node, TState state);

/// <summary>
/// One recorded op in the graph: its name, its inputs, its output, and the rule that sends the
/// output's gradient back to the inputs. Ops never create nodes themselves: they call
/// <see cref="Graph.Record(string, ReadOnlySpan{Tensor}, Tensor, BackwardFunction)"/> (or its
/// overload with a state), which makes the right kind of node.
/// </summary>
internal abstract class Node
{
    private protected Node(string op, Tensor[] inputs, Tensor output)
    {
        Op = op;
        Inputs = inputs;
        Output = output;
    }

    /// <summary>The op's name, as shown in errors and in <see cref="Tensor.GradFnName"/>.</summary>
    public string Op { get; }

    /// <summary>The op's inputs, in the order its rule returns their gradients; empty once released.</summary>
    public Tensor[] Inputs { get; private set; }

    /// <summary>The op's result, for rules written in terms of it (exp, tanh, sigmoid, softmax); null once released.</summary>
    public Tensor? Output { get; private set; }

    /// <summary>Whether <see cref="Release"/> has dropped what the rule needs.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>Runs the backward rule: the gradients of <see cref="Inputs"/> for output gradient <paramref name="grad"/>.</summary>
    public abstract Tensor?[] Backward(Tensor grad);

    /// <summary>Drops the inputs, the output and the saved state (tensors included) so a finished graph can be collected.</summary>
    public void Release()
    {
        IsReleased = true;
        Inputs = [];
        Output = null;
        ReleaseState();
    }

    /// <summary>Drops the rule and whatever it saved.</summary>
    private protected abstract void ReleaseState();
}

/// <summary>A node whose rule needs nothing beyond its inputs and output.</summary>
internal sealed class StatelessNode(string op, Tensor[] inputs, Tensor output, BackwardFunction backward)
    : Node(op, inputs, output)
{
    private BackwardFunction? _backward = backward;

    public override Tensor?[] Backward(Tensor grad) => _backward!(grad, this);

    private protected override void ReleaseState() => _backward = null;
}

/// <summary>
/// A node whose rule reads a typed <typeparamref name="TState"/> saved at recording time. A struct
/// state lives inside the node (no extra allocation); a static rule lambda allocates no closure.
/// </summary>
internal sealed class Node<TState>(string op, Tensor[] inputs, Tensor output, BackwardFunction<TState> backward, TState state)
    : Node(op, inputs, output)
{
    private BackwardFunction<TState>? _backward = backward;
    private TState _state = state;

    public override Tensor?[] Backward(Tensor grad) => _backward!(grad, this, _state);

    /// <summary>Resets the state to its default, which drops any tensor it holds.</summary>
    private protected override void ReleaseState()
    {
        _backward = null;
        _state = default!;
    }
}
