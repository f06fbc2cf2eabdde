namespace Nabla.Explain;

/// <summary>What a text model's output owes to each token of one text (<see cref="TokenAttributor"/>).</summary>
/// <param name="Values">One signed attribution per position of the text's ids, padding positions included (their attribution is 0).</param>
/// <param name="CompletenessError">Σ <paramref name="Values"/> − (F(text) − F(baseline)): 0 for exact integration; NaN for saliency, which promises no sum.</param>
/// <param name="ErrorBound">The estimated quadrature error of integrated gradients; 0 where the attributions are exact, NaN for saliency.</param>
/// <param name="Evaluations">The gradients evaluated: along the path for integrated gradients, 1 for saliency, 0 where the attributions are exact.</param>
/// <param name="Converged">Whether integrated gradients met its tolerance within its budget (true where exact or for saliency).</param>
public sealed record TokenAttributions(double[] Values, double CompletenessError, double ErrorBound, int Evaluations, bool Converged);
