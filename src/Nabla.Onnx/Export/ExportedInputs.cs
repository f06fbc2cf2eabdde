namespace Nabla.Onnx.Export;

/// <summary>
/// The values a preprocessing part of an export hands to the model part: the prepared features, and
/// a Bool [N, 1] value that is true for the rows <c>nabla predict</c> would refuse (a missing cell
/// under the error policy, an infinite number), whose outputs are then made NaN with an empty label;
/// null when no row can be refused.
/// </summary>
internal sealed record ExportedInputs(string Features, string? Refused);
