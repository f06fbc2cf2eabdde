using Nabla.IO;

namespace Nabla.Training;

/// <summary>
/// The events of a run log as <see cref="RunLogReader"/> parses them, line by line: each checked for its fields and
/// its place (the settings first and once, epochs in increasing order, nothing after the end).
/// </summary>
internal sealed class RunLogEvents(string path)
{
    private readonly List<RunEpochEvent> _epochs = [];
    private readonly List<RunStepEvent> _steps = [];
    private RunSettingsEvent? _settings;
    private RunEndEvent? _end;

    /// <summary>Adds the event on line <paramref name="number"/>.</summary>
    /// <exception cref="InvalidDataException">The event is malformed or out of place; the message names the file and line.</exception>
    public void Add(StrictJson json, int number)
    {
        string kind = json.OneOf(RunLogFormat.Event, RunLogFormat.SettingsEvent, RunLogFormat.EpochEvent, RunLogFormat.StepEvent, RunLogFormat.EndEvent);
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
                var epoch = Epoch(json);
                if (_epochs.Count > 0 && epoch.Result.Epoch <= _epochs[^1].Result.Epoch)
                    throw json.Error($"epoch {epoch.Result.Epoch} comes after epoch {_epochs[^1].Result.Epoch}; epochs must increase");
                _epochs.Add(epoch);
                break;
            case RunLogFormat.StepEvent:
                _steps.Add(new RunStepEvent(json.Integer("epoch", 1), checked((long)json.UnsignedInteger("step")), Number(json, "loss"), Number(json, "lr")));
                break;
            default:
                _end = End(json);
                break;
        }
    }

    /// <summary>What the log holds, <paramref name="partial"/> the cut-off last line skipped, if any.</summary>
    /// <exception cref="InvalidDataException">No settings event was read.</exception>
    public RunLogContents Contents(int? partial) =>
        _settings is null
            ? throw new InvalidDataException($"{path}: no complete \"settings\" event{(partial is null ? "; the file is empty" : ", only a cut-off first line")}: the run was stopped before its log began, or this is not a run log.")
            : new RunLogContents(_settings, _epochs, _steps, _end, partial);

    private static RunSettingsEvent Settings(StrictJson json)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in json.Objects("settings"))
            if (!settings.TryAdd(setting.String("name"), setting.String("value")))
                throw setting.Error($"the setting \"{setting.String("name")}\" is given twice");
        return new RunSettingsEvent(json.String("run"), Time(json, "start"), settings, json.String("nabla"));
    }

    private static RunEpochEvent Epoch(StrictJson json)
    {
        double seconds = json.Number("seconds");
        if (!(seconds >= 0 && seconds < TimeSpan.MaxValue.TotalSeconds / 2))
            throw json.Error($"\"seconds\" is {seconds}, expected a duration of at least 0");
        var result = new EpochResult(json.Integer("epoch", 1), Number(json, "loss"), OptionalNumber(json, "accuracy"),
            OptionalNumber(json, "val_loss"), OptionalNumber(json, "val_accuracy"), Number(json, "lr"),
            // The writer wrote the ticks over 10⁷: rounding gives them back exactly.
            TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)));
        var gradients = json.Has("gradients")
            ? json.Objects("gradients").Select(p => new ParameterGradient(p.String("name"), p.Integers("shape", 0), Number(p, "norm"), Number(p, "weight_norm"), Number(p, "update_ratio"))).ToArray()
            : [];
        return new RunEpochEvent(result, Number(json, "samples_per_second"), gradients);
    }

    private static RunEndEvent End(StrictJson json)
    {
        var outcome = (RunOutcome)Array.IndexOf(RunLogFormat.Outcomes, json.OneOf("outcome", RunLogFormat.Outcomes));
        return new RunEndEvent(Time(json, "time"), outcome, json.Has("reason") ? json.String("reason") : null,
            json.Integer("epochs", 0), json.Has("best_epoch") ? json.Integer("best_epoch", 1) : null);
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
