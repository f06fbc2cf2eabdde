namespace Nabla;

/// <summary>How ops join the graph: record a node only when gradients are on and an input needs one.</summary>
internal static class Graph
{
    public static bool ShouldRecord(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    public static bool ShouldRecord(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    public static bool ShouldRecord(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Attaches <paramref name="node"/> as the producer of <paramref name="output"/> and returns the output.</summary>
    public static Tensor Record(Tensor output, Node node)
    {
        node.Output = output;
        output.AttachGradFn(node);
        return output;
    }

    /// <summary>
    /// Records <paramref name="output"/> as the result of <paramref name="op"/> on <paramref name="inputs"/>
    /// when <see cref="ShouldRecord(ReadOnlySpan{Tensor})"/>, with <paramref name="backward"/> as its rule;
    /// returns <paramref name="output"/> either way.
    /// </summary>
    public static Tensor Record(string op, ReadOnlySpan<Tensor> inputs, Tensor output, BackwardFunction backward)
        => ShouldRecord(inputs) ? Record(output, new Node(op, inputs.ToArray(), backward)) : output;

    /// <summary>For a backward rule: whether the pass running it is itself recorded (<c>createGraph</c>), so it must use differentiable tensor ops.</summary>
    public static bool IsBackwardRecorded => GradMode.IsEnabled;

    /// <summary>For a backward rule: the leaf's <see cref="Tensor.Grad"/> to add its gradient into in place, or null when it must return it; see <see cref="BackwardEngine.LeafGradTarget"/>.</summary>
    public static Tensor? LeafGradTarget(Tensor input) => BackwardEngine.LeafGradTarget(input);
}
