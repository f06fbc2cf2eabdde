using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.IO;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Training;

/// <summary>
/// The layout of a <see cref="TrainingCheckpoint"/> in a safetensors file: tensor name prefixes, and
/// one JSON value per <c>__metadata__</c> entry for everything that is not a tensor. Reading checks
/// every entry and names the file and the entry in its error.
/// </summary>
/// <remarks>
/// Doubles are JSON numbers in their shortest round-trip form, so they come back bit for bit; NaN and
/// the infinities, which JSON has no numbers for, are the strings "NaN", "Infinity" and "-Infinity".
/// Generator states are 64-bit words written as decimal strings, which every JSON reader keeps exact.
/// </remarks>
internal static class TrainingCheckpointFormat
{
    public const string ModelPrefix = "model.";
    public const string OptimizerPrefix = "optimizer.";
    public const string DataPrefix = "data.";
    public const string CallbacksPrefix = "callbacks.";
    internal const string FormatName = "nabla.training_checkpoint";
    private const string FormatVersion = "1";

    /// <summary>The header metadata for <paramref name="checkpoint"/>.</summary>
    public static Dictionary<string, string> Metadata(TrainingCheckpoint checkpoint)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["format_version"] = FormatVersion,
            ["optimizer_type"] = checkpoint.OptimizerType,
            ["epoch"] = checkpoint.Epoch.ToString(CultureInfo.InvariantCulture),
            ["step"] = checkpoint.Step.ToString(CultureInfo.InvariantCulture),
            ["optimizer_scalars"] = Json(w => WriteScalars(w, checkpoint.Optimizer.Scalars)),
            ["history"] = Json(w => WriteHistory(w, checkpoint.History)),
            ["generators"] = Json(w => WriteGenerators(w, checkpoint.Generators)),
            ["callbacks"] = Json(w =>
            {
                w.WriteStartObject();
                foreach (var (name, state) in checkpoint.Callbacks)
                {
                    w.WritePropertyName(name);
                    WriteScalars(w, state.Scalars);
                }
                w.WriteEndObject();
            }),
            ["run"] = Json(w =>
            {
                w.WriteStartObject();
                foreach (var (name, value) in checkpoint.Run) w.WriteString(name, value);
                w.WriteEndObject();
            }),
        };
        if (checkpoint.StopReason is { } reason) metadata["stop_reason"] = reason;
        return metadata;
    }

    /// <summary>The checkpoint held by a safetensors file's <paramref name="content"/>, every entry checked.</summary>
    public static TrainingCheckpoint Parse(string path, SafetensorsContent content)
    {
        var metadata = content.Metadata;
        string format = Required(path, metadata, "format");
        if (format != FormatName) throw Invalid(path, "format", $"is \"{format}\", expected \"{FormatName}\" (is this a model file rather than a training checkpoint?)");
        string version = Required(path, metadata, "format_version");
        if (version != FormatVersion) throw Invalid(path, "format_version", $"is \"{version}\"; this version of Nabla reads version {FormatVersion}");
        string optimizerType = Required(path, metadata, "optimizer_type");
        if (optimizerType.Length == 0) throw Invalid(path, "optimizer_type", "is empty");
        int epoch = (int)WholeNumber(path, "epoch", Required(path, metadata, "epoch"), int.MaxValue);
        long step = WholeNumber(path, "step", Required(path, metadata, "step"), long.MaxValue);

        var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var optimizerTensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var dataOrders = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var callbackTensors = new Dictionary<string, Dictionary<string, Tensor>>(StringComparer.Ordinal);
        foreach (var (name, tensor) in content.Tensors)
        {
            if (name.StartsWith(ModelPrefix, StringComparison.Ordinal) && name.Length > ModelPrefix.Length) model[name[ModelPrefix.Length..]] = tensor;
            else if (name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && name.Length > OptimizerPrefix.Length) optimizerTensors[name[OptimizerPrefix.Length..]] = tensor;
            else if (name.StartsWith(DataPrefix, StringComparison.Ordinal) && name.Length > DataPrefix.Length)
                dataOrders[name[DataPrefix.Length..]] = tensor.DType == DType.Int32 && tensor.Rank == 1 ? tensor.ToArray<int>()
                    : throw Invalid(path, $"tensor \"{name}\"", $"is {tensor.DType} of shape {Shapes.Format(tensor.ShapeArray)}, expected a vector of Int32 sample indices");
            else if (name.StartsWith(CallbacksPrefix, StringComparison.Ordinal) && name[CallbacksPrefix.Length..].Split('.', 3) is [var index, var type, var inner] && inner.Length > 0)
                (callbackTensors.TryGetValue($"{index}.{type}", out var found) ? found : callbackTensors[$"{index}.{type}"] = new(StringComparer.Ordinal))[inner] = tensor;
            else throw Invalid(path, $"tensor \"{name}\"", $"has none of the prefixes \"{ModelPrefix}\", \"{OptimizerPrefix}\", \"{DataPrefix}\", \"{CallbacksPrefix}<position>.<type>.\"");
        }
        if (model.Count == 0) throw Invalid(path, "tensors", $"hold no model weights (no name starts with \"{ModelPrefix}\")");

        var scalars = ReadScalars(path, "optimizer_scalars", Parsed(path, metadata, "optimizer_scalars"));
        var history = ReadHistory(path, Parsed(path, metadata, "history"), epoch);
        var generators = ReadGenerators(path, Parsed(path, metadata, "generators"));
        var callbacksRoot = Object(path, "callbacks", Parsed(path, metadata, "callbacks"));
        var callbacks = new Dictionary<string, CallbackState>(StringComparer.Ordinal);
        foreach (var callback in callbacksRoot.EnumerateObject())
            callbacks[callback.Name] = new CallbackState(ReadScalars(path, $"callbacks[\"{callback.Name}\"]", callback.Value),
                callbackTensors.Remove(callback.Name, out var tensors) ? tensors : null);
        if (callbackTensors.Count > 0)
            throw Invalid(path, $"tensor \"{CallbacksPrefix}{callbackTensors.Keys.First()}.{callbackTensors.Values.First().Keys.First()}\"", "belongs to a callback that has no entry in callbacks");
        var run = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in Object(path, "run", Parsed(path, metadata, "run")).EnumerateObject())
            run[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()!
                : throw Invalid(path, $"run[\"{entry.Name}\"]", $"is a JSON {entry.Value.ValueKind}, expected a string");
        metadata.TryGetValue("stop_reason", out string? stopReason);

        return new TrainingCheckpoint(model, optimizerType, new OptimizerState(optimizerTensors, scalars), epoch, step, history,
            stopReason, generators, dataOrders, callbacks, run);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) write(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteScalars(Utf8JsonWriter writer, IReadOnlyDictionary<string, double> scalars)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in scalars) WriteDouble(writer, name, value);
        writer.WriteEndObject();
    }

    private static void WriteHistory(Utf8JsonWriter writer, IReadOnlyList<EpochResult> history)
    {
        writer.WriteStartArray();
        foreach (var epoch in history)
        {
            writer.WriteStartObject();
            writer.WriteNumber("epoch", epoch.Epoch);
            WriteDouble(writer, "loss", epoch.Loss);
            WriteOptional(writer, "accuracy", epoch.Accuracy);
            WriteOptional(writer, "validation_loss", epoch.ValidationLoss);
            WriteOptional(writer, "validation_accuracy", epoch.ValidationAccuracy);
            WriteDouble(writer, "learning_rate", epoch.LearningRate);
            writer.WriteNumber("duration_ticks", epoch.Duration.Ticks);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v) WriteDouble(writer, name, v);
        else writer.WriteNull(name);
    }

    private static void WriteGenerators(Utf8JsonWriter writer, IReadOnlyDictionary<string, ulong[]> generators)
    {
        writer.WriteStartObject();
        foreach (var (role, state) in generators)
        {
            writer.WriteStartArray(role);
            foreach (ulong word in state) writer.WriteStringValue(word.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static Dictionary<string, double> ReadScalars(string path, string field, JsonElement element)
    {
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in Object(path, field, element).EnumerateObject())
            scalars[property.Name] = Double(path, $"{field}[\"{property.Name}\"]", property.Value);
        return scalars;
    }

    private static List<EpochResult> ReadHistory(string path, JsonElement element, int epochs)
    {
        if (element.ValueKind != JsonValueKind.Array) throw Invalid(path, "history", $"is a JSON {element.ValueKind}, expected an array");
        var history = new List<EpochResult>();
        foreach (var item in element.EnumerateArray())
        {
            string field = $"history[{history.Count}]";
            var entry = Object(path, field, item);
            int number = (int)WholeNumber(path, $"{field}.epoch", Property(path, field, entry, "epoch").GetRawText(), int.MaxValue);
            if (number != history.Count + 1) throw Invalid(path, $"{field}.epoch", $"is {number}, expected {history.Count + 1} (epochs are numbered from 1, in order)");
            long ticks = WholeNumber(path, $"{field}.duration_ticks", Property(path, field, entry, "duration_ticks").GetRawText(), long.MaxValue);
            history.Add(new EpochResult(number,
                Double(path, $"{field}.loss", Property(path, field, entry, "loss")),
                OptionalDouble(path, field, entry, "accuracy"),
                OptionalDouble(path, field, entry, "validation_loss"),
                OptionalDouble(path, field, entry, "validation_accuracy"),
                Double(path, $"{field}.learning_rate", Property(path, field, entry, "learning_rate")),
                TimeSpan.FromTicks(ticks)));
        }
        if (history.Count != epochs) throw Invalid(path, "history", $"holds {history.Count} epochs but the checkpoint says {epochs} are finished");
        return history;
    }

    private static Dictionary<string, ulong[]> ReadGenerators(string path, JsonElement element)
    {
        var generators = new Dictionary<string, ulong[]>(StringComparer.Ordinal);
        foreach (var role in Object(path, "generators", element).EnumerateObject())
        {
            string field = $"generators[\"{role.Name}\"]";
            if (role.Value.ValueKind != JsonValueKind.Array || role.Value.GetArrayLength() != 4)
                throw Invalid(path, field, $"is {role.Value.GetRawText()}, expected an array of the 4 state words as decimal strings");
            var state = new ulong[4];
            int i = 0;
            foreach (var word in role.Value.EnumerateArray())
            {
                if (word.ValueKind != JsonValueKind.String || !ulong.TryParse(word.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out state[i]))
                    throw Invalid(path, $"{field}[{i}]", $"is {word.GetRawText()}, expected a 64-bit unsigned integer as a decimal string");
                i++;
            }
            if (state.All(w => w == 0)) throw Invalid(path, field, "is all zeros, which no generator can be in");
            generators[role.Name] = state;
        }
        return generators;
    }

    private static double? OptionalDouble(string path, string field, JsonElement entry, string name)
    {
        var value = Property(path, field, entry, name);
        return value.ValueKind == JsonValueKind.Null ? null : Double(path, $"{field}.{name}", value);
    }

    private static double Double(string path, string field, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number)) return number;
        if (value.ValueKind == JsonValueKind.String)
        {
            switch (value.GetString())
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
        }
        throw Invalid(path, field, $"is {value.GetRawText()}, expected a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
    }

    private static long WholeNumber(string path, string field, string text, long maximum) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= maximum ? value
            : throw Invalid(path, field, $"is {text}, expected a whole number from 0 to {maximum}");

    private static JsonElement Property(string path, string field, JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) ? value : throw Invalid(path, field, $"has no \"{name}\"");

    private static JsonElement Object(string path, string field, JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element : throw Invalid(path, field, $"is a JSON {element.ValueKind}, expected an object");

    private static string Required(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out string? value) ? value : throw Invalid(path, key, "is missing from the header's __metadata__");

    private static JsonElement Parsed(string path, IReadOnlyDictionary<string, string> metadata, string key)
    {
        try
        {
            using var document = UntrustedJson.Parse(Required(path, metadata, key));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Invalid(path, key, $"is not valid JSON ({e.Message})");
        }
    }

    private static InvalidDataException Invalid(string path, string field, string why) =>
        new($"{path}: not a valid training checkpoint: {field} {why}.");
}
