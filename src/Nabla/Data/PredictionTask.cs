namespace Nabla.Data;

/// <summary>What a model predicts from a table: a class, a number, or whichever the target column suggests.</summary>
public enum PredictionTask
{
    /// <summary>Decide from the target column (see <see cref="TabularPreprocessor.Fit"/> for the rule).</summary>
    Auto,

    /// <summary>A class label: text, or one of a few whole numbers.</summary>
    Classification,

    /// <summary>A real number.</summary>
    Regression,
}
