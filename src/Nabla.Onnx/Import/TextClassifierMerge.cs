using Nabla.NN;

namespace Nabla.Onnx.Import;

/// <summary>
/// Makes an embedding whose row 0 is zero (PyTorch's <c>Embedding(padding_idx=0)</c>), a recurrent layer's final hidden
/// state and a linear layer, the first three modules of a network, one <see cref="SequenceClassifier"/> (pooling
/// <see cref="SequencePoolingMode.Last"/>, no dropout): the text classifier Nabla trains, saves in model files and
/// runs in <c>nabla predict</c>. It takes id 0 as padding: each text runs up to its last non-zero id, where PyTorch's
/// layer runs over every id given, so the two agree on texts that do not end in id 0.
/// </summary>
internal static class TextClassifierMerge
{
    /// <summary><paramref name="modules"/>, with the first three made one text classifier when they are one.</summary>
    public static List<Module> Merge(List<Module> modules)
    {
        if (modules is not [Embedding embedding, RecurrentFinalState { Recurrent: { HasBias: true } recurrent }, Linear { Bias: not null } output, ..]
            || embedding.Weight.ToArray<float>().AsSpan(0, embedding.EmbeddingDim).IndexOfAnyExcept(0f) >= 0)
            return modules;
        var kind = recurrent is LSTM ? RecurrentLayerKind.Lstm : RecurrentLayerKind.Gru;
        var classifier = new SequenceClassifier(embedding.NumEmbeddings, embedding.EmbeddingDim, recurrent.HiddenSize, output.OutFeatures, kind,
            generator: ModuleWeights.Discarded);
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["embedding.weight"] = embedding.Weight };
        foreach (var (name, tensor) in recurrent.StateDict()) state[$"recurrent.{name}"] = tensor;
        state["output.weight"] = output.Weight;
        state["output.bias"] = output.Bias!;
        classifier.LoadStateDict(state);
        return [classifier, .. modules.Skip(3)];
    }
}
