namespace Nabla.Explain;

/// <summary>
/// Token attributions of a network that starts with an embedding, taken over the embedding layer's output as Captum's
/// <c>LayerIntegratedGradients</c> on the embedding does: the path runs from the baseline's vectors e' (the &lt;pad&gt; id's vector at
/// every position) to the text's vectors e, and token i's attribution is Σ_d (e − e')_{i,d} · ∫₀¹ ∂F/∂e_{i,d} (e' + α(e − e')) dα.
/// </summary>
/// <remarks>
/// The ids stay fixed along the path: the network reads them only to know each text's length or padding (its mask), so every
/// point of the path is the text's own network with other token vectors. Completeness then holds for the sum over positions:
/// Σᵢ attributionᵢ = F(e) − F(e').
/// </remarks>
public sealed class EmbeddingPathAttributor : TokenAttributor
{
    private readonly Func<Tensor, Tensor> _embed;
    private readonly Func<Tensor, Tensor, Tensor> _fromEmbedded;

    /// <summary>Explains a network given as its two halves, in one element type (Float64 for integrated gradients' tolerance).</summary>
    /// <param name="embed">The embedding: (N, L) Int32 ids to (N, L, D) vectors.</param>
    /// <param name="fromEmbedded">The rest: (N, L, D) vectors and the (N, L) ids they stand for to the outputs (N, outputs).</param>
    public EmbeddingPathAttributor(Func<Tensor, Tensor> embed, Func<Tensor, Tensor, Tensor> fromEmbedded)
    {
        _embed = embed ?? throw new ArgumentNullException(nameof(embed));
        _fromEmbedded = fromEmbedded ?? throw new ArgumentNullException(nameof(fromEmbedded));
    }

    /// <inheritdoc/>
    public override TokenAttributions IntegratedGradients(Tensor ids, int target, double absoluteTolerance)
    {
        RequireOneText(ids, "EmbeddingPathAttributor.IntegratedGradients");
        var (embedded, baseline) = Vectors(ids);
        var integrated = new IntegratedGradients(OfVectors(ids)) { AbsoluteTolerance = absoluteTolerance };
        var result = integrated.Attribute(embedded, target, Baseline.Row(baseline));
        return new TokenAttributions(PerPosition(result.Attributions), result.CompletenessError[0], result.ErrorBound[0], result.Evaluations[0], result.Converged[0]);
    }

    /// <inheritdoc/>
    public override TokenAttributions Saliency(Tensor ids, int target)
    {
        RequireOneText(ids, "EmbeddingPathAttributor.Saliency");
        var (embedded, baseline) = Vectors(ids);
        var gradient = Explain.Saliency.Compute(OfVectors(ids), embedded, target, absolute: false);
        return new TokenAttributions(PerPosition(gradient * (embedded.To(DType.Float64) - baseline.To(DType.Float64))), double.NaN, double.NaN, 1, true);
    }

    /// <summary>
    /// The outputs as a function of the text's vectors alone; integrated gradients batches the points of its path, so a batch of
    /// vectors stands for that many copies of the one text.
    /// </summary>
    private Func<Tensor, Tensor> OfVectors(Tensor ids)
    {
        var row = ids.ToArray<int>();
        return vectors =>
        {
            int copies = vectors.Size(0);
            var repeated = new int[copies * row.Length];
            for (int c = 0; c < copies; c++) row.CopyTo(repeated, c * row.Length);
            return _fromEmbedded(vectors, Tensor.FromArray(repeated, copies, row.Length));
        };
    }

    /// <summary>The text's vectors and the baseline's (the padding id's at every position), detached from the table.</summary>
    private (Tensor Embedded, Tensor Baseline) Vectors(Tensor ids)
    {
        using (Autograd.NoGrad()) return (_embed(ids).Detach(), _embed(Tensor.ZerosLike(ids)).Detach());
    }

    /// <summary>(1, L, D) per-dimension values summed over the vector: one value per position.</summary>
    private static double[] PerPosition(Tensor values) => values.To(DType.Float64).Sum(2).ToDoubleArray();
}
