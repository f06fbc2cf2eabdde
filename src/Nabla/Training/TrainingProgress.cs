namespace Nabla.Training;

/// <summary>A progress report from <see cref="ProgressReporter"/>: where training is and how the loss goes.</summary>
/// <param name="Epoch">The current epoch, from 1.</param>
/// <param name="Epochs">The number of epochs the fit runs at most.</param>
/// <param name="Batch">The batches finished in this epoch, from 1 (equal to <paramref name="BatchCount"/> in the end-of-epoch report).</param>
/// <param name="BatchCount">The number of batches per epoch.</param>
/// <param name="Loss">The mean training loss of the epoch so far.</param>
/// <param name="EpochResult">The finished epoch's record in the end-of-epoch report; null in per-batch reports.</param>
public readonly record struct TrainingProgress(int Epoch, int Epochs, int Batch, int BatchCount, double Loss, EpochResult? EpochResult)
{
    /// <summary>The share of the whole fit that is done, in [0, 1].</summary>
    public double Fraction => ((Epoch - 1) + (double)Batch / BatchCount) / Epochs;

    /// <summary>Where training is and the last batch's loss, e.g. "TrainingProgress { Epoch = 2/10, Batch = 5/32, Loss = 0.123 }", and the epoch's result once it ends.</summary>
    public override string ToString()
    {
        var text = new ResultText(nameof(TrainingProgress)).Add(nameof(Epoch), $"{Epoch}/{Epochs}").Add(nameof(Batch), $"{Batch}/{BatchCount}").Add(nameof(Loss), Loss);
        return (EpochResult is { } epoch ? text.Add(nameof(EpochResult), epoch.ToString()) : text).ToString();
    }
}
