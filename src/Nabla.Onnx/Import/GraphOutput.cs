using System.Text.Json;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Chooses the output a graph is imported for, and keeps only what computes it: the output named by the caller; else the
/// graph's only one; else, for a model Nabla exported, its network's raw outputs ("scores"). The nodes and inputs that output
/// does not depend on (a label lookup, probabilities) are left out, so the rest can be read as a chain.
/// </summary>
internal static class GraphOutput
{
    /// <summary>The graph of <paramref name="model"/> cut down to the output chosen.</summary>
    /// <exception cref="InvalidDataException">No output has the name given, or the graph has several outputs and none was named.</exception>
    public static GraphProto Choose(ModelProto model, string? name, string source)
    {
        var graph = model.Graph;
        var names = graph.Output.Select(o => o.Name).ToList();
        string chosen;
        if (name is not null)
            chosen = names.Contains(name) ? name : throw new InvalidDataException($"{source}: the graph has no output '{name}'; its outputs are {List(names)}.");
        else if (names.Count == 1)
            return graph;
        else
            chosen = NablaScores(model, names) ?? throw new InvalidDataException(
                $"{source}: the graph has {names.Count} outputs ({List(names)}); Nabla imports a chain of layers, which gives one: name the output to import.");
        return Pruned(graph, chosen);
    }

    /// <summary>The "scores" output of a classifier Nabla exported (its logits), named in the model's "outputs" metadata; null for any other model.</summary>
    private static string? NablaScores(ModelProto model, List<string> names)
    {
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        if (metadata.GetValueOrDefault("format") != Nabla.Models.ModelFile.Format || metadata.GetValueOrDefault("task") != "classification"
            || metadata.GetValueOrDefault("outputs") is not { } outputs)
            return null;
        try
        {
            // The label, then the probabilities when the model has them, then the scores.
            var written = JsonSerializer.Deserialize<string[]>(outputs);
            return written is { Length: >= 2 } && names.Contains(written[^1]) ? written[^1] : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A copy of <paramref name="graph"/> with only <paramref name="output"/>, the nodes it depends on (in their order) and the inputs they read.</summary>
    private static GraphProto Pruned(GraphProto graph, string output)
    {
        var needed = new HashSet<string>(StringComparer.Ordinal) { output };
        var kept = new List<NodeProto>();
        for (int i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (!node.Output.Any(needed.Contains)) continue;
            kept.Add(node);
            foreach (string input in node.Input) needed.Add(input);
        }
        kept.Reverse();
        var pruned = new GraphProto { Name = graph.Name, DocString = graph.DocString };
        pruned.Initializer.AddRange(graph.Initializer.Where(t => needed.Contains(t.Name)));
        pruned.SparseInitializer.AddRange(graph.SparseInitializer);
        pruned.Input.AddRange(graph.Input.Where(i => needed.Contains(i.Name)));
        pruned.Output.Add(graph.Output.First(o => o.Name == output));
        pruned.ValueInfo.AddRange(graph.ValueInfo.Where(v => needed.Contains(v.Name)));
        pruned.Node.AddRange(kept);
        return pruned;
    }

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
