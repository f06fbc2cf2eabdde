namespace Nabla.Data;

/// <summary>How <see cref="TabularPreprocessor.Fit"/> reads a table.</summary>
/// <param name="Task">Classification, regression, or <see cref="PredictionTask.Auto"/> to decide from the target column.</param>
/// <param name="Missing">What to do with missing feature cells.</param>
public sealed record TabularOptions(PredictionTask Task = PredictionTask.Auto, MissingValuePolicy Missing = MissingValuePolicy.Error);
