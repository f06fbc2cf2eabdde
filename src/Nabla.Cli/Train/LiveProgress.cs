using System.Diagnostics;
using System.Globalization;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// Progress for a terminal: a Spectre.Console bar per epoch that fills batch by batch, showing the
/// running loss and accuracy of the epoch, the throughput and the time left for the whole fit
/// (<see cref="RemainingTime"/>: from the pace after the first batch, which pays for compiling the code);
/// a finished epoch's bar keeps its <see cref="EpochLine"/>.
/// </summary>
internal sealed class LiveProgress(ProgressContext context, EpochLine line) : ITrainingCallback
{
    private readonly RemainingTime _remaining = new();
    private ProgressTask? _bar;
    private long _fitStart, _epochStart;
    private int _epochSamples;

    /// <inheritdoc/>
    public void OnTrainBegin(Trainer trainer) => _fitStart = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public void OnEpochBegin(Trainer trainer)
    {
        _epochStart = Stopwatch.GetTimestamp();
        _epochSamples = 0;
        _bar = context.AddTask(Markup.Escape(line.Counter(trainer.Epoch)), maxValue: trainer.BatchCount);
    }

    /// <inheritdoc/>
    public void OnBatchEnd(Trainer trainer, Batch batch)
    {
        if (_bar is null) return;
        _epochSamples += batch.Count;
        _bar.Increment(1);
        double epochSeconds = Stopwatch.GetElapsedTime(_epochStart).TotalSeconds;
        double done = (trainer.Epoch - 1 + (double)(batch.Index + 1) / trainer.BatchCount) / trainer.Epochs;
        _remaining.Update(Math.Min(done, 1), Stopwatch.GetElapsedTime(_fitStart));
        string left = _remaining.Estimate is { } estimate ? $"{TimeSpan.FromSeconds(Math.Ceiling(estimate.TotalSeconds)):mm\\:ss}" : "--:--";
        string accuracy = trainer.RunningAccuracy is { } a ? $"  acc {ModelText.Metric(a)}" : "";
        _bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{line.Counter(trainer.Epoch)}  loss {ModelText.Metric(trainer.RunningLoss)}{accuracy}  {_epochSamples / Math.Max(epochSeconds, 1e-9):N0} samples/s  {left} left"));
    }

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        if (_bar is null) return;
        _bar.Description = Markup.Escape(line.Format(epoch));
        _bar.Value = _bar.MaxValue;
        _bar.StopTask();
    }
}
