
namespace Nabla.Data;

/// <summary>How <see cref="TabularPreprocessor.Fit"/> reads a table.</summary>
/// <param name="Task">Classification, regression, or null to decide from the target column (the rule is in <see cref="TabularPreprocessor.Fit"/>).</param>
/// <param name="Missing">What to do with missing feature cells.</param>
/// <param name="Drop">Columns left out of the features, each by name or 0-based position (a name wins, as for the target):
/// an identifier, or a column that gives the answer away. Null or empty leaves every column but the target in.</param>
public sealed record TabularOptions(ModelTask? Task = null, MissingValuePolicy Missing = MissingValuePolicy.Error, IReadOnlyList<string>? Drop = null);
