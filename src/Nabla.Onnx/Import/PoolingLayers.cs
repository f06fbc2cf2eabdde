using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// MaxPool and AveragePool over square windows with one stride and symmetric padding: <see cref="MaxPool2d"/> and
/// <see cref="AvgPool2d"/>. PyTorch exports <c>AvgPool2d(padding=p)</c> as a Pad of zeros followed by an AveragePool
/// without padding, which is read back as one average pooling whose padding counts in the divisor.
/// </summary>
internal static class PoolingLayers
{
    /// <summary>MaxPool with its indices output unread.</summary>
    public static MatchedLayer Max(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        var attributes = new NodeAttributes(graph, node, "auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides");
        if (attributes.Int("storage_order", 0) != 0) throw graph.Error(node, "storage_order = 1 is not supported");
        var window = SquareWindow(graph, node, attributes);
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input =>
            new BuiltLayer(new MaxPool2d(window.Kernel.Height, window.Stride.Height, window.Padding.Height), window.Output(graph, node, input)));
    }

    /// <summary>AveragePool, with the Pad of zeros before it when there is one.</summary>
    public static MatchedLayer Average(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 1, 1);
        var attributes = new NodeAttributes(graph, node, "auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides");
        var window = SquareWindow(graph, node, attributes);
        bool countIncludePad = attributes.Int("count_include_pad", 0) != 0;
        var nodes = new List<NodeProto> { node };
        string input = node.Input[0];
        if (graph.Producer(input) is { OpType: "Pad" } pad && graph.Consumers(input).Count == 1)
        {
            if (window.Padding != (0, 0))
                throw graph.Error(node, "it pads its input and a Pad node pads it before; Nabla reads one padding");
            int padding = ZeroPadding(graph, pad);
            window = window with { Padding = (padding, padding) };
            window.RequirePoolPadding(graph, pad);
            // The zeros the Pad node adds are values the pooling averages: they count in the divisor.
            countIncludePad = true;
            nodes.Add(pad);
            input = pad.Input[0];
        }
        return new MatchedLayer(input, node.Output[0], nodes, shape =>
            new BuiltLayer(new AvgPool2d(window.Kernel.Height, window.Stride.Height, window.Padding.Height, countIncludePad: countIncludePad),
                window.Output(graph, node, shape)));
    }

    /// <summary>A standalone Pad, which Nabla's layers do not do.</summary>
    public static MatchedLayer Pad(OnnxGraph graph, NodeProto node) =>
        throw graph.Error(node, "Nabla reads a Pad only right before an AveragePool (PyTorch's AvgPool2d with padding)");

    /// <summary>The window of a pooling node, which must be square, with one stride and one padding for both axes, and floor rounding.</summary>
    private static Window2d SquareWindow(OnnxGraph graph, NodeProto node, NodeAttributes attributes)
    {
        if (attributes.Int("ceil_mode", 0) != 0) throw graph.Error(node, "ceil_mode = 1 is not supported; Nabla's pooling rounds the output size down");
        var window = Window2d.Read(graph, node, attributes, kernel: null);
        if (window.Kernel.Height != window.Kernel.Width || window.Stride.Height != window.Stride.Width || window.Padding.Height != window.Padding.Width)
            throw graph.Error(node, $"its window is {window.Kernel.Height}×{window.Kernel.Width}, stride ({window.Stride.Height}, {window.Stride.Width}), padding ({window.Padding.Height}, {window.Padding.Width}); Nabla's pooling windows are square, with one stride and one padding for both axes");
        window.RequirePoolPadding(graph, node);
        return window;
    }

    /// <summary>The padding a Pad node adds: zeros, the same on every side of height and width, none on the batch and channels.</summary>
    private static int ZeroPadding(OnnxGraph graph, NodeProto pad)
    {
        long[] pads;
        double value;
        if (graph.Opset < 11)
        {
            graph.RequireArity(pad, 1, 1);
            var attributes = new NodeAttributes(graph, pad, "mode", "pads", "value");
            RequireConstantMode(graph, pad, attributes);
            pads = attributes.Ints("pads") ?? throw graph.Error(pad, "pads is missing");
            value = attributes.Float("value", 0);
        }
        else
        {
            graph.RequireArity(pad, 2, 3);
            RequireConstantMode(graph, pad, new NodeAttributes(graph, pad, "mode"));
            pads = graph.Integers(pad, pad.Input[1], "pads");
            var fill = OnnxGraph.OptionalInput(pad, 2) is { } given ? graph.Floats(pad, given, "constant_value") : null;
            if (fill is { Length: not 1 }) throw graph.Error(pad, $"its constant_value has {fill.Length} values, expected one");
            value = fill?.Item() ?? 0;
        }
        if (value != 0) throw graph.Error(pad, $"it pads with {value}; Nabla's average pooling pads with zeros");
        // [batch, channels, height, width] at the start, then the same at the end.
        bool spatialOnly = pads.Length == 8 && pads[0] == 0 && pads[1] == 0 && pads[4] == 0 && pads[5] == 0;
        if (!spatialOnly || pads[3] != pads[2] || pads[6] != pads[2] || pads[7] != pads[2] || pads[2] is < 0 or > int.MaxValue)
            throw graph.Error(pad, $"pads {SampleShape.Format(pads)} are not the same on every side of the height and width alone; Nabla's average pooling pads so");
        return (int)pads[2];
    }

    private static void RequireConstantMode(OnnxGraph graph, NodeProto pad, NodeAttributes attributes)
    {
        string mode = attributes.String("mode", "constant");
        if (mode != "constant") throw graph.Error(pad, $"mode = \"{mode}\" is not supported; Nabla's average pooling pads with zeros (mode \"constant\")");
    }
}
