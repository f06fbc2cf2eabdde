using Nabla.NN;
using Nabla.Text;

namespace Nabla.Models;

/// <summary>
/// A linear model over the TF-IDF rows of texts given as token ids (<see cref="TfidfLinear"/>): logistic
/// regression or a linear SVM over TF-IDF features, by the loss it is trained with; JSON kind "tfidf_linear".
/// It reads a row of token ids padded with 0, so it is the first layer.
/// </summary>
/// <param name="VocabularySize">The number of token ids, padding and unknown included (JSON "vocabulary_size").</param>
/// <param name="OutFeatures">The number of outputs (JSON "out_features").</param>
/// <param name="SublinearTf">Whether a term counted c times weighs 1 + ln c instead of c (JSON "sublinear_tf").</param>
public sealed record TfidfLinearSpec(int VocabularySize, int OutFeatures, bool SublinearTf) : LayerSpec
{
    /// <inheritdoc/>
    public override string Kind => "tfidf_linear";

    /// <inheritdoc/>
    public override string Description => $"TF-IDF({VocabularySize}{(SublinearTf ? ", sublinear tf" : "")}) → Linear({VocabularySize} → {OutFeatures})";

    internal override bool ReadsTokenIds => true;

    internal override int[] OutputShape(int[] input, int index)
    {
        if (VocabularySize <= 2) throw Invalid(index, $"vocabulary_size must be above 2 (<pad>, <unk> and a term), got {VocabularySize}");
        RequirePositive(index, "out_features", OutFeatures);
        RequireTokenIds(index, input);
        return [OutFeatures];
    }

    internal override Module Build(DType dtype, Generator generator) => new TfidfLinear(VocabularySize, OutFeatures, SublinearTf, dtype);

    internal override bool Matches(Module module) =>
        module is TfidfLinear model && model.VocabularySize == VocabularySize && model.Linear.OutFeatures == OutFeatures
        && model.SublinearTf == SublinearTf && model.Linear.Bias is not null;

    internal override IEnumerable<ExpectedTensor> State =>
        [new("idf", [VocabularySize], false), new("linear.weight", [VocabularySize, OutFeatures], true), new("linear.bias", [OutFeatures], true)];
}
