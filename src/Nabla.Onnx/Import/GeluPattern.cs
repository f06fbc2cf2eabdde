using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// GELU as exporters write it below opset 20, from elementwise nodes: x·0.5·(1 + erf(x/√2)), which PyTorch 1.13
/// exports as Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5). The product may be grouped and ordered any way, the
/// division may be a product by 1/√2, and the constants may be initializers or Constant nodes; it becomes one
/// <see cref="GELU"/>.
/// </summary>
internal static class GeluPattern
{
    private const int MostProducts = 3;

    /// <summary>The GELU whose last node is the Mul <paramref name="last"/>; any other Mul is refused.</summary>
    public static MatchedLayer Match(OnnxGraph graph, NodeProto last)
    {
        var products = new List<NodeProto>();
        var factors = new List<string>();
        Collect(graph, last, products, factors);
        var constants = factors.Where(graph.IsConstant).ToList();
        var computed = factors.Where(f => !graph.IsConstant(f)).ToList();
        if (factors.Count == 3 && constants.Count == 1 && Scalar(graph, last, constants[0]) is { } half && Near(half, 0.5) && computed.Count == 2)
        {
            foreach (var (x, sum) in new[] { (computed[0], computed[1]), (computed[1], computed[0]) })
                if (OnePlusErf(graph, sum, x) is { } nodes)
                    return new MatchedLayer(x, last.Output[0], [.. products, .. nodes], input => new BuiltLayer(new GELU(), input));
        }
        throw graph.Error(last, "Nabla reads a Mul only inside GELU's erf form, x·0.5·(1 + erf(x/√2)), and this one is not");
    }

    /// <summary>The factors of the product <paramref name="node"/> computes, through the Mul nodes that only this product reads.</summary>
    private static void Collect(OnnxGraph graph, NodeProto node, List<NodeProto> products, List<string> factors)
    {
        graph.RequireArity(node, 2, 2);
        _ = new NodeAttributes(graph, node);
        products.Add(node);
        foreach (string operand in node.Input)
        {
            if (graph.Producer(operand) is { OpType: "Mul" } inner && products.Count < MostProducts && graph.Consumers(operand).Count == 1)
                Collect(graph, inner, products, factors);
            else
                factors.Add(operand);
        }
    }

    /// <summary>The nodes of 1 + erf(x/√2) when <paramref name="sum"/> is that, or null.</summary>
    private static NodeProto[]? OnePlusErf(OnnxGraph graph, string sum, string x)
    {
        if (graph.Producer(sum) is not { OpType: "Add", Input.Count: 2, Attribute.Count: 0 } add) return null;
        int one = graph.IsConstant(add.Input[1]) ? 1 : 0;
        if (Scalar(graph, add, add.Input[one]) is not { } value || !Near(value, 1)) return null;
        if (graph.Producer(add.Input[1 - one]) is not { OpType: "Erf", Input.Count: 1, Attribute.Count: 0 } erf) return null;
        if (graph.Producer(erf.Input[0]) is not { Input.Count: 2, Attribute.Count: 0 } scale) return null;
        int constant = graph.IsConstant(scale.Input[1]) ? 1 : 0;
        if (scale.Input[1 - constant] != x || Scalar(graph, scale, scale.Input[constant]) is not { } factor) return null;
        bool scaled = scale.OpType switch
        {
            "Div" => constant == 1 && Near(factor, Math.Sqrt(2)),
            "Mul" => Near(factor, 1 / Math.Sqrt(2)),
            _ => false,
        };
        return scaled ? [add, erf, scale] : null;
    }

    /// <summary>The one value a constant holds, or null when it is computed or holds several.</summary>
    private static double? Scalar(OnnxGraph graph, NodeProto node, string value)
    {
        if (!graph.IsConstant(value)) return null;
        var tensor = graph.Floats(node, value, "constant");
        return tensor.Length == 1 ? tensor.Item() : null;
    }

    /// <summary>Equal to Float32 precision: the constants are stored in Float32.</summary>
    private static bool Near(double value, double target) => Math.Abs(value - target) <= 1e-6 * Math.Abs(target);
}
