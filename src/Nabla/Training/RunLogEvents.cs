using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// The events of a run log as <see cref="RunLogReader"/> parses them, line by line: each checked for its fields and
/// its place (the settings first and once, epochs in increasing order, each trial's number once, the epochs of a
/// training or the trials of a search but not both, nothing after the end).
/// </summary>
internal sealed class RunLogEvents(string path)
{
    private readonly List<RunEpochEvent> _epochs = [];
    private readonly List<RunStepEvent> _steps = [];
    private readonly List<RunTrialEvent> _trials = [];
    private readonly Dictionary<int, int> _trialLines = [];
    private RunSettingsEvent? _settings;
    private RunEndEvent? _end;

    /// <summary>Adds the event on line <paramref name="number"/>.</summary>
    /// <exception cref="InvalidDataException">The event is malformed or out of place; the message names the file and line.</exception>
    public void Add(StrictJson json, int number)
    {
        string kind = json.OneOf(RunLogFormat.Event, RunLogFormat.SettingsEvent, RunLogFormat.EpochEvent, RunLogFormat.StepEvent, RunLogFormat.TrialEvent, RunLogFormat.EndEvent);
        if (_settings is null && kind != RunLogFormat.SettingsEvent)
            throw json.Error($"a \"{kind}\" event before the \"settings\" event, which must come first");
        if (_end is not null) throw json.Error($"a \"{kind}\" event after the \"end\" event, which must come last");
        switch (kind)
        {
            case RunLogFormat.SettingsEvent:
                if (_settings is not null) throw json.Error("a second \"settings\" event; a run log holds one run");
                _settings = Settings(json);
                break;
            case RunLogFormat.EpochEvent:
                RequireTraining(json, kind);
                var epoch = Epoch(json);
                if (_epochs.Count > 0 && epoch.Result.Epoch <= _epochs[^1].Result.Epoch)
                    throw json.Error($"epoch {epoch.Result.Epoch} comes after epoch {_epochs[^1].Result.Epoch}; epochs must increase");
                _epochs.Add(epoch);
                break;
            case RunLogFormat.StepEvent:
                RequireTraining(json, kind);
                var step = new RunStepEvent(json.Integer("epoch", 1), Step(json), Number(json, "loss"), Number(json, "lr"));
                // Charts draw the steps in order, and a step belongs to the epoch still running.
                if (_steps.Count > 0 && step.Step <= _steps[^1].Step)
                    throw json.Error($"step {step.Step} comes after step {_steps[^1].Step}; steps must increase");
                if (_epochs.Count > 0 && step.Epoch <= _epochs[^1].Result.Epoch)
                    throw json.Error($"a step of epoch {step.Epoch} comes after the end of epoch {_epochs[^1].Result.Epoch}; a step belongs to an epoch still running");
                _steps.Add(step);
                break;
            case RunLogFormat.TrialEvent:
                if (_epochs.Count + _steps.Count > 0)
                    throw json.Error($"a \"trial\" event in the log of a training, which has {Count(_epochs.Count, "epoch")} and {Count(_steps.Count, "step")} before it; a run log holds the epochs of a training or the trials of a search, not both");
                var trial = Trial(json);
                if (!_trialLines.TryAdd(trial.Number, number))
                    throw json.Error($"trial {trial.Number} is already on line {_trialLines[trial.Number]}; each trial ends once");
                _trials.Add(trial);
                break;
            default:
                _end = End(json);
                if (_end.Trials is null && _trials.Count > 0)
                    throw json.Error($"the \"end\" event counts \"epochs\", but the log holds {Count(_trials.Count, "trial")}: a search's end counts \"trials\"");
                if (_end.Trials is not null && _epochs.Count > 0)
                    throw json.Error($"the \"end\" event counts \"trials\", but the log holds {Count(_epochs.Count, "epoch")}: a training's end counts \"epochs\"");
                break;
        }
    }

    private void RequireTraining(StrictJson json, string kind)
    {
        if (_trials.Count > 0)
            throw json.Error($"a \"{kind}\" event in the log of a search, which has {Count(_trials.Count, "trial")} before it; a run log holds the epochs of a training or the trials of a search, not both");
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>What the log holds now, copied (the events read later do not change it), <paramref name="partial"/> the cut-off last line skipped, if any.</summary>
    /// <exception cref="InvalidDataException">No settings event was read.</exception>
    public RunLogContents Contents(int? partial) =>
        _settings is null
            ? throw new InvalidDataException($"{path}: no complete \"settings\" event{(partial is null ? "; the file is empty" : ", only a cut-off first line")}: the run was stopped before its log began, or this is not a run log.")
            : new RunLogContents(_settings, [.. _epochs], [.. _steps], _end, partial) { Trials = [.. _trials] };

    /// <summary>Whether the settings event was read: before it, the log holds nothing to show.</summary>
    public bool HasSettings => _settings is not null;

    private static RunSettingsEvent Settings(StrictJson json) =>
        new(json.String("run"), Time(json, "start"), NamedTexts(json, "settings", "setting"), json.String("nabla"));

    /// <summary>An array of <c>{"name": ..., "value": ...}</c> objects, each name once.</summary>
    private static Dictionary<string, string> NamedTexts(StrictJson json, string name, string what)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in json.Objects(name))
            if (!texts.TryAdd(entry.String("name"), entry.String("value")))
                throw entry.Error($"the {what} \"{entry.String("name")}\" is given twice");
        return texts;
    }

    private static RunEpochEvent Epoch(StrictJson json)
    {
        var result = new EpochResult(json.Integer("epoch", 1), Number(json, "loss"), OptionalNumber(json, "accuracy"),
            OptionalNumber(json, "val_loss"), OptionalNumber(json, "val_accuracy"), Number(json, "lr"), Duration(json));
        var gradients = json.Has("gradients")
            ? json.Objects("gradients").Select(p => new ParameterGradient(p.String("name"), p.Integers("shape", 0), Number(p, "norm"), Number(p, "weight_norm"), Number(p, "update_ratio"))).ToArray()
            : [];
        return new RunEpochEvent(result, Number(json, "samples_per_second"), gradients);
    }

    private static RunTrialEvent Trial(StrictJson json)
    {
        var outcome = (RunTrialOutcome)Array.IndexOf(RunLogFormat.TrialOutcomes, json.OneOf("outcome", RunLogFormat.TrialOutcomes));
        return new RunTrialEvent(json.Integer("number", 0), json.String("model"), outcome, OptionalNumber(json, "score"), OptionalNumber(json, "std"),
            Duration(json), NamedTexts(json, "parameters", "parameter"), json.Has("error") ? json.String("error") : null)
        {
            Budget = json.Has("budget") ? json.Integer("budget", 1) : null,
            Curve = json.Has("curve") ? Curve(json) : [],
        };
    }

    /// <summary>A step event's <c>"step"</c>: a count of optimizer steps, which a <see cref="long"/> holds.</summary>
    private static long Step(StrictJson json)
    {
        ulong step = json.UnsignedInteger("step");
        return step <= long.MaxValue ? (long)step : throw json.Error($"\"step\" is {step}, more than the {long.MaxValue} steps a run can count");
    }

    /// <summary>A trial's <c>"curve"</c>: points whose steps increase.</summary>
    private static RunCurvePoint[] Curve(StrictJson json)
    {
        var points = json.Objects("curve").Select(point => new RunCurvePoint(point.Integer("step", 0), Number(point, "value"))).ToArray();
        for (int i = 1; i < points.Length; i++)
            if (points[i].Step <= points[i - 1].Step)
                throw json.Error($"the \"curve\" has step {points[i].Step} after step {points[i - 1].Step}; its steps must increase");
        return points;
    }

    private static RunEndEvent End(StrictJson json)
    {
        var outcome = (RunOutcome)Array.IndexOf(RunLogFormat.Outcomes, json.OneOf("outcome", RunLogFormat.Outcomes));
        bool search = json.Has("trials");
        if (search == json.Has("epochs"))
            throw json.Error($"the \"end\" event has {(search ? "both" : "neither of")} \"epochs\" and \"trials\"; it counts the epochs of a training or the trials of a search");
        return new RunEndEvent(Time(json, "time"), outcome, json.Has("reason") ? json.String("reason") : null,
            search ? 0 : json.Integer("epochs", 0), json.Has("best_epoch") ? json.Integer("best_epoch", 1) : null)
        {
            Trials = search ? json.Integer("trials", 0) : null,
        };
    }

    /// <summary>The <c>"seconds"</c> of an epoch or a trial.</summary>
    private static TimeSpan Duration(StrictJson json)
    {
        double seconds = json.Number("seconds");
        if (!RunLogFormat.IsDuration(seconds))
            throw json.Error($"\"seconds\" is {seconds}, expected a duration of at least 0");
        // The writer wrote the ticks over 10⁷: rounding gives them back exactly.
        return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
    }

    private static DateTimeOffset Time(StrictJson json, string name) =>
        RunLogFormat.TryParseTime(json.String(name), out var time) ? time
            : throw json.Error($"\"{name}\" is \"{json.String(name)}\", expected a date and time in ISO 8601 (round-trip) form such as 2026-12-07T07:12:00.0000000+01:00");

    /// <summary>A number, or one of the words that stand for a number that is not finite.</summary>
    private static double Number(StrictJson json, string name)
    {
        try
        {
            return json.Number(name);
        }
        catch (InvalidDataException) when (json.Has(name))
        {
            return RunLogFormat.ParseNonFinite(json.OneOf(name, RunLogFormat.NonFiniteWords));
        }
    }

    private static double? OptionalNumber(StrictJson json, string name) => json.Has(name) ? Number(json, name) : null;
}
