using Nabla.Models;
using Nabla.NN;

namespace Nabla.Onnx.Import;

/// <summary>
/// The model-file architecture of an imported network, when each of its layers has a <see cref="LayerSpec"/>: the
/// layers a Nabla model file describes by kind and sizes. A last Softmax or LogSoftmax is left out of it: a
/// classifier's model file gives its outputs and their softmax, which is the same with or without it. A linear
/// layer or convolution without bias gets a zero one, which computes the same.
/// </summary>
internal static class ImportedArchitecture
{
    /// <summary>The architecture of <paramref name="modules"/> over samples of <paramref name="inputShape"/>, or why there is none.</summary>
    public static (ModelArchitecture? Architecture, string? Problem) Of(IReadOnlyList<Module> modules, int[] inputShape)
    {
        var specs = new List<LayerSpec>();
        for (int i = 0; i < modules.Count; i++)
        {
            if (i == modules.Count - 1 && modules[i] is Softmax or LogSoftmax) break;
            var (spec, problem) = SpecOf(modules[i]);
            if (spec is null) return (null, $"layer {i} ({modules[i].GetType().Name}) has no form in a Nabla model file: {problem}");
            specs.Add(spec);
        }
        try
        {
            return (new ModelArchitecture(inputShape, specs), null);
        }
        catch (ArgumentException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Whether the network's last module is a softmax, which <see cref="Of"/> leaves out of the architecture.</summary>
    public static bool EndsInSoftmax(IReadOnlyList<Module> modules) => modules.Count > 0 && modules[^1] is Softmax or LogSoftmax;

    private static (LayerSpec? Spec, string? Problem) SpecOf(Module module) => module switch
    {
        Linear linear => (new LinearSpec(linear.InFeatures, linear.OutFeatures), null),
        ReLU => (new ActivationSpec(Activation.Relu), null),
        Sigmoid => (new ActivationSpec(Activation.Sigmoid), null),
        Tanh => (new ActivationSpec(Activation.Tanh), null),
        GELU => (new ActivationSpec(Activation.Gelu), null),
        LeakyReLU { NegativeSlope: 0.01 } => (new ActivationSpec(Activation.LeakyRelu), null),
        LeakyReLU leaky => (null, $"its negative slope is {leaky.NegativeSlope}, and model files hold leaky ReLUs of slope 0.01"),
        BatchNorm1d { Eps: 1e-5 } batchNorm => (new BatchNorm1dSpec(batchNorm.NumFeatures), null),
        BatchNorm1d batchNorm => (null, $"its epsilon is {batchNorm.Eps}, and model files hold batch norms of epsilon 1e-5"),
        Flatten => (new FlattenSpec(), null),
        Conv2d { KernelSize.Height: var k, KernelSize.Width: var kw, Stride.Height: var s, Stride.Width: var sw, Padding.Height: var p, Padding.Width: var pw } conv
            when k == kw && s == sw && p == pw => (new Conv2dSpec(conv.InChannels, conv.OutChannels, k, s, p), null),
        Conv2d => (null, "model files hold convolutions with a square kernel and the same stride and padding on both axes"),
        MaxPool2d { Padding: 0 } pool => (new MaxPool2dSpec(pool.KernelSize, pool.Stride), null),
        MaxPool2d => (null, "model files hold max pooling without padding"),
        SequenceClassifier text => (new SequenceClassifierSpec(text.Kind, text.Embedding.NumEmbeddings, text.Embedding.EmbeddingDim, text.Recurrent.HiddenSize,
            text.Recurrent.NumLayers, text.Recurrent.Bidirectional, text.Pooling, text.Dropout.P, text.Output.OutFeatures), null),
        AvgPool2d => (null, "model files hold max pooling, not average pooling"),
        BatchNorm2d => (null, "model files hold batch norms of vectors, not of images (PyTorch's export for inference folds a batch norm that follows a convolution into it)"),
        Softmax or LogSoftmax => (null, "model files hold a softmax only as the last layer of a classifier, where they leave it out"),
        Embedding or RecurrentFinalState => (null, "model files hold an embedding and a recurrent layer only as a text classifier: an embedding whose row 0 is zero (padding), an LSTM or GRU, and a linear layer"),
        _ => (null, "model files have no such layer"),
    };
}
