namespace Nabla.Cli;

/// <summary>What <c>nabla explain</c> found for one row.</summary>
/// <param name="Row">The row's 0-based number in the data.</param>
/// <param name="Predicted">The predicted class, or the predicted value as text.</param>
/// <param name="PredictedValue">A regression model's predicted value; null for a classifier.</param>
/// <param name="Explained">The class whose output is explained; null for a regression model's one output.</param>
/// <param name="Attributions">One attribution per prepared feature, in the model's order; for a text model, one per token of <paramref name="Tokens"/>.</param>
/// <param name="CompletenessError">Integrated gradients' |Σ attributions − (F(x) − F(baseline))|; null for the other methods.</param>
/// <param name="ErrorBound">Integrated gradients' estimated quadrature error; null for the other methods.</param>
/// <param name="Evaluations">The gradients integrated gradients evaluated; null for the other methods.</param>
/// <param name="Converged">Whether integrated gradients met its tolerance within its budget; null for the other methods.</param>
/// <param name="Tokens">For a text model, the row's tokens the attributions belong to; null when they belong to the prepared features.</param>
internal sealed record RowExplanation(int Row, string Predicted, double? PredictedValue, string? Explained, double[] Attributions,
    double? CompletenessError = null, double? ErrorBound = null, int? Evaluations = null, bool? Converged = null, TokenList? Tokens = null)
{
    /// <summary>The name of each attribution: the row's tokens for a text model, else the prepared features' <paramref name="features"/>.</summary>
    public IReadOnlyList<string> NamesOr(IReadOnlyList<string> features) => Tokens?.Names ?? features;
}
