using System.Buffers;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// Records a run as it goes: appends its events to <see cref="FileName"/> in a folder of its own, one JSON object a
/// line (JSON Lines), so a run can be watched while it trains, compared with others, and read back after a crash with
/// <see cref="RunLogReader"/>. A <see cref="Trainer"/> writes it as one of its callbacks; any other code (an estimator's
/// own loop, a hyper-parameter search) writes it through <see cref="Begin"/>, <see cref="Epoch"/> or <see cref="Trial"/>, and <see cref="End"/>.
/// </summary>
/// <remarks>
/// <para>The events, each with an <c>"event"</c> field naming it: <c>"settings"</c> once at the start (the run's name,
/// start time, the settings given here and Nabla's version); <c>"epoch"</c> after each epoch (the losses and accuracies
/// of <see cref="EpochResult"/>, the learning rate, seconds and samples per second, and, when a
/// <see cref="GradientDiagnostics"/> comes before this callback in <see cref="Trainer.Callbacks"/>, each parameter's
/// gradient norm); <c>"step"</c> every <see cref="StepInterval"/> batches when asked for (the batch's loss and the
/// learning rate); for a search (<see cref="IsSearch"/>), <c>"trial"</c> after each trial instead of epochs
/// (<see cref="RunTrialEvent"/>, with its learning curve when it reported one); and
/// <c>"end"</c> once the run ends (<see cref="End"/>), saying how, with the epochs it ran or, for a search, the trials.</para>
/// <para>The file is only appended to, and forced to disk (fsync) after the settings and after each epoch or trial, so
/// a process killed at any instant (SIGKILL, power loss) loses at most the epoch or trial in progress and leaves at most
/// one half-written last line, which the reader skips. A log is never overwritten: a run refuses to start when the file
/// exists, so each run needs a folder of its own (a resumed run too). One thread at a time may write.</para>
/// </remarks>
/// <example>
/// A training:
/// <code>
/// using var log = new RunLog("runs/digits-adam", new Dictionary&lt;string, string&gt; { ["lr"] = "0.001" });
/// trainer.Callbacks.Add(log);
/// trainer.Fit(train, epochs: 20, validation);
/// RunLogContents run = RunLogReader.Read(log.Path);
/// </code>
/// A search, written by the code that runs it:
/// <code>
/// using var log = new RunLog("runs/search-1", new Dictionary&lt;string, string&gt; { ["metric"] = "accuracy" }) { IsSearch = true };
/// log.Begin();
/// log.Trial(new RunTrialEvent(0, "mlp", RunTrialOutcome.Complete, 0.95, 0.01, elapsed, new Dictionary&lt;string, string&gt; { ["lr"] = "0.001" }, null));
/// log.End(RunOutcome.Completed);
/// </code>
/// </example>
public sealed class RunLog : ITrainingCallback, IDisposable
{
    /// <summary>The name of the log file in <see cref="Directory"/>.</summary>
    public const string FileName = "events.jsonl";

    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly int _stepInterval;
    private readonly ArrayBufferWriter<byte> _line = new();
    private readonly HashSet<int> _trialNumbers = [];
    private FileStream? _file;
    private bool _begun;
    private Trainer? _trainer;
    private GradientDiagnostics? _diagnostics;
    private int _epochSamples;
    private int _epochs;
    private int _lastEpoch;
    private bool _ended;

    /// <summary>Creates the log; nothing is written until the run begins (<see cref="OnTrainBegin"/> or <see cref="Begin"/>).</summary>
    /// <param name="directory">The run's folder, created when missing; its name is the run's name.</param>
    /// <param name="settings">What describes the run (model, learning rate, data), recorded in the settings event; null for nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or has no folder name (such as "/").</exception>
    public RunLog(string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        Name = NameOf(directory);
        Directory = directory;
        _settings = settings is null ? new Dictionary<string, string>() : new Dictionary<string, string>(settings, StringComparer.Ordinal);
    }

    /// <summary>The run's folder.</summary>
    public string Directory { get; }

    /// <summary>The run's name: the name of <see cref="Directory"/>.</summary>
    public string Name { get; }

    /// <summary>The log file: <see cref="FileName"/> in <see cref="Directory"/>.</summary>
    public string Path => System.IO.Path.Combine(Directory, FileName);

    /// <summary>
    /// Write a step event after every this many optimizer steps; 0 (the default) writes none. A step's loss is
    /// <see cref="Trainer.BatchLoss"/>: in data-parallel training, this rank's share of the batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int StepInterval
    {
        get => _stepInterval;
        init => _stepInterval = value >= 0 ? value
            : throw new ArgumentOutOfRangeException(nameof(StepInterval), value, $"RunLog: the step interval must be at least 0 batches (0 for no step events), got {value}.");
    }

    /// <summary>
    /// Whether the run is a hyper-parameter search, whose log holds a trial event for each finished trial
    /// (<see cref="Trial"/>) rather than epochs, and whose end counts the trials (<see cref="RunEndEvent.Trials"/>), 0
    /// when it ended before its first. Default false: a training, whose end counts its epochs.
    /// </summary>
    public bool IsSearch { get; init; }

    /// <summary>The name of the run a log in <paramref name="directory"/> records: the folder's name.</summary>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or has no folder name (such as "/").</exception>
    internal static string NameOf(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string name = System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(directory)));
        return name.Length > 0 ? name
            : throw new ArgumentException($"RunLog: '{directory}' has no folder name to name the run by; give a folder of its own, such as runs/first.", nameof(directory));
    }

    /// <summary>
    /// Begins the run for a writer that is not a <see cref="Trainer"/>: creates the log with its settings event, forced
    /// to disk, so that <see cref="Epoch"/> or <see cref="Trial"/> and then <see cref="End"/> can follow.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run has begun already (by this method, or by a trainer).</exception>
    /// <exception cref="IOException">The log file exists (another run's), or cannot be created.</exception>
    public void Begin()
    {
        if (_begun)
            throw new InvalidOperationException($"RunLog: the log in '{Directory}' has begun already; give each run (a resumed one too) a RunLog of its own, in a folder of its own.");
        Create();
    }

    /// <summary>Appends an epoch of a training that is not a <see cref="Trainer"/>'s, and forces the log to disk.</summary>
    /// <param name="epoch">The epoch; its number must be greater than the last one written.</param>
    /// <exception cref="InvalidOperationException">The log has not begun (<see cref="Begin"/>), has ended, is closed, records a trainer's fit, or is a search's.</exception>
    /// <exception cref="ArgumentException">The epoch's number does not follow the last one, or its duration is negative.</exception>
    public void Epoch(RunEpochEvent epoch)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        RequireWritable(nameof(Epoch));
        if (IsSearch)
            throw new InvalidOperationException($"RunLog.Epoch: the log in '{Directory}' is a search's (IsSearch), which holds trials, not epochs.");
        if (epoch.Result.Epoch <= _lastEpoch)
            throw new ArgumentException($"RunLog.Epoch: epoch {epoch.Result.Epoch} does not follow epoch {_lastEpoch}, the last written; epochs are numbered from 1 and increase.", nameof(epoch));
        RequireLoggable(epoch.Result.Duration, $"epoch {epoch.Result.Epoch}", nameof(epoch));
        WriteEpoch(epoch);
    }

    /// <summary>Appends a finished trial of a search (<see cref="IsSearch"/>), and forces the log to disk.</summary>
    /// <param name="trial">The trial; its number must not be in the log already.</param>
    /// <exception cref="InvalidOperationException">The log has not begun (<see cref="Begin"/>), has ended, is closed, records a trainer's fit, or is not a search's.</exception>
    /// <exception cref="ArgumentException">The trial's number is negative or written already, its outcome is not defined, or its duration is negative.</exception>
    public void Trial(RunTrialEvent trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(trial.Model, nameof(trial));
        ArgumentNullException.ThrowIfNull(trial.Parameters, nameof(trial));
        RequireWritable(nameof(Trial));
        if (!IsSearch)
            throw new InvalidOperationException($"RunLog.Trial: the log in '{Directory}' is a training's; create the log of a search with IsSearch = true.");
        if (trial.Number < 0 || _trialNumbers.Contains(trial.Number))
            throw new ArgumentException($"RunLog.Trial: trial {trial.Number} {(trial.Number < 0 ? "has a negative number; trials are numbered from 0" : "is in the log already; each trial is written once")}.", nameof(trial));
        if (!Enum.IsDefined(trial.Outcome))
            throw new ArgumentException($"RunLog.Trial: trial {trial.Number} has the outcome {(int)trial.Outcome}, which is none of {string.Join(", ", Enum.GetNames<RunTrialOutcome>())}.", nameof(trial));
        RequireLoggable(trial.Duration, $"trial {trial.Number}", nameof(trial));
        if (trial.Budget is < 1)
            throw new ArgumentException($"RunLog.Trial: trial {trial.Number} has the budget {trial.Budget}; a budget is at least 1, or null when not recorded.", nameof(trial));
        ArgumentNullException.ThrowIfNull(trial.Curve, nameof(trial));
        for (int i = 0; i < trial.Curve.Count; i++)
            if (trial.Curve[i].Step < 0 || (i > 0 && trial.Curve[i].Step <= trial.Curve[i - 1].Step))
                throw new ArgumentException($"RunLog.Trial: trial {trial.Number}'s curve has step {trial.Curve[i].Step} at point {i + 1}; steps are at least 0 and increase.", nameof(trial));
        _trialNumbers.Add(trial.Number);
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.TrialEvent);
            json.WriteNumber("number", trial.Number);
            json.WriteString("time", RunLogFormat.Time(DateTimeOffset.Now));
            json.WriteString("model", trial.Model);
            json.WriteString("outcome", RunLogFormat.TrialOutcomes[(int)trial.Outcome]);
            if (trial.Score is { } score) RunLogFormat.WriteNumber(json, "score", score);
            if (trial.Std is { } std) RunLogFormat.WriteNumber(json, "std", std);
            if (trial.Budget is { } budget) json.WriteNumber("budget", budget);
            RunLogFormat.WriteSeconds(json, trial.Duration);
            RunLogFormat.WriteNamedTexts(json, "parameters", trial.Parameters);
            if (trial.Error is not null) json.WriteString("error", trial.Error);
            if (trial.Curve.Count > 0) RunLogFormat.WriteCurve(json, trial.Curve);
        }, toDisk: true);
    }

    /// <summary>
    /// Writes the end event, once, and forces the log to disk: <see cref="OnTrainEnd"/> does it when training ends or a
    /// callback stops it; call it yourself with <see cref="RunOutcome.Interrupted"/> or <see cref="RunOutcome.Failed"/>
    /// when <see cref="Trainer.Fit(DataLoader, int, DataLoader?)"/> throws, and at the end of a run begun with
    /// <see cref="Begin"/>. The event counts the epochs written (a trainer's: those of its history) or, for a search, the
    /// trials. Does nothing before the run began, after the end was written, or once the log is closed.
    /// </summary>
    /// <param name="outcome">How the run ended.</param>
    /// <param name="reason">Why it stopped, or null.</param>
    public void End(RunOutcome outcome, string? reason = null)
    {
        if (_file is null || _ended) return;
        _ended = true;
        int? best = _trainer?.Callbacks.OfType<EarlyStopping>().FirstOrDefault() is { BestEpoch: > 0 } stopping ? stopping.BestEpoch : null;
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.EndEvent);
            json.WriteString("time", RunLogFormat.Time(DateTimeOffset.Now));
            json.WriteString("outcome", RunLogFormat.Outcomes[(int)outcome]);
            if (reason is not null) json.WriteString("reason", reason);
            if (IsSearch) json.WriteNumber("trials", _trialNumbers.Count);
            else json.WriteNumber("epochs", _trainer?.History.Epochs.Count ?? _epochs);
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
    /// <exception cref="InvalidOperationException">A <see cref="GradientDiagnostics"/> comes after this callback, so its epoch report would not be ready; the log already ran a fit or was begun with <see cref="Begin"/>; or it is a search's.</exception>
    /// <exception cref="IOException">The log file exists (another run's), or cannot be created.</exception>
    public void OnTrainBegin(Trainer trainer)
    {
        if (_begun)
            throw new InvalidOperationException($"RunLog: the log in '{Directory}' already recorded {(_trainer is null ? "a run begun with Begin()" : "a fit")}; give each fit (a resumed one too) a RunLog of its own, in a folder of its own.");
        if (IsSearch)
            throw new InvalidOperationException($"RunLog: the log in '{Directory}' is a search's (IsSearch), which holds trials; give the trainer a RunLog of its own.");
        int position = trainer.Callbacks.IndexOf(this);
        var diagnostics = trainer.Callbacks.OfType<GradientDiagnostics>().FirstOrDefault();
        if (diagnostics is not null && trainer.Callbacks.IndexOf(diagnostics) > position)
            throw new InvalidOperationException($"RunLog must come after GradientDiagnostics in the trainer's callbacks, so that each epoch's gradient report is ready when it is logged; it is at position {position + 1}, the diagnostics at {trainer.Callbacks.IndexOf(diagnostics) + 1}.");
        Create();
        (_trainer, _diagnostics) = (trainer, diagnostics);
    }

    /// <summary>Creates the log with its settings, all at once, and opens it for appending.</summary>
    private void Create()
    {
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
        _begun = true;
    }

    private IOException AlreadyThere(Exception? inner) =>
        new($"RunLog: '{Path}' already holds a run log; a run never writes over another's: give this run a folder of its own.", inner);

    /// <summary>Refuses to write for a trainer, before <see cref="Begin"/>, after the end, or once closed.</summary>
    private void RequireWritable(string member)
    {
        if (_trainer is not null)
            throw new InvalidOperationException($"RunLog.{member}: the log in '{Directory}' records a trainer's fit, which writes its own events.");
        if (!_begun)
            throw new InvalidOperationException($"RunLog.{member}: the log in '{Directory}' has not begun; call Begin() first, which writes the settings.");
        if (_ended)
            throw new InvalidOperationException($"RunLog.{member}: the run in '{Directory}' has ended; nothing follows its end event.");
        if (_file is null)
            throw new ObjectDisposedException(nameof(RunLog), $"RunLog.{member}: the log in '{Directory}' is closed (disposed).");
    }

    /// <summary>Refuses a duration the reader would refuse: a negative one, or one too long to read back.</summary>
    private static void RequireLoggable(TimeSpan duration, string what, string parameter)
    {
        if (!RunLogFormat.IsDuration(duration.TotalSeconds))
            throw new ArgumentException($"RunLog: {what} lasted {duration}, expected a duration of at least 0.", parameter);
    }

    private void WriteSettings()
    {
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.SettingsEvent);
            json.WriteString("run", Name);
            json.WriteString("start", RunLogFormat.Time(DateTimeOffset.Now));
            json.WriteString("nabla", LibraryVersion.Current);
            RunLogFormat.WriteNamedTexts(json, "settings", _settings);
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
        WriteEpoch(new RunEpochEvent(epoch, seconds > 0 ? _epochSamples / seconds : double.NaN, gradients));
    }

    private void WriteEpoch(RunEpochEvent epoch)
    {
        var result = epoch.Result;
        (_epochs, _lastEpoch) = (_epochs + 1, result.Epoch);
        WriteLine(json =>
        {
            json.WriteString(RunLogFormat.Event, RunLogFormat.EpochEvent);
            json.WriteNumber("epoch", result.Epoch);
            json.WriteString("time", RunLogFormat.Time(DateTimeOffset.Now));
            RunLogFormat.WriteNumber(json, "loss", result.Loss);
            if (result.Accuracy is { } accuracy) RunLogFormat.WriteNumber(json, "accuracy", accuracy);
            if (result.ValidationLoss is { } validationLoss) RunLogFormat.WriteNumber(json, "val_loss", validationLoss);
            if (result.ValidationAccuracy is { } validationAccuracy) RunLogFormat.WriteNumber(json, "val_accuracy", validationAccuracy);
            RunLogFormat.WriteNumber(json, "lr", result.LearningRate);
            RunLogFormat.WriteSeconds(json, result.Duration);
            RunLogFormat.WriteNumber(json, "samples_per_second", epoch.SamplesPerSecond);
            if (epoch.Gradients.Count == 0) return;
            json.WriteStartArray("gradients");
            foreach (var parameter in epoch.Gradients)
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
