using Nabla.Training;

namespace Nabla.Estimators;

/// <summary>
/// The run log of an <see cref="MlpClassifier"/>'s or <see cref="MlpRegressor"/>'s stochastic fit (SGD or Adam): the
/// file a <see cref="RunLog"/> writes for a <see cref="Trainer"/> and <c>nabla train</c> for the command line, with the
/// same guarantees (forced to disk after each epoch, never written over), read back with <see cref="RunLogReader"/>.
/// Give it to the estimator as its callback.
/// </summary>
/// <remarks>
/// <para>What it writes. The settings: <c>"estimator"</c> (the type's name), then every setting that decides what the
/// fit learns by the name of its constructor argument (<see cref="MlpFitStart.Settings"/>), then yours. An epoch event
/// for each iteration, numbered as <c>NIter</c> counts them: the loss (the estimator's <c>LossCurve</c>), with early
/// stopping the validation loss (<c>ValidationLosses</c>) and, for a classifier, the validation accuracy
/// (<c>ValidationScores</c>; a regressor's R² has no field in a run log), the learning rate, the seconds and the
/// samples per second. The end: completed when every epoch ran; stopped early, with the estimator's reason, when
/// <c>nIterNoChange</c> epochs without improvement (or the callback) ended it; failed when the loss diverged or
/// <c>Fit</c> threw, with the message; interrupted when it threw an <see cref="OperationCanceledException"/>.</para>
/// <para>One log records one fit: the estimator's first <c>Fit</c>, or a series of <c>PartialFit</c> calls, each adding
/// its epoch to the same run, which ends when you call <see cref="End"/> (a log without an end reads back as a run
/// killed). A later fit through the same log is refused before it starts (<see cref="InvalidOperationException"/>):
/// create the estimator again with a log of its own. L-BFGS runs no epochs, and writes nothing.</para>
/// </remarks>
/// <example>
/// <code>
/// using var log = new MlpRunLog("runs/digits-mlp", new Dictionary&lt;string, string&gt; { ["data"] = "digits" });
/// var model = new MlpClassifier(hiddenLayerSizes: [64], earlyStopping: true, callback: log).Fit(X, y);
/// RunLogContents run = RunLogReader.Read(log.Path);
/// // run.Epochs[i].Result.Loss is model.LossCurve[i], run.Epochs[i].Result.ValidationAccuracy model.ValidationScores[i];
/// // run.End.Outcome is RunOutcome.StoppedEarly when nIterNoChange epochs without improvement ended the fit.
/// </code>
/// </example>
public sealed class MlpRunLog : IMlpCallback, IDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private RunLog? _log;
    private bool _classifier, _incremental, _ended;

    /// <summary>Creates the log; nothing is written until the estimator's fit begins.</summary>
    /// <param name="directory">The run's folder, created when missing; its name is the run's name.</param>
    /// <param name="settings">What else describes the run (the data, say), recorded after the estimator's settings; null for nothing.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or has no folder name (such as "/").</exception>
    public MlpRunLog(string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        Name = RunLog.NameOf(directory);
        Directory = directory;
        _settings = settings is null ? new Dictionary<string, string>() : new Dictionary<string, string>(settings, StringComparer.Ordinal);
    }

    /// <summary>The run's folder.</summary>
    public string Directory { get; }

    /// <summary>The run's name: the name of <see cref="Directory"/>.</summary>
    public string Name { get; }

    /// <summary>The log file: <see cref="RunLog.FileName"/> in <see cref="Directory"/>.</summary>
    public string Path => System.IO.Path.Combine(Directory, RunLog.FileName);

    /// <summary>Creates the log with the settings when the first fit begins; lets a further <c>PartialFit</c> of the same series go on.</summary>
    /// <exception cref="InvalidOperationException">The log recorded a fit already (a whole one, or a series of <c>PartialFit</c> that ended or that a whole fit would follow).</exception>
    /// <exception cref="ArgumentException">A setting given to this log has the name of one of the estimator's.</exception>
    /// <exception cref="IOException">The log file exists (another run's), or cannot be created.</exception>
    void IMlpCallback.OnFitBegin(MlpFitStart start)
    {
        if (_log is not null)
        {
            if (start.Incremental && _incremental && !_ended) return;
            throw new InvalidOperationException(
                $"MlpRunLog: the log in '{Directory}' already recorded {(_incremental ? "a series of PartialFit calls" : "a fit")}; a log records one fit: create the estimator again with an MlpRunLog of its own, in a folder of its own.");
        }
        var settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["estimator"] = start.Estimator };
        foreach (var (name, value) in start.Settings) settings[name] = value;
        foreach (var (name, value) in _settings)
            if (!settings.TryAdd(name, value))
                throw new ArgumentException($"MlpRunLog: the setting \"{name}\" given to the log in '{Directory}' is also one of {start.Estimator}'s own; give it another name.", "settings");
        var log = new RunLog(Directory, settings);
        log.Begin();
        (_log, _classifier, _incremental) = (log, start.IsClassifier, start.Incremental);
    }

    /// <summary>Appends the epoch; never stops the fit.</summary>
    /// <exception cref="InvalidOperationException">No fit began: the log was called other than as an estimator's callback.</exception>
    bool IMlpCallback.OnEpochEnd(MlpEpoch epoch)
    {
        var log = _log ?? throw new InvalidOperationException($"MlpRunLog: an epoch ended before a fit began in '{Directory}'; give the log to an MLP estimator as its callback.");
        double seconds = epoch.Duration.TotalSeconds;
        var result = new EpochResult(epoch.Iteration, epoch.Loss, Accuracy: null, epoch.ValidationLoss, _classifier ? epoch.ValidationScore : null,
            epoch.LearningRate, epoch.Duration);
        log.Epoch(new RunEpochEvent(result, seconds > 0 ? epoch.Samples / seconds : double.NaN, []));
        return true;
    }

    /// <summary>Writes the end of a whole fit, or of a <c>PartialFit</c> that threw; a <c>PartialFit</c> that returned leaves the run open.</summary>
    void IMlpCallback.OnFitEnd(MlpFitEnd end)
    {
        if (end.Error is { } error) End(error is OperationCanceledException ? RunOutcome.Interrupted : RunOutcome.Failed, error.Message);
        else if (_incremental) return;
        else if (end.Diverged) End(RunOutcome.Failed, end.StopReason);
        else End(end.StopReason is null ? RunOutcome.Completed : RunOutcome.StoppedEarly, end.StopReason);
    }

    /// <summary>
    /// Writes the end event, once, and forces the log to disk: call it when a series of <c>PartialFit</c> calls is done
    /// (a whole fit's end is written when it ends). Does nothing before a fit began, or after the end was written.
    /// </summary>
    /// <param name="outcome">How the run ended.</param>
    /// <param name="reason">Why it stopped, or null.</param>
    public void End(RunOutcome outcome, string? reason = null)
    {
        if (_log is null) return;
        _ended = true;
        _log.End(outcome, reason);
    }

    /// <summary>Closes the file; a run whose end was not written reads back as one that was killed.</summary>
    public void Dispose() => _log?.Dispose();
}
