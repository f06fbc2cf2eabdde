using System.Globalization;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>One finished epoch as a short line of text, the same in the plain log and under the live progress bars.</summary>
internal static class EpochLine
{
    /// <summary>"epoch  3/20  loss 0.1234  val loss 0.1111  val acc 0.9650  lr 0.002  0.12 s" (the learning rate the epoch started with); a value not measured shows as "–".</summary>
    public static string Format(EpochResult epoch, int epochs)
    {
        int digits = epochs.ToString(CultureInfo.InvariantCulture).Length;
        string counter = epoch.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(digits);
        return string.Create(CultureInfo.InvariantCulture,
            $"epoch {counter}/{epochs}  loss {epoch.Loss:F4}  val loss {Value(epoch.ValidationLoss)}  val acc {Value(epoch.ValidationAccuracy)}  lr {epoch.LearningRate.ToString("G4", CultureInfo.InvariantCulture).Replace('E', 'e')}  {epoch.Duration.TotalSeconds:F2} s");
    }

    private static string Value(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "–";
}
