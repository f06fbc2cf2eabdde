namespace Nabla.Explain;

/// <summary>
/// Attributions of a text model's output to the tokens of a text, given as a row of vocabulary ids: the text models' counterpart
/// of <see cref="IntegratedGradients"/> and <see cref="Saliency"/>, whose inputs (whole-number ids) have no gradient of their own.
/// Each implementation knows where its model's input becomes continuous: <see cref="EmbeddingPathAttributor"/> at the embedding
/// layer's output, <see cref="TfidfTermAttributor"/> at the TF-IDF vector.
/// </summary>
/// <remarks>
/// The baseline is the text of padding only: the &lt;pad&gt; id's vector at every position (zero in Nabla's text networks, whose padding
/// row is zero), or the empty text for a TF-IDF model. A position holding the padding id is the baseline already and gets 0.
/// </remarks>
public abstract class TokenAttributor
{
    /// <summary>Integrated gradients of output <paramref name="target"/> from the baseline to the text, summed per position.</summary>
    /// <param name="ids">One text's ids, (1, L) Int32, padded with 0 after its tokens.</param>
    /// <param name="target">The output (class index) to explain.</param>
    /// <param name="absoluteTolerance">The bound asked of the quadrature's error (see <see cref="IntegratedGradients.AbsoluteTolerance"/>).</param>
    /// <exception cref="ArgumentException">The ids are not one (1, L) Int32 row, or the target is not an output.</exception>
    public abstract TokenAttributions IntegratedGradients(Tensor ids, int target, double absoluteTolerance);

    /// <summary>
    /// Saliency per position: the gradient of output <paramref name="target"/> with respect to the position's continuous input, times
    /// that input's difference from the baseline, summed (gradient × input, the first-order share of each token).
    /// </summary>
    /// <param name="ids">One text's ids, (1, L) Int32, padded with 0 after its tokens.</param>
    /// <param name="target">The output (class index) to explain.</param>
    /// <exception cref="ArgumentException">The ids are not one (1, L) Int32 row, or the target is not an output.</exception>
    public abstract TokenAttributions Saliency(Tensor ids, int target);

    /// <summary>Throws unless <paramref name="ids"/> is one (1, L) Int32 row.</summary>
    private protected static void RequireOneText(Tensor ids, string who)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Rank != 2 || ids.Size(0) != 1 || ids.DType != DType.Int32)
            throw new ArgumentException($"{who}: the ids must be one text, a (1, L) Int32 tensor, got {ids.DType} of shape {Shapes.Format(ids.ShapeArray)}.", nameof(ids));
    }
}
