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
}
