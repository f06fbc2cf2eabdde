using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;
using Nabla.NN;
using Nabla.Text;

namespace Nabla.Onnx.Tests.Export;

/// <summary>
/// Text models to export: a table of short texts in three classes written to a temporary CSV file, its
/// <see cref="TextPreprocessor"/> (texts cut or padded to <see cref="MaxLength"/> ids), and networks over it with seeded random
/// weights, or, for TF-IDF, the idf learnt from the table and weights drawn or fitted by <see cref="LinearSvc"/>.
/// </summary>
internal static class ExportedTextModels
{
    /// <summary>The number of ids every text becomes.</summary>
    public const int MaxLength = 8;

    /// <summary>The table's target column.</summary>
    public const string Target = "topic";

    private static readonly string[][] Words =
    [
        ["apple", "banana", "cherry", "ripe", "sweet", "juicy", "orchard"],
        ["hammer", "wrench", "drill", "screw", "bolt", "steel", "workshop"],
        ["rain", "snow", "wind", "cloudy", "storm", "sunny", "cold"],
    ];

    private static readonly string[] Shared = ["the", "very", "a", "today", "big"];

    /// <summary>
    /// Texts a server might be sent besides the table's own: one word, words the vocabulary does not hold (one unknown id each),
    /// punctuation only (one unknown id), and a text longer than <see cref="MaxLength"/> with repeated words.
    /// </summary>
    public static readonly string[] Unusual =
    [
        "apple",
        "xyzzy plugh",
        "!!!",
        "rain rain rain snow snow the wind wind storm hammer cold cold",
    ];

    /// <summary>Writes 60 rows "text,topic" to <paramref name="path"/>: 2 to 10 words, mostly of the topic's own, the rest shared or another topic's.</summary>
    public static void WriteTable(string path)
    {
        var generator = new Generator(11);
        var lines = new List<string> { $"text,{Target}" };
        string[] topics = ["fruit", "tools", "weather"];
        for (int row = 0; row < 60; row++)
        {
            int topic = row % 3, count = 2 + generator.NextInt(9);
            var words = new string[count];
            for (int i = 0; i < count; i++)
            {
                double draw = generator.NextDouble();
                var pool = draw < 0.65 ? Words[topic] : draw < 0.85 ? Shared : Words[(topic + 1) % 3];
                words[i] = pool[generator.NextInt(pool.Length)];
            }
            lines.Add($"{string.Join(' ', words)},{topics[topic]}");
        }
        File.WriteAllLines(path, lines);
    }

    /// <summary>The table's texts, then <see cref="Unusual"/>.</summary>
    public static string[] Texts(string path) => [.. Csv.Read(path)["text"].Texts(), .. Unusual];

    /// <summary>
    /// A network of the layers <paramref name="layers"/> gives for the vocabulary size, over the table at <paramref name="path"/>,
    /// joined with its preprocessing; a TF-IDF layer learns its idf from the table and gets weights drawn from U(−1, 1), or
    /// fitted by <see cref="LinearSvc"/> when <paramref name="svm"/>. The weights are of <paramref name="dtype"/>.
    /// </summary>
    public static ModelPipeline Network(string path, Func<int, LayerSpec[]> layers, bool svm = false, int seed = 1, DType dtype = DType.Float32)
    {
        var table = Csv.Read(path);
        var preprocessor = TextPreprocessor.Fit(table, Target, ["text"], [.. Enumerable.Range(0, table.RowCount)], new TextOptions { MaxLength = MaxLength });
        var architecture = new ModelArchitecture([MaxLength], layers(preprocessor.Vocabulary.Count));
        var network = architecture.Build(dtype, new Generator((ulong)seed));
        if (network[0] is TfidfLinear tfidf)
        {
            var ids = preprocessor.TransformFeatures(table);
            tfidf.FitIdf(ids);
            if (svm)
            {
                var fitted = new LinearSvc(C: 10).Fit(tfidf.Weigh(ids), preprocessor.TransformTargets(table).ToArray<int>());
                tfidf.SetWeights(fitted.Coef, fitted.Intercept);
            }
            else
            {
                Init.Uniform(tfidf.Linear.Weight, -1, 1, new Generator((ulong)seed + 100));
                Init.Uniform(tfidf.Linear.Bias!, -1, 1, new Generator((ulong)seed + 200));
            }
        }
        var model = new ModelFile(architecture, network, ModelTask.Classification, preprocessor.ClassLabels, preprocessor.ToJson(),
            new Dictionary<string, double> { ["accuracy"] = 0.5 }, new Dictionary<string, string> { ["data"] = Path.GetFileName(path), ["seed"] = "1" });
        return ModelPipeline.Create(model, preprocessor);
    }

    /// <summary>Int32 [N, L] ids as the graph's input <paramref name="name"/>, Int64 [N, L].</summary>
    public static NamedOnnxValue Ids(Tensor ids, string name = "token_ids") =>
        NamedOnnxValue.CreateFromTensor(name, new DenseTensor<long>(ids.ToArray<int>().Select(id => (long)id).ToArray(), [ids.Shape[0], ids.Shape[1]]));
}
