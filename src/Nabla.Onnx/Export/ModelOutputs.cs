namespace Nabla.Onnx.Export;

/// <summary>
/// What the model part of an export computes, before the outputs are named: a classifier's scores (logits or
/// decision function, [N, K] or [N, 1] for a binary linear model), its class probabilities ([N, K], null when
/// the model has none) and the index of its class (Int64 [N]); a regressor's values ([N, targets]) in
/// <see cref="Scores"/> alone. <see cref="ScoreWidth"/> is the number of scores a row has.
/// </summary>
internal sealed record ModelOutputs(string Scores, int ScoreWidth, string? Probabilities, string? ClassIndex);
