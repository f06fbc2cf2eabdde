namespace Nabla.Onnx.Export;

/// <summary>
/// The names of an export's graph outputs, reserved right after its inputs so that no inner value takes them: the label or
/// prediction (after the target column), and a classifier's "probabilities" and "scores" (with a number after them when an
/// input has the name).
/// </summary>
internal sealed record OutputNames(string Target, string Probabilities, string Scores)
{
    /// <summary>Reserves the names in <paramref name="graph"/>.</summary>
    public static OutputNames Reserve(OnnxGraphBuilder graph, string target) =>
        new(graph.Unique(target), graph.Unique("probabilities"), graph.Unique("scores"));
}
