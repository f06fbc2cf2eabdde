using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// Conv with a constant 4-D weight and bias: a <see cref="Conv2d"/> of any kernel, stride and symmetric padding;
/// groups, dilations, auto_pad and 1-D or 3-D convolutions are refused by name.
/// </summary>
internal static class ConvolutionLayer
{
    /// <summary>The convolution <paramref name="node"/> computes.</summary>
    public static MatchedLayer Match(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 2, 3);
        var attributes = new NodeAttributes(graph, node, "auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        long groups = attributes.Int("group", 1);
        if (groups != 1) throw graph.Error(node, $"group = {groups} is not supported; Nabla imports convolutions of one group");
        var weight = graph.Floats(node, node.Input[1], "weight");
        if (weight.Rank != 4 || weight.Length == 0)
            throw graph.Error(node, $"its weight has shape {SampleShape.Format(weight.Shape)}; Nabla imports 2-D convolutions, whose weight is [out channels, in channels, height, width]");
        int outChannels = weight.Shape[0], inChannels = weight.Shape[1];
        var window = Window2d.Read(graph, node, attributes, (weight.Shape[2], weight.Shape[3]));
        var bias = OnnxGraph.OptionalInput(node, 2) is { } b ? graph.Floats(node, b, "bias") : null;
        if (bias is not null && (bias.Rank != 1 || bias.Length != outChannels))
            throw graph.Error(node, $"its bias has shape {SampleShape.Format(bias.Shape)}, expected [{outChannels}], one value per output channel");
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input =>
        {
            var output = window.Output(graph, node, input, outChannels);
            if (input[0] != inChannels)
                throw graph.Error(node, $"its weight reads {inChannels} channels, but the per-sample shape reaching it is {SampleShape.Format(input)}");
            var conv = new Conv2d(inChannels, outChannels, window.Kernel, window.Stride, window.Padding, (1, 1), bias: bias is not null, generator: ModuleWeights.Discarded);
            return new BuiltLayer(ModuleWeights.Load(conv, ("weight", weight), ("bias", bias)), output);
        });
    }
}
