using System.Text;
using System.Text.Json;
using Nabla.Estimators;
using Nabla.IO;

namespace Nabla.Models;

/// <summary>
/// The JSON form of a <see cref="ModelArchitecture"/>: writing, and reading back with every field
/// checked. Each kind's field names live here, once, for both directions.
/// </summary>
internal static class ArchitectureJson
{
    private const string InputShape = "input_shape";
    private const string LayersKey = "layers";
    private const string KindKey = "kind";

    public static string Write(ModelArchitecture architecture)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray(InputShape);
            foreach (int d in architecture.InputShape) json.WriteNumberValue(d);
            json.WriteEndArray();
            json.WriteStartArray(LayersKey);
            foreach (var layer in architecture.Layers)
            {
                json.WriteStartObject();
                json.WriteString(KindKey, layer.Kind);
                WriteSizes(json, layer);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteSizes(Utf8JsonWriter json, LayerSpec layer)
    {
        switch (layer)
        {
            case LinearSpec linear:
                json.WriteNumber("in_features", linear.InFeatures);
                json.WriteNumber("out_features", linear.OutFeatures);
                break;
            case DropoutSpec dropout:
                json.WriteNumber("p", dropout.P);
                break;
            case BatchNorm1dSpec batchNorm:
                json.WriteNumber("num_features", batchNorm.NumFeatures);
                break;
            case Conv2dSpec conv:
                json.WriteNumber("in_channels", conv.InChannels);
                json.WriteNumber("out_channels", conv.OutChannels);
                json.WriteNumber("kernel_size", conv.KernelSize);
                json.WriteNumber("stride", conv.Stride);
                json.WriteNumber("padding", conv.Padding);
                break;
            case MaxPool2dSpec pool:
                json.WriteNumber("kernel_size", pool.KernelSize);
                json.WriteNumber("stride", pool.Stride);
                break;
            case SequenceClassifierSpec sequence:
                json.WriteString("cell", SequenceClassifierSpec.CellNames[sequence.Cell]);
                json.WriteNumber("vocabulary_size", sequence.VocabularySize);
                json.WriteNumber("embedding_dim", sequence.EmbeddingDim);
                json.WriteNumber("hidden_size", sequence.HiddenSize);
                json.WriteNumber("num_layers", sequence.NumLayers);
                json.WriteBoolean("bidirectional", sequence.Bidirectional);
                json.WriteString("pooling", SequenceClassifierSpec.PoolingNames[sequence.Pooling]);
                json.WriteNumber("dropout", sequence.Dropout);
                json.WriteNumber("classes", sequence.Classes);
                break;
            case EmbeddingBagSpec bag:
                json.WriteNumber("num_embeddings", bag.NumEmbeddings);
                json.WriteNumber("embedding_dim", bag.EmbeddingDim);
                break;
            case TfidfLinearSpec tfidf:
                json.WriteNumber("vocabulary_size", tfidf.VocabularySize);
                json.WriteNumber("out_features", tfidf.OutFeatures);
                json.WriteBoolean("sublinear_tf", tfidf.SublinearTf);
                break;
        }
    }

    public static ModelArchitecture Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        JsonDocument document;
        try
        {
            document = UntrustedJson.Parse(text, maxDepth: 8);
        }
        catch (JsonException e)
        {
            throw Invalid($"it is not valid JSON ({e.Message})");
        }
        using (document)
        {
            var root = new Fields(document.RootElement, "the architecture");
            int[] inputShape = root.Sizes(InputShape);
            var layerElements = root.Array(LayersKey);
            root.RequireNoOthers();
            var layers = new List<LayerSpec>();
            foreach (var element in layerElements)
                layers.Add(ReadLayer(new Fields(element, $"layer {layers.Count}")));
            try
            {
                return new ModelArchitecture(inputShape, layers);
            }
            catch (ArgumentException e)
            {
                throw Invalid(StateReader.MessageOf(e));
            }
        }
    }

    private static LayerSpec ReadLayer(Fields fields)
    {
        string kind = fields.String(KindKey);
        fields.Context += $" ({kind})";
        LayerSpec layer = kind switch
        {
            "linear" => new LinearSpec(fields.Int("in_features"), fields.Int("out_features")),
            "dropout" => new DropoutSpec(fields.Double("p")),
            "batch_norm1d" => new BatchNorm1dSpec(fields.Int("num_features")),
            "flatten" => new FlattenSpec(),
            "conv2d" => new Conv2dSpec(fields.Int("in_channels"), fields.Int("out_channels"), fields.Int("kernel_size"), fields.Int("stride"), fields.Int("padding")),
            "max_pool2d" => new MaxPool2dSpec(fields.Int("kernel_size"), fields.Int("stride")),
            "sequence_classifier" => new SequenceClassifierSpec(fields.OneOf("cell", SequenceClassifierSpec.CellNames), fields.Int("vocabulary_size"),
                fields.Int("embedding_dim"), fields.Int("hidden_size"), fields.Int("num_layers"), fields.Bool("bidirectional"),
                fields.OneOf("pooling", SequenceClassifierSpec.PoolingNames), fields.Double("dropout"), fields.Int("classes")),
            "embedding_bag" => new EmbeddingBagSpec(fields.Int("num_embeddings"), fields.Int("embedding_dim")),
            "tfidf_linear" => new TfidfLinearSpec(fields.Int("vocabulary_size"), fields.Int("out_features"), fields.Bool("sublinear_tf")),
            _ => ActivationSpec.Names.FirstOrDefault(n => n.Value == kind) is { Value: not null } named
                ? new ActivationSpec(named.Key)
                : throw fields.Invalid($"unknown kind \"{kind}\" (expected one of linear, {string.Join(", ", ActivationSpec.Names.Values)}, dropout, batch_norm1d, flatten, conv2d, max_pool2d, sequence_classifier, embedding_bag, tfidf_linear)"),
        };
        fields.RequireNoOthers();
        return layer;
    }

    private static InvalidDataException Invalid(string problem) => new($"architecture: {problem}.");

    /// <summary>The fields of one JSON object, read once each and by type; anything left over is an error.</summary>
    private sealed class Fields
    {
        private readonly JsonElement _element;
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public Fields(JsonElement element, string context)
        {
            Context = context;
            if (element.ValueKind != JsonValueKind.Object) throw ArchitectureJson.Invalid($"{context} is a JSON {element.ValueKind}, not an object");
            _element = element;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
                if (!seen.Add(property.Name)) throw ArchitectureJson.Invalid($"{context} names \"{property.Name}\" twice");
        }

        /// <summary>What the messages name: "the architecture", "layer 3 (conv2d)".</summary>
        public string Context { get; set; }

        public InvalidDataException Invalid(string problem) => ArchitectureJson.Invalid($"{Context}: {problem}");

        public string String(string name)
        {
            var value = Get(name);
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid($"\"{name}\" must be a string, got {value.GetRawText()}");
        }

        public int Int(string name)
        {
            var value = Get(name);
            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : throw Invalid($"\"{name}\" must be an integer, got {value.GetRawText()}");
        }

        public bool Bool(string name)
        {
            var value = Get(name);
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Invalid($"\"{name}\" must be true or false, got {value.GetRawText()}"),
            };
        }

        /// <summary>The key whose JSON name the string field holds.</summary>
        public TKey OneOf<TKey>(string name, IReadOnlyDictionary<TKey, string> names) where TKey : notnull
        {
            string text = String(name);
            return names.FirstOrDefault(entry => entry.Value == text) is { Value: not null } found
                ? found.Key
                : throw Invalid($"\"{name}\" is \"{text}\", expected one of {string.Join(", ", names.Values)}");
        }

        public double Double(string name)
        {
            var value = Get(name);
            return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Invalid($"\"{name}\" must be a number, got {value.GetRawText()}");
        }

        public List<JsonElement> Array(string name)
        {
            var value = Get(name);
            return value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : throw Invalid($"\"{name}\" must be an array, got {value.GetRawText()}");
        }

        public int[] Sizes(string name)
        {
            var items = Array(name);
            var sizes = new int[items.Count];
            for (int i = 0; i < sizes.Length; i++)
            {
                if (items[i].ValueKind != JsonValueKind.Number || !items[i].TryGetInt32(out sizes[i]))
                    throw Invalid($"\"{name}\" must hold integers, but item {i} is {items[i].GetRawText()}");
            }
            return sizes;
        }

        /// <summary>Fails when the object has a field no reader asked for: a misspelt or foreign field is a sign of the wrong file.</summary>
        public void RequireNoOthers()
        {
            foreach (var property in _element.EnumerateObject())
                if (!_read.Contains(property.Name))
                    throw Invalid($"unknown field \"{property.Name}\"");
        }

        private JsonElement Get(string name)
        {
            _read.Add(name);
            return _element.TryGetProperty(name, out var value) ? value : throw Invalid($"\"{name}\" is missing");
        }
    }
}
