using System.Buffers;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// Records a run as it trains: appends its events to <see cref="FileName"/> in a folder of its own, one JSON object a
/// line (JSON Lines), so a run can be watched while it trains, compared with others, and read back after a crash with
/// <see cref="RunLogReader"/>.
/// </summary>
/// <remarks>
/// <para>The events, each with an <c>"event"</c> field naming it: <c>"settings"</c> once at the start (the run's name,
/// start time, the settings given here and Nabla's version); <c>"epoch"</c> after each epoch (the losses and accuracies
/// of <see cref="EpochResult"/>, the learning rate, seconds and samples per second, and, when a
/// <see cref="GradientDiagnostics"/> comes before this callback in <see cref="Trainer.Callbacks"/>, each parameter's
/// gradient norm); <c>"step"</c> every <see cref="StepInterval"/> batches when asked for; and <c>"end"</c> once training
/// ends (<see cref="End"/>), saying how.</para>
/// <para>The file is only appended to, and forced to disk (fsync) after the settings and after each epoch, so a process
/// killed at any instant (SIGKILL, power loss) loses at most the epoch in progress and leaves at most one half-written
/// last line, which the reader skips. A log is never overwritten: training refuses to start when the file exists, so
/// each run needs a folder of its own (a resumed run too).</para>
/// </remarks>
/// <example>
/// <code>
/// using var log = new RunLog("runs/digits-adam", new Dictionary&lt;string, string&gt; { ["lr"] = "0.001" });
/// trainer.Callbacks.Add(log);
/// trainer.Fit(train, epochs: 20, validation);
/// RunLogContents run = RunLogReader.Read(log.Path);
/// </code>
/// </example>
public sealed class RunLog : ITrainingCallback, IDisposable
{
    /// <summary>The name of the log file in <see cref="Directory"/>.</summary>
    public const string FileName = "events.jsonl";

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly int _stepInterval;
    private readonly ArrayBufferWriter<byte> _line = new();
    private FileStream? _file;
    private Trainer? _trainer;
    private GradientDiagnostics? _diagnostics;
    private int _epochSamples;
    private bool _ended;

    /// <summary>Creates the log; nothing is written until training begins.</summary>
    /// <param name="directory">The run's folder, created when missing; its name is the run's name.</param>
    /// <param name="settings">What describes the run (model, learning rate, data), recorded in the settings event; null for nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or has no folder name (such as "/").</exception>
    public RunLog(string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(directory)));
        if (name.Length == 0)
            throw new ArgumentException($"RunLog: '{directory}' has no folder name to name the run by; give a folder of its own, such as runs/first.", nameof(directory));
        Directory = directory;
        Name = name;
        _settings = settings is null ? new Dictionary<string, string>() : new Dictionary<string, string>(settings, StringComparer.Ordinal);
    }

    /// <summary>The run's folder.</summary>
    public string Directory { get; }

    /// <summary>The run's name: the name of <see cref="Directory"/>.</summary>
    public string Name { get; }

    /// <summary>The log file: <see cref="FileName"/> in <see cref="Directory"/>.</summary>
    public string Path => System.IO.Path.Combine(Directory, FileName);

    /// <summary>Write a step event after every this many optimizer steps; 0 (the default) writes none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int StepInterval
    {
        get => _stepInterval;
        init => _stepInterval = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(StepInterval), value, $"RunLog: the step interval must be at least 0 batches (0 for no step events), got {value}.");
    }

    /// <summary>
    /// Writes the end event, once, and forces the log to disk: <see cref="OnTrainEnd"/> does it when training ends or a
    /// callback stops it; call it yourself with <see cref="RunOutcome.Interrupted"/> or <see cref="RunOutcome.Failed"/>
    /// when <see cref="Trainer.Fit(DataLoader, int, DataLoader?)"/> throws. Does nothing before training began or after the end was written.
    /// </summary>
    /// <param name="outcome">How the run ended.</param>
    /// <param name="reason">Why it stopped, or null.</param>
    public void End(RunOutcome outcome, string? reason = null)
    {
        if (_file is null || _trainer is null || _ended) return;
        _ended = true;
        int? best = _trainer.Callbacks.OfType<EarlyStopping>().FirstOrDefault() is { BestEpoch: > 0 } stopping ? stopping.BestEpoch : null;
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.EndEvent);
            json.WriteString("time", RunLogFormat.Time(DateTimeOffset.Now));
            json.WriteString("outcome", RunLogFormat.Outcomes[(int)outcome]);
            if (reason is not null) json.WriteString("reason", reason);
            json.WriteNumber("epochs", _trainer.History.Epochs.Count);
            if (best is { } epoch) json.WriteNumber("best_epoch", epoch);
        }, toDisk: true);
    }

    /// <summary>Closes the file; a run whose end was not written reads back as one that was killed.</summary>
    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">A <see cref="GradientDiagnostics"/> comes after this callback, so its epoch report would not be ready; or the log already ran a fit.</exception>
    /// <exception cref="IOException">The log file exists (another run's), or cannot be created.</exception>
    public void OnTrainBegin(Trainer trainer)
    {
        if (_trainer is not null)
            throw new InvalidOperationException($"RunLog: the log in '{Directory}' already recorded a fit; give each fit (a resumed one too) a RunLog of its own, in a folder of its own.");
        int position = trainer.Callbacks.IndexOf(this);
        var diagnostics = trainer.Callbacks.OfType<GradientDiagnostics>().FirstOrDefault();
        if (diagnostics is not null && trainer.Callbacks.IndexOf(diagnostics) > position)
            throw new InvalidOperationException($"RunLog must come after GradientDiagnostics in the trainer's callbacks, so that each epoch's gradient report is ready when it is logged; it is at position {position + 1}, the diagnostics at {trainer.Callbacks.IndexOf(diagnostics) + 1}.");
        System.IO.Directory.CreateDirectory(Directory);
        if (File.Exists(Path)) throw AlreadyThere(null);
        // The settings go to a temporary file that is then moved into place, so that a reader never finds the log
        // without them (as an empty file, while the first line is written); the move refuses a log that appeared meanwhile.
        string temporary = System.IO.Path.Combine(Directory, $".{FileName}.{Guid.NewGuid():N}.tmp");
        _file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            WriteSettings();
            _file.Dispose();
            File.Move(temporary, Path, overwrite: false);
        }
        catch (Exception e)
        {
            _file.Dispose();
            _file = null;
            File.Delete(temporary);
            if (e is IOException && File.Exists(Path)) throw AlreadyThere(e);
            throw;
        }
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        (_trainer, _diagnostics) = (trainer, diagnostics);
    }

    private IOException AlreadyThere(Exception? inner) =>
        new($"RunLog: '{Path}' already holds a run log; a run never writes over another's: give this run a folder of its own.", inner);

    private void WriteSettings()
    {
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.SettingsEvent);
            json.WriteString("run", Name);
            json.WriteString("start", RunLogFormat.Time(DateTimeOffset.Now));
            json.WriteString("nabla", LibraryVersion.Current);
            json.WriteStartArray("settings");
            foreach (var (name, value) in _settings)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("value", value);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }, toDisk: true);
    }

    /// <inheritdoc/>
    public void OnEpochBegin(Trainer trainer) => _epochSamples = 0;

    /// <inheritdoc/>
    public void OnBatchEnd(Trainer trainer, Batch batch)
    {
        _epochSamples += batch.Count;
        if (_stepInterval == 0 || trainer.Step % _stepInterval != 0) return;
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.StepEvent);
            json.WriteNumber("epoch", trainer.Epoch);
            json.WriteNumber("step", trainer.Step);
            RunLogFormat.WriteNumber(json, "loss", trainer.BatchLoss);
            RunLogFormat.WriteNumber(json, "lr", trainer.Optimizer.LearningRate);
        }, toDisk: false);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(Trainer trainer, EpochResult epoch)
    {
        var gradients = _diagnostics is { EpochReports: [.., var last] } && last.Epoch == epoch.Epoch ? last.Parameters : [];
        double seconds = epoch.Duration.TotalSeconds;
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.EpochEvent);
            json.WriteNumber("epoch", epoch.Epoch);
            json.WriteString("time", RunLogFormat.Time(DateTimeOffset.Now));
            RunLogFormat.WriteNumber(json, "loss", epoch.Loss);
            if (epoch.Accuracy is { } accuracy) RunLogFormat.WriteNumber(json, "accuracy", accuracy);
            if (epoch.ValidationLoss is { } validationLoss) RunLogFormat.WriteNumber(json, "val_loss", validationLoss);
            if (epoch.ValidationAccuracy is { } validationAccuracy) RunLogFormat.WriteNumber(json, "val_accuracy", validationAccuracy);
            RunLogFormat.WriteNumber(json, "lr", epoch.LearningRate);
            // Ticks over 10⁷ as a double: read back, rounded to ticks, it gives the same duration.
            json.WriteNumber("seconds", seconds);
            RunLogFormat.WriteNumber(json, "samples_per_second", seconds > 0 ? _epochSamples / seconds : double.NaN);
            if (gradients.Count == 0) return;
            json.WriteStartArray("gradients");
            foreach (var parameter in gradients)
            {
                json.WriteStartObject();
                json.WriteString("name", parameter.Name);
                json.WriteStartArray("shape");
                foreach (int size in parameter.Shape) json.WriteNumberValue(size);
                json.WriteEndArray();
                RunLogFormat.WriteNumber(json, "norm", parameter.GradientNorm);
                RunLogFormat.WriteNumber(json, "weight_norm", parameter.WeightNorm);
                RunLogFormat.WriteNumber(json, "update_ratio", parameter.UpdateRatio);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }, toDisk: true);
    }

    /// <inheritdoc/>
    public void OnTrainEnd(Trainer trainer) =>
        End(trainer.History.StopReason is null ? RunOutcome.Completed : RunOutcome.StoppedEarly, trainer.History.StopReason);

    /// <summary>
    /// Appends one event as one line, in a single write so that a killed process leaves at most this line half-written;
    /// <paramref name="toDisk"/> forces it (and all before it) to the disk, as after an epoch, rather than only to the system.
    /// </summary>
    private void WriteLine(Action<Utf8JsonWriter> write, bool toDisk)
    {
        if (_file is null) return;
        _line.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_line))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        _line.Write("\n"u8);
        _file.Write(_line.WrittenSpan);
        _file.Flush(flushToDisk: toDisk);
    }
}
