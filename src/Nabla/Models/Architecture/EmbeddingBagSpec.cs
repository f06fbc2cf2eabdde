using Nabla.NN;

namespace Nabla.Models;

/// <summary>
/// The mean of the token vectors of a text (<see cref="NN.EmbeddingBag"/>, mode mean, id 0 the padding and left
/// out): a bag of embeddings, as fastText; JSON kind "embedding_bag". It reads a row of token ids padded with 0,
/// so it is the first layer.
/// </summary>
/// <param name="NumEmbeddings">The number of token ids, padding and unknown included (JSON "num_embeddings").</param>
/// <param name="EmbeddingDim">The length of each token vector and of the output (JSON "embedding_dim").</param>
public sealed record EmbeddingBagSpec(int NumEmbeddings, int EmbeddingDim) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "embedding_bag";

    /// <inheritdoc/>
    public override string Description => $"EmbeddingBag({NumEmbeddings} → {EmbeddingDim}, mean)";

    internal override bool ReadsTokenIds => true;

    internal override int[] OutputShape(int[] input, int index)
    {
        if (NumEmbeddings <= 2) throw Invalid(index, $"num_embeddings must be above 2 (<pad>, <unk> and a token), got {NumEmbeddings}");
        RequirePositive(index, "embedding_dim", EmbeddingDim);
        RequireTokenIds(index, input);
        return [EmbeddingDim];
    }

    internal override Module Build(DType dtype, Generator generator) =>
        new EmbeddingBag(NumEmbeddings, EmbeddingDim, EmbeddingBagMode.Mean, paddingIndex: 0, generator, dtype);

    internal override bool Matches(Module module) =>
        module is EmbeddingBag bag && bag.NumEmbeddings == NumEmbeddings && bag.EmbeddingDim == EmbeddingDim
        && bag.Mode == EmbeddingBagMode.Mean && bag.PaddingIndex == 0;

    internal override IEnumerable<ExpectedTensor> State => [new("weight", [NumEmbeddings, EmbeddingDim], true)];
}
