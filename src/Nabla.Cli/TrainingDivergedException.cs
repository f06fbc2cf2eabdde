using System.Globalization;

namespace Nabla.Cli;

/// <summary>The loss stopped being a finite number during training: the steps were too large.</summary>
internal sealed class TrainingDivergedException(int epoch, double learningRate, double loss)
    : Exception(string.Create(CultureInfo.InvariantCulture,
        $"training diverged: the loss became {(double.IsNaN(loss) ? "NaN" : "infinite")} at epoch {epoch} with learning rate {learningRate:G4}; try a lower rate, e.g. --lr {learningRate / 10:G4}."))
{
    /// <summary>The epoch (counted from 1) whose loss was not finite.</summary>
    public int Epoch { get; } = epoch;
}
