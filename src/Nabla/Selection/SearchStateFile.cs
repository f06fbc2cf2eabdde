using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Selection;

/// <summary>
/// The state of a search in a JSON file: what search it is (kind and settings, space, seed, direction,
/// parallelism, budget) and every finished trial, so that a run with the same search resumes it.
/// </summary>
/// <remarks>
/// Parameter values are kept as the search-space syntax writes them (<c>"0.001"</c>, <c>"128,64"</c>,
/// <c>"relu"</c>), numbers in their shortest round-trip form, so a replayed trial is bit-identical.
/// </remarks>
internal static class SearchStateFile
{
    private const string Format = "nabla-search-state";
    private const int Version = 1;

    public static void Write(string path, HyperparameterSearch search, SearchSpace space, IReadOnlyList<TrialRecord> trials) =>
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            foreach (var (name, value) in Header(search, space)) json.WriteString(name, value);
            json.WriteStartArray("trials");
            foreach (var trial in trials) WriteTrial(json, space, trial);
            json.WriteEndArray();
            json.WriteEndObject();
        });

    public static Dictionary<int, TrialRecord> Read(string path, HyperparameterSearch search, SearchSpace space)
    {
        var root = StrictJson.Parse(File.ReadAllText(path), path);
        if (root.String("format") != Format) throw root.Error($"\"format\" is \"{root.String("format")}\", not a saved search (\"{Format}\")");
        if (root.Integer("version", 0) != Version) throw root.Error($"version {root.Integer("version", 0)} is not one this library reads ({Version})");
        foreach (var (name, value) in Header(search, space))
            if (root.String(name) != value)
                throw root.Error($"it was saved by another search: its {name} is \"{root.String(name)}\", this search's is \"{value}\"; use another state file or the same settings");
        var trials = new Dictionary<int, TrialRecord>();
        foreach (var trial in root.Objects("trials"))
        {
            var record = ReadTrial(trial, space);
            if (!trials.TryAdd(record.Number, record)) throw trial.Error($"trial {record.Number} is saved twice");
        }
        return trials;
    }

    /// <summary>The fields that must match for a state to be resumed.</summary>
    private static IEnumerable<(string Name, string Value)> Header(HyperparameterSearch search, SearchSpace space) =>
    [
        ("search", search.Settings),
        ("space", space.ToString()),
        ("seed", search.Seed.ToString(CultureInfo.InvariantCulture)),
        ("direction", search.Direction.ToString()),
        ("degreeOfParallelism", search.DegreeOfParallelism.ToString(CultureInfo.InvariantCulture)),
        ("maxBudget", search.MaxBudget.ToString(CultureInfo.InvariantCulture)),
    ];

    private static void WriteTrial(Utf8JsonWriter json, SearchSpace space, TrialRecord trial)
    {
        json.WriteStartObject();
        json.WriteNumber("number", trial.Number);
        json.WriteNumber("budget", trial.Budget);
        json.WriteString("state", trial.State.ToString());
        json.WriteStartArray("parameters");
        foreach (string name in trial.Parameters.Names)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("value", trial.Parameters.Text(name));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (trial.Score is { } score) json.WriteNumber("score", score);
        if (trial.Std is { } std) json.WriteNumber("std", std);
        json.WriteNumber("seconds", trial.Duration.TotalSeconds);
        json.WriteStartArray("intermediate");
        foreach (var value in trial.IntermediateValues)
        {
            json.WriteStartObject();
            json.WriteNumber("step", value.Step);
            json.WriteNumber("value", value.Value);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (trial.Error is { } error) json.WriteString("error", error);
        json.WriteEndObject();
    }

    private static TrialRecord ReadTrial(StrictJson trial, SearchSpace space)
    {
        int number = trial.Integer("number", 0);
        var state = Enum.Parse<TrialState>(trial.OneOf("state", Enum.GetNames<TrialState>()));
        var parameters = trial.Objects("parameters");
        if (parameters.Length != space.Parameters.Count) throw trial.Error($"it has {parameters.Length} parameters, the space {space.Parameters.Count}");
        var values = new object[parameters.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var (name, distribution) = space.Parameters[i];
            if (parameters[i].String("name") != name) throw parameters[i].Error($"the parameter is \"{parameters[i].String("name")}\", expected \"{name}\"");
            string text = parameters[i].String("value");
            values[i] = distribution.Parse(text) ?? throw parameters[i].Error($"\"{text}\" is not a value of {name}={distribution}");
        }
        TrialScore? score = state == TrialState.Complete
            ? new TrialScore(trial.Number("score"), trial.Has("std") ? trial.Number("std") : null)
            : null;
        var intermediate = trial.Objects("intermediate")
            .Select(value => new IntermediateValue(value.Integer("step", int.MinValue), value.Number("value")))
            .ToArray();
        if (state == TrialState.Pruned && intermediate.Length == 0) throw trial.Error("a pruned trial has no intermediate values");
        return new TrialRecord(number, new TrialParameters(space, values), trial.Integer("budget", 1), state, score,
            TimeSpan.FromSeconds(trial.Number("seconds")), intermediate, state == TrialState.Failed ? trial.String("error") : null);
    }
}
