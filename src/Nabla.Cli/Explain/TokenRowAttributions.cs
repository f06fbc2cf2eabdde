using Nabla.Explain;
using Nabla.Models;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>
/// The attributions of chosen rows of a text model to their tokens (<see cref="TokenAttributor"/>): each row explaining the class asked
/// for or its predicted class, each token shown as the model's vocabulary writes it, padding positions left out.
/// </summary>
internal static class TokenRowAttributions
{
    /// <summary>Explains <paramref name="rows"/> of the token ids <paramref name="inputs"/> by integrated gradients or saliency.</summary>
    /// <param name="method">Integrated gradients or saliency.</param>
    /// <param name="attributor">The model file's token attributions (<see cref="DifferentiableModel.TokensOf"/>).</param>
    /// <param name="pipeline">The model file with its preprocessing, which predicts each row.</param>
    /// <param name="vocabulary">The model's vocabulary, which names each id.</param>
    /// <param name="inputs">All the rows of the data as Int32 ids, (rows, L).</param>
    /// <param name="rows">The 0-based rows to explain.</param>
    /// <param name="target">The class index to explain in every row; null for each row's predicted class.</param>
    public static RowExplanation[] Compute(ExplainMethod method, TokenAttributor attributor, ModelPipeline pipeline, Vocabulary vocabulary,
        Tensor inputs, int[] rows, int? target)
    {
        var predictions = pipeline.Predict(inputs.IndexSelect(0, Tensor.FromArray(rows)));
        var predictedClasses = predictions.ClassIndices!.ToArray<int>();
        var explanations = new RowExplanation[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var ids = inputs.Slice(0, rows[i], 1);
            int explained = target ?? predictedClasses[i];
            var result = method == ExplainMethod.IntegratedGradients
                ? attributor.IntegratedGradients(ids, explained, RowAttributions.Tolerance)
                : attributor.Saliency(ids, explained);
            var values = ids.ToArray<int>();
            int[] positions = [.. Enumerable.Range(0, values.Length).Where(p => values[p] != Vocabulary.PaddingId)];
            var tokens = new TokenList(positions, [.. positions.Select(p => vocabulary.TokenOf(values[p]))]);
            double[] attributions = [.. positions.Select(p => result.Values[p])];
            explanations[i] = method == ExplainMethod.IntegratedGradients
                ? new(rows[i], predictions.Labels[i], null, predictions.Classes[explained], attributions,
                    Math.Abs(result.CompletenessError), result.ErrorBound, result.Evaluations, result.Converged, tokens)
                : new(rows[i], predictions.Labels[i], null, predictions.Classes[explained], attributions, Tokens: tokens);
        }
        return explanations;
    }
}
