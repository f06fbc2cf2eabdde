using System.Diagnostics;
using System.Globalization;
using Nabla.Training;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>
/// Progress for a terminal: a Spectre.Console bar per epoch that fills batch by batch, showing the
/// running loss and accuracy of the epoch, the throughput and the time left for the whole fit;
/// a finished epoch's bar keeps its <see cref="EpochLine"/>.
/// </summary>
internal sealed class LiveProgress(ProgressContext context) : ITrainingCallback
{
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
        _bar = context.AddTask(Markup.Escape($"epoch {trainer.Epoch}/{trainer.Epochs}"), maxValue: trainer.BatchCount);
    }

    /// <inheritdoc/>
    public void OnBatchEnd(Trainer trainer, Batch batch)
    {
        if (_bar is null) return;
        _epochSamples += batch.Count;
        _bar.Increment(1);
        double epochSeconds = Stopwatch.GetElapsedTime(_epochStart).TotalSeconds;
        double done = (trainer.Epoch - 1 + (double)(batch.Index + 1) / trainer.BatchCount) / trainer.Epochs;
        double left = Stopwatch.GetElapsedTime(_fitStart).TotalSeconds * (1 - done) / done;
        string accuracy = trainer.RunningAccuracy is { } a ? string.Create(CultureInfo.InvariantCulture, $"  acc {a:F4}") : "";
        _bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"epoch {trainer.Epoch}/{trainer.Epochs}  loss {trainer.RunningLoss:F4}{accuracy}  {_epochSamples / Math.Max(epochSeconds, 1e-9):N0} samples/s  {TimeSpan.FromSeconds(Math.Ceiling(left)):mm\\:ss} left"));
    }

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        if (_bar is null) return;
        _bar.Description = Markup.Escape(EpochLine.Format(epoch, trainer.Epochs));
        _bar.Value = _bar.MaxValue;
        _bar.StopTask();
    }
}
