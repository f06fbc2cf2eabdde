using Nabla.NN;
using Nabla.Onnx.Protobuf;

namespace Nabla.Onnx.Import;

/// <summary>
/// BatchNormalization at inference (its running statistics, training_mode 0): <see cref="BatchNorm1d"/> over
/// vectors or (channels, length) samples, <see cref="BatchNorm2d"/> over images, with the file's epsilon and
/// its momentum turned into PyTorch's (ONNX keeps the running statistics' share, PyTorch the new batch's).
/// </summary>
internal static class BatchNormLayer
{
    /// <summary>The batch normalisation <paramref name="node"/> computes.</summary>
    public static MatchedLayer Match(OnnxGraph graph, NodeProto node)
    {
        graph.RequireArity(node, 5, 5);
        var attributes = new NodeAttributes(graph, node, "epsilon", "momentum", "training_mode", "spatial");
        if (attributes.Int("training_mode", 0) != 0)
            throw graph.Error(node, "training_mode = 1 is not supported; Nabla imports the network for inference, where batch norm uses its running statistics");
        if (attributes.Int("spatial", 1) != 1) throw graph.Error(node, "spatial = 0 (statistics per element) is not supported");
        double eps = attributes.Float("epsilon", 1e-5), kept = attributes.Float("momentum", 0.9);
        if (!(eps > 0 && double.IsFinite(eps))) throw graph.Error(node, $"epsilon = {eps} is not a positive number");
        if (!(kept >= 0 && kept <= 1)) throw graph.Error(node, $"momentum = {kept} is not in [0, 1]");
        // In decimal, so ONNX's 0.9 becomes PyTorch's 0.1 and not 0.09999999999999998.
        double momentum = (double)(1m - (decimal)kept);
        string[] roles = ["scale", "bias", "running mean", "running variance"];
        var tensors = roles.Select((role, i) => graph.Floats(node, node.Input[i + 1], role)).ToArray();
        int features = tensors[0].Length;
        if (tensors.Any(t => t.Rank != 1 || t.Length != features || features == 0))
            throw graph.Error(node, $"its scale, bias, mean and variance have shapes {string.Join(", ", tensors.Select(t => SampleShape.Format(t.Shape)))}; each must hold one value per channel");
        return new MatchedLayer(node.Input[0], node.Output[0], [node], input =>
        {
            if (input.Length is < 1 or > 3 || input[0] != features)
                throw graph.Error(node, $"it normalises {features} channels, but the per-sample shape reaching it is {SampleShape.Format(input)}");
            BatchNorm layer = input.Length == 3 ? new BatchNorm2d(features, eps, momentum) : new BatchNorm1d(features, eps, momentum);
            return new BuiltLayer(ModuleWeights.Load(layer, ("weight", tensors[0]), ("bias", tensors[1]), ("running_mean", tensors[2]), ("running_var", tensors[3])), input);
        });
    }
}
