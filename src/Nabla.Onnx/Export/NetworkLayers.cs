using Nabla.Models;
using Nabla.NN;
using Nabla.Onnx.Protobuf;
using Nabla.Text;
using static Nabla.Onnx.Export.OnnxGraphBuilder;

namespace Nabla.Onnx.Export;

/// <summary>
/// The graph part of a network: each layer of its architecture as the ONNX operators that compute it in
/// inference, with the module's weights as initializers of its type — Linear as Gemm, Conv2d as Conv (Float32: ONNX Runtime has no Float64 Conv), max
/// pooling as MaxPool, batch normalisation folded into the Linear before it (or as BatchNormalization),
/// dropout removed, GELU as its erf form; the layers that read token ids as <see cref="TextLayers"/> writes them.
/// </summary>
internal static class NetworkLayers
{
    /// <summary>Adds the layers after <paramref name="input"/>, the model's input in its <see cref="ModelArchitecture.InputShape"/>; returns the outputs, [N, outputs].</summary>
    public static string Build(OnnxGraphBuilder graph, ModelArchitecture architecture, Sequential network, string input, OnnxExportOptions options)
    {
        var value = input;
        var layers = architecture.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            var module = network[i];
            string name = $"layer{i}";
            switch (layers[i], module)
            {
                case (LinearSpec, Linear linear):
                    if (options.FoldBatchNorm && i + 1 < layers.Count && network[i + 1] is BatchNorm1d next && Rank(architecture, i) == 1)
                    {
                        var (weight, bias) = Folded(linear, next);
                        value = Gemm(graph, value, weight, bias, name);
                        i++;
                    }
                    else value = Gemm(graph, value, linear.Weight, linear.Bias, name);
                    break;
                case (ActivationSpec spec, _):
                    value = Activate(graph, value, spec.Function, module, name);
                    break;
                case (BatchNorm1dSpec, BatchNorm1d batchNorm):
                    value = graph.Node("BatchNormalization",
                        [value, graph.Weight($"{name}.weight", batchNorm.Weight!), graph.Weight($"{name}.bias", batchNorm.Bias!),
                         graph.Weight($"{name}.running_mean", batchNorm.RunningMean!), graph.Weight($"{name}.running_var", batchNorm.RunningVar!)],
                        name, [Float("epsilon", (float)batchNorm.Eps)]);
                    break;
                case (Conv2dSpec, Conv2d conv):
                    value = graph.InFloat32(value, name, (input, dtype) => Conv(graph, conv, input, dtype, name));
                    break;
                case (MaxPool2dSpec spec, _):
                    value = graph.Node("MaxPool", [value], name, [Ints("kernel_shape", spec.KernelSize, spec.KernelSize), Ints("strides", spec.Stride, spec.Stride)]);
                    break;
                case (DropoutSpec, _):
                    // Inference: dropout is the identity.
                    break;
                case (FlattenSpec, _):
                    value = graph.Node("Flatten", [value], name, [Int("axis", 1)]);
                    break;
                case (SequenceClassifierSpec, SequenceClassifier classifier):
                    value = TextLayers.SequenceClassifier(graph, classifier, value, architecture.InputShape[0], name);
                    break;
                case (EmbeddingBagSpec, EmbeddingBag bag):
                    value = TextLayers.EmbeddingBag(graph, bag, value, name);
                    break;
                case (TfidfLinearSpec, TfidfLinear tfidf):
                    value = TextLayers.TfidfLinear(graph, tfidf, value, name);
                    break;
                default:
                    throw new NotSupportedException($"OnnxExport: layer {i}, {layers[i].Description}, has no ONNX form in this version.");
            }
        }
        return value;
    }

    /// <summary>The rank of one sample's input to layer <paramref name="index"/>.</summary>
    private static int Rank(ModelArchitecture architecture, int index) =>
        architecture.InputShapeOf(index).Count;

    private static string Conv(OnnxGraphBuilder graph, Conv2d conv, string input, DType dtype, string name)
    {
        var inputs = new List<string> { input, graph.Weight($"{name}.weight", conv.Weight, dtype) };
        if (conv.Bias is not null) inputs.Add(graph.Weight($"{name}.bias", conv.Bias, dtype));
        return graph.Node("Conv", [.. inputs], $"{name}.conv",
        [
            Ints("kernel_shape", conv.KernelSize.Height, conv.KernelSize.Width),
            Ints("strides", conv.Stride.Height, conv.Stride.Width),
            Ints("pads", conv.Padding.Height, conv.Padding.Width, conv.Padding.Height, conv.Padding.Width),
            Ints("dilations", conv.Dilation.Height, conv.Dilation.Width),
            Int("group", conv.Groups),
        ]);
    }

    /// <summary>A Linear layer's input·weightᵀ + bias.</summary>
    public static string Gemm(OnnxGraphBuilder graph, string input, Tensor weight, Tensor? bias, string name)
    {
        string[] inputs = bias is null
            ? [input, graph.Weight($"{name}.weight", weight)]
            : [input, graph.Weight($"{name}.weight", weight), graph.Weight($"{name}.bias", bias)];
        return graph.Node("Gemm", inputs, name, [Int("transB", 1)]);
    }

    /// <summary>
    /// A Linear layer followed by batch normalisation in inference as one: y = γ (Wx + b − μ) / √(σ² + ε) + β,
    /// so W' = diag(γ / √(σ² + ε)) W and b' = (b − μ) γ / √(σ² + ε) + β, computed in Float64.
    /// </summary>
    private static (Tensor Weight, Tensor Bias) Folded(Linear linear, BatchNorm1d batchNorm)
    {
        var gamma = batchNorm.Weight!.ToDoubleArray();
        var beta = batchNorm.Bias!.ToDoubleArray();
        var mean = batchNorm.RunningMean!.ToDoubleArray();
        var variance = batchNorm.RunningVar!.ToDoubleArray();
        var weight = linear.Weight.ToDoubleArray();
        var bias = linear.Bias?.ToDoubleArray() ?? new double[linear.OutFeatures];
        int inputs = linear.InFeatures;
        for (int o = 0; o < linear.OutFeatures; o++)
        {
            double factor = gamma[o] / Math.Sqrt(variance[o] + batchNorm.Eps);
            for (int j = 0; j < inputs; j++) weight[o * inputs + j] *= factor;
            bias[o] = (bias[o] - mean[o]) * factor + beta[o];
        }
        return (Tensor.FromArray(weight, linear.OutFeatures, inputs), Tensor.FromArray(bias));
    }

    /// <summary>An elementwise activation.</summary>
    public static string Activate(OnnxGraphBuilder graph, string input, Activation function, Module? module, string name) => function switch
    {
        Activation.Relu => graph.Node("Relu", [input], name),
        Activation.LeakyRelu => graph.Node("LeakyRelu", [input], name, [Float("alpha", (float)((module as LeakyReLU)?.NegativeSlope ?? 0.01))]),
        Activation.Sigmoid => graph.Node("Sigmoid", [input], name),
        Activation.Tanh => graph.Node("Tanh", [input], name),
        Activation.Gelu => Gelu(graph, input, name),
        Activation.Identity => input,
        _ => throw new NotSupportedException($"OnnxExport: the activation {function} has no ONNX form in this version."),
    };

    /// <summary>GELU as x · ½ (1 + erf(x / √2)): the operator itself is opset 20, after what most servers run. ONNX Runtime has no Float64 Erf, so a Float64 network's erf is Float32.</summary>
    private static string Gelu(OnnxGraphBuilder graph, string x, string name)
    {
        var scaled = graph.Node("Mul", [x, graph.Scalar($"{name}.inv_sqrt2", 1 / Math.Sqrt(2))], $"{name}.scaled");
        var erf = graph.InFloat32(scaled, $"{name}.erf", (input, _) => graph.Node("Erf", [input], $"{name}.erf_float32"));
        var onePlus = graph.Node("Add", [erf, graph.Scalar($"{name}.one", 1)], $"{name}.one_plus");
        var half = graph.Node("Mul", [x, graph.Scalar($"{name}.half", 0.5)], $"{name}.half_x");
        return graph.Node("Mul", [half, onePlus], name);
    }
}
