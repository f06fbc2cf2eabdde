using Nabla.IO;

namespace Nabla.Data;

/// <summary>How <see cref="TabularPreprocessor.Fit"/> reads a table.</summary>
/// <param name="Task">Classification, regression, or null to decide from the target column (the rule is in <see cref="TabularPreprocessor.Fit"/>).</param>
/// <param name="Missing">What to do with missing feature cells.</param>
public sealed record TabularOptions(ModelTask? Task = null, MissingValuePolicy Missing = MissingValuePolicy.Error);
