namespace Nabla.Models;

/// <summary>The rows of a data file as <see cref="ModelPipeline.ReadRows"/> prepares them for the model.</summary>
/// <param name="Inputs">The prepared rows, [rows, ...<see cref="Data.Preprocessor.SampleShape"/>], as prediction feeds them to the model.</param>
/// <param name="Targets">
/// When asked for, the true targets as evaluation scores against: class indices (Int32 [rows]) for classification, values in the
/// target's units (Float64 [rows]) for regression; otherwise null.
/// </param>
public sealed record PreparedRows(Tensor Inputs, Tensor? Targets);
