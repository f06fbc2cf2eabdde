namespace Nabla;

/// <summary>
/// Computes the gradients of an op's inputs from the gradient of its output. Written with tensor
/// ops, so that with <c>createGraph</c> the backward pass is itself recorded and differentiable.
/// Returns one entry per input; null where no gradient flows.
/// </summary>
internal delegate Tensor?[] BackwardFunction(Tensor grad, Node node);

/// <summary>
/// One recorded op in the graph: its inputs, what its backward rule needs, and the rule itself.
/// Backward rules are static lambdas reading these fields, so recording allocates no closures.
/// </summary>
internal sealed class Node(string op, Tensor[] inputs, BackwardFunction backward)
{
    /// <summary>The op's name, as shown in errors and in <see cref="Tensor.GradFnName"/>.</summary>
    public readonly string Op = op;

    public Tensor[] Inputs = inputs;
    public BackwardFunction? Backward = backward;

    /// <summary>The op's result, for rules written in terms of it (exp, tanh, sigmoid, softmax).</summary>
    public Tensor? Output;

    /// <summary>Op parameters the backward rule needs (a scalar, an axis, a shape, a mask).</summary>
    public double Scalar;
    public double Scalar2;
    public int Axis;
    public int[]? Ints;
    public Tensor? Saved;

    public bool IsReleased => Backward is null;

    /// <summary>Drops the saved tensors so a finished graph can be collected.</summary>
    public void Release()
    {
        Backward = null;
        Inputs = [];
        Output = null;
        Saved = null;
    }
}
