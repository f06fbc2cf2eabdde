using Nabla.Text;

namespace Nabla.Explain;

/// <summary>
/// Token attributions of a linear model over TF-IDF rows (<see cref="TfidfLinear"/>), exact: output c is Σⱼ W[j, c]·tfidfⱼ + b_c,
/// linear in the TF-IDF vector, so integrated gradients from the empty text (tfidf = 0, output b_c) gives term j exactly
/// W[j, c]·tfidfⱼ, with no quadrature. A term that occurs several times in the text shares its attribution equally among its positions.
/// </summary>
/// <remarks>
/// Each output is its own linear function (the model's columns, as trained), so nothing is subtracted for another class. The unknown
/// id carries no TF-IDF weight and gets 0, as does padding. Saliency's gradient × input is the same product, so both methods agree.
/// </remarks>
public sealed class TfidfTermAttributor : TokenAttributor
{
    private readonly TfidfLinear _model;

    /// <summary>Explains <paramref name="model"/>.</summary>
    public TfidfTermAttributor(TfidfLinear model) => _model = model ?? throw new ArgumentNullException(nameof(model));

    /// <inheritdoc/>
    public override TokenAttributions IntegratedGradients(Tensor ids, int target, double absoluteTolerance) =>
        Attribute(ids, target, "TfidfTermAttributor.IntegratedGradients");

    /// <inheritdoc/>
    public override TokenAttributions Saliency(Tensor ids, int target) => Attribute(ids, target, "TfidfTermAttributor.Saliency");

    private TokenAttributions Attribute(Tensor ids, int target, string who)
    {
        RequireOneText(ids, who);
        int outputs = _model.Linear.OutFeatures;
        if (target < 0 || target >= outputs)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"{who}: target {target} is not an output of the model, which has {outputs} (targets 0 to {outputs - 1}).");
        var rows = _model.Weigh(ids);
        var weight = _model.Linear.Weight.ToDoubleArray();
        var termAttribution = new Dictionary<int, double>();
        var columns = rows.ColumnsOf(0);
        var tfidf = rows.ValuesOf(0);
        for (int k = 0; k < columns.Length; k++) termAttribution[columns[k]] = weight[columns[k] * outputs + target] * tfidf[k];

        var values = ids.ToArray<int>();
        var occurrences = values.Where(termAttribution.ContainsKey).CountBy(id => id).ToDictionary();
        var attributions = values.Select(id => termAttribution.TryGetValue(id, out double share) ? share / occurrences[id] : 0).ToArray();
        // The check integrated gradients makes: the shares add up to the output's change from the empty text.
        double change;
        using (Autograd.NoGrad())
            change = _model.Forward(ids).ToDoubleArray()[target] - _model.Forward(Tensor.ZerosLike(ids)).ToDoubleArray()[target];
        return new TokenAttributions(attributions, attributions.Sum() - change, 0, 0, true);
    }
}
