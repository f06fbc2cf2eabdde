using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Nabla.Training;

namespace Nabla.Dashboard;

/// <summary>
/// The JSON the page reads: the list of runs, and a run's events from a given position on (the whole run at first, then
/// what each change added).
/// </summary>
/// <remarks>
/// Every string is written with the default JavaScript encoder, which escapes <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> and quotes:
/// the page never parses text as HTML, and this keeps the JSON inert even if something did. Outcomes, times and numbers
/// are written as the log writes them (<see cref="RunLogFormat"/>): a number that is not finite (a diverged loss) as the
/// string "NaN", "Infinity" or "-Infinity".
/// </remarks>
internal static class RunJson
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.Default, Indented = false };

    /// <summary>The settings the page's summary reads: the epochs to run, the command that wrote the log (a search's is
    /// "tune"), and a search's direction ("minimize" when a lower score is better).</summary>
    private const string EpochsSetting = "epochs", CommandSetting = "command", TuneCommand = "tune", DirectionSetting = "direction", Minimize = "minimize";

    /// <summary>How many of a run's events one update already sent, so the next sends only what follows.</summary>
    public readonly record struct Sent(int Epochs, int Steps, int Trials);

    /// <summary>The list of runs: <c>{ logdir, live, truncated, runs: [...] }</c>.</summary>
    public static byte[] Runs(RunSnapshot snapshot, string logDirectory, string? live) => Write(json =>
    {
        json.WriteString("logdir", logDirectory);
        if (live is null) json.WriteNull("live");
        else json.WriteString("live", live);
        json.WriteBoolean("truncated", snapshot.Truncated);
        json.WriteStartArray("runs");
        foreach (var run in snapshot.Runs) Summary(json, run);
        json.WriteEndArray();
    });

    /// <summary>
    /// The run's settings, its end, and its events after those in <paramref name="sent"/>; <paramref name="now"/> is
    /// what the page holds after it. A log that shrank (replaced by another) is sent again from the start.
    /// </summary>
    public static byte[] Update(RunState run, Sent sent, out Sent now)
    {
        var contents = run.Contents;
        int epochs = contents?.Epochs.Count ?? 0, steps = contents?.Steps.Count ?? 0, trials = contents?.Trials.Count ?? 0;
        if (sent.Epochs > epochs || sent.Steps > steps || sent.Trials > trials) sent = default;
        now = new Sent(epochs, steps, trials);
        var from = sent;
        return Write(json =>
        {
            json.WriteString("name", run.Name);
            json.WriteString("kind", Kind(contents));
            if (contents is null)
            {
                json.WriteNull("settings");
            }
            else
            {
                json.WriteStartObject("settings");
                json.WriteString("run", contents.Settings.Name);
                json.WriteString("start", RunLogFormat.Time(contents.Settings.Start));
                json.WriteString("nabla", contents.Settings.NablaVersion);
                json.WriteStartArray("values");
                foreach (var (name, value) in contents.Settings.Settings) NameValue(json, name, value);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteNumber("epochsFrom", from.Epochs);
            json.WriteStartArray("epochs");
            for (int i = from.Epochs; i < epochs; i++) Epoch(json, contents!.Epochs[i]);
            json.WriteEndArray();
            json.WriteNumber("stepsFrom", from.Steps);
            json.WriteStartArray("steps");
            for (int i = from.Steps; i < steps; i++) Step(json, contents!.Steps[i]);
            json.WriteEndArray();
            json.WriteNumber("trialsFrom", from.Trials);
            json.WriteStartArray("trials");
            for (int i = from.Trials; i < trials; i++) Trial(json, contents!.Trials[i]);
            json.WriteEndArray();
            if (contents?.End is { } end) End(json, end);
            else json.WriteNull("end");
            if (contents?.IgnoredPartialLine is { } line) json.WriteNumber("ignoredPartialLine", line);
            else json.WriteNull("ignoredPartialLine");
            if (run.Error is null) json.WriteNull("error");
            else json.WriteString("error", run.Error);
        });
    }

    private static void Summary(Utf8JsonWriter json, RunState run)
    {
        var contents = run.Contents;
        json.WriteStartObject();
        json.WriteString("name", run.Name);
        json.WriteString("kind", Kind(contents));
        // A training names its model; a search the models it searched.
        if (contents is not null && (contents.Settings.Settings.TryGetValue("model", out string? model) || contents.Settings.Settings.TryGetValue("models", out model)))
            json.WriteString("model", model);
        else json.WriteNull("model");
        if (contents is null) json.WriteNull("start");
        else json.WriteString("start", RunLogFormat.Time(contents.Settings.Start));
        json.WriteString("updated", RunLogFormat.Time(new DateTimeOffset(run.LastWrite, TimeSpan.Zero)));
        json.WriteNumber("epochs", contents?.Epochs.Count ?? 0);
        json.WriteNumber("trials", contents?.Trials.Count ?? 0);
        if (contents is not null && contents.Settings.Settings.TryGetValue(EpochsSetting, out string? total)
            && int.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out int totalEpochs))
            json.WriteNumber("totalEpochs", totalEpochs);
        else json.WriteNull("totalEpochs");
        if (contents?.End is { } end) json.WriteString("outcome", RunLogFormat.Outcomes[(int)end.Outcome]);
        else json.WriteNull("outcome");
        OptionalNumber(json, "lastLoss", contents is { Epochs: [.., var last] } ? last.Result.Loss : null);
        OptionalNumber(json, "bestValLoss", BestValidationLoss(contents));
        OptionalNumber(json, "bestScore", BestScore(contents));
        if (run.Error is null) json.WriteNull("error");
        else json.WriteString("error", run.Error);
        json.WriteEndObject();
    }

    private static double? BestValidationLoss(RunLogContents? contents)
    {
        double? best = null;
        foreach (var epoch in contents?.Epochs ?? [])
            if (epoch.Result.ValidationLoss is { } loss && double.IsFinite(loss) && (best is null || loss < best)) best = loss;
        return best;
    }

    /// <summary>
    /// The best score of a search's completed trials by its direction (higher is better unless it says "minimize"),
    /// among those given the largest budget: a smaller budget's score is a different, cheaper measurement.
    /// </summary>
    private static double? BestScore(RunLogContents? contents)
    {
        if (contents is null) return null;
        bool lower = contents.Settings.Settings.TryGetValue(DirectionSetting, out string? direction) && direction == Minimize;
        int? full = contents.Trials.Max(trial => trial.Budget);
        double? best = null;
        foreach (var trial in contents.Trials)
            if (trial is { Outcome: RunTrialOutcome.Complete, Score: { } score } && trial.Budget == full && double.IsFinite(score)
                && (best is null || (lower ? score < best : score > best)))
                best = score;
        return best;
    }

    /// <summary>"tune" for a search's log (its trials, its end counting trials, or the command that wrote it), else "train".</summary>
    private static string Kind(RunLogContents? contents) =>
        contents is not null && (contents.Trials.Count > 0 || contents.End?.Trials is not null
            || contents.Settings.Settings.TryGetValue(CommandSetting, out string? command) && command == TuneCommand) ? "tune" : "train";

    private static void Epoch(Utf8JsonWriter json, RunEpochEvent epoch)
    {
        var result = epoch.Result;
        json.WriteStartObject();
        json.WriteNumber("epoch", result.Epoch);
        RunLogFormat.WriteNumber(json, "loss", result.Loss);
        OptionalNumber(json, "accuracy", result.Accuracy);
        OptionalNumber(json, "valLoss", result.ValidationLoss);
        OptionalNumber(json, "valAccuracy", result.ValidationAccuracy);
        RunLogFormat.WriteNumber(json, "lr", result.LearningRate);
        RunLogFormat.WriteNumber(json, "seconds", result.Duration.TotalSeconds);
        RunLogFormat.WriteNumber(json, "samplesPerSecond", epoch.SamplesPerSecond);
        json.WriteStartArray("gradients");
        foreach (var gradient in epoch.Gradients)
        {
            json.WriteStartObject();
            json.WriteString("parameter", gradient.Name);
            RunLogFormat.WriteNumber(json, "gradNorm", gradient.GradientNorm);
            RunLogFormat.WriteNumber(json, "weightNorm", gradient.WeightNorm);
            RunLogFormat.WriteNumber(json, "updateRatio", gradient.UpdateRatio);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Step(Utf8JsonWriter json, RunStepEvent step)
    {
        json.WriteStartObject();
        json.WriteNumber("epoch", step.Epoch);
        json.WriteNumber("step", step.Step);
        RunLogFormat.WriteNumber(json, "loss", step.Loss);
        RunLogFormat.WriteNumber(json, "lr", step.LearningRate);
        json.WriteEndObject();
    }

    private static void Trial(Utf8JsonWriter json, RunTrialEvent trial)
    {
        json.WriteStartObject();
        json.WriteNumber("number", trial.Number);
        json.WriteString("model", trial.Model);
        json.WriteString("outcome", RunLogFormat.TrialOutcomes[(int)trial.Outcome]);
        OptionalNumber(json, "score", trial.Score);
        OptionalNumber(json, "std", trial.Std);
        if (trial.Budget is { } budget) json.WriteNumber("budget", budget);
        else json.WriteNull("budget");
        RunLogFormat.WriteNumber(json, "seconds", trial.Duration.TotalSeconds);
        json.WriteStartArray("parameters");
        foreach (var (name, value) in trial.Parameters) NameValue(json, name, value);
        json.WriteEndArray();
        if (trial.Error is null) json.WriteNull("error");
        else json.WriteString("error", trial.Error);
        RunLogFormat.WriteCurve(json, trial.Curve);
        json.WriteEndObject();
    }

    private static void End(Utf8JsonWriter json, RunEndEvent end)
    {
        json.WriteStartObject("end");
        json.WriteString("outcome", RunLogFormat.Outcomes[(int)end.Outcome]);
        if (end.Reason is null) json.WriteNull("reason");
        else json.WriteString("reason", end.Reason);
        json.WriteString("time", RunLogFormat.Time(end.Time));
        json.WriteNumber("epochs", end.Epochs);
        if (end.Trials is { } trials) json.WriteNumber("trials", trials);
        else json.WriteNull("trials");
        if (end.BestEpoch is { } best) json.WriteNumber("bestEpoch", best);
        else json.WriteNull("bestEpoch");
        json.WriteEndObject();
    }

    private static void NameValue(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static void OptionalNumber(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number) RunLogFormat.WriteNumber(json, name, number);
        else json.WriteNull(name);
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Compact))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
