namespace Nabla.Cli;

/// <summary>What <c>nabla train --task</c> predicts.</summary>
internal enum TaskKind
{
    /// <summary>Decided by the data: class labels give classification, numbers regression.</summary>
    Auto,

    /// <summary>Predict one class per sample.</summary>
    Classification,

    /// <summary>Predict a number per sample.</summary>
    Regression,
}
