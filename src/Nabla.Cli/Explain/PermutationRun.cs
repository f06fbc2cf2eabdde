using System.Globalization;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Explain;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla explain --method permutation</c>: the library's <see cref="PermutationImportance"/> over every row of the data, scored
/// by the model's own metric as <c>nabla evaluate</c> computes it (accuracy for a classifier, R² for a regression model), and
/// what it prints: each feature's mean drop ± its standard deviation over the repeats, the largest drop first.
/// </summary>
internal static class PermutationRun
{
    /// <summary>The metric a model is scored by, by its name in <see cref="ModelEvaluation.Metrics"/>.</summary>
    public static string Metric(ModelTask task) => task == ModelTask.Classification ? "accuracy" : "r2";

    /// <summary>The importances of every prepared feature of <paramref name="rows"/>, which must hold the targets.</summary>
    public static PermutationImportanceResult Compute(ModelPipeline pipeline, PreparedRows rows, int repeats, ulong seed)
    {
        var inputs = rows.Inputs;
        int count = inputs.Size(0);
        int[] sampleShape = [.. inputs.Shape.Skip(1)];
        string metric = Metric(pipeline.Model.Task);
        double Score(Tensor x, Tensor targets) => ModelEvaluation.Of(pipeline.Predict(x.Reshape([count, .. sampleShape])), targets).Metrics[metric];
        return PermutationImportance.Compute(Score, inputs.Reshape(count, inputs.Length / count), rows.Targets!, repeats, new Generator(seed));
    }

    /// <summary>The features to show, the largest mean drop first: the first <paramref name="top"/>, or all when 0.</summary>
    public static int[] Order(PermutationImportanceResult result, int top)
    {
        var order = Enumerable.Range(0, result.ImportancesMean.Length).OrderByDescending(i => result.ImportancesMean[i]).ThenBy(i => i);
        return [.. top == 0 ? order : order.Take(top)];
    }

    /// <summary>Writes the importances as text to standard output.</summary>
    public static void WriteText(string modelPath, string dataPath, int rowCount, ModelTask task, int repeats, ulong seed,
        PermutationImportanceResult result, IReadOnlyList<string> names, int top)
    {
        var output = TerminalWriter.Out;
        string metric = task == ModelTask.Classification ? "accuracy" : "R²";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Permutation importance of {modelPath}: the drop in {metric} when a feature is shuffled, over the {rowCount} rows of {dataPath} ({repeats} repeat{(repeats == 1 ? "" : "s")}, seed {seed})"));
        output.WriteLine($"{(metric == "R²" ? metric : "Accuracy")} with nothing shuffled: {ModelText.Metric(result.BaselineScore)}");
        output.WriteLine(ExplainOutput.FeaturesNote("Importances"));
        output.WriteLine();
        int[] shown = Order(result, top);
        int width = Math.Max("feature".Length, shown.Max(i => names[i].Length));
        output.WriteLine($"  {"feature".PadRight(width)}  {"mean drop",11}  {"± std",9}");
        foreach (int i in shown)
            output.WriteLine($"  {names[i].PadRight(width)}  {ExplainOutput.Signed(result.ImportancesMean[i]),11}  ± {CommandOutput.Brief(result.ImportancesStd[i]),7}");
        output.Flush();
    }

    /// <summary>The importances as one JSON object.</summary>
    public static JsonObject Json(string modelPath, string dataPath, ModelTask task, int repeats, ulong seed,
        PermutationImportanceResult result, IReadOnlyList<string> names, int top) => new()
    {
        ["command"] = "explain",
        ["method"] = "permutation",
        ["model"] = modelPath,
        ["data"] = dataPath,
        ["metric"] = Metric(task),
        ["baselineScore"] = CommandOutput.Json(result.BaselineScore),
        ["repeats"] = repeats,
        ["seed"] = seed,
        ["features"] = new JsonArray([.. Order(result, top).Select(i => (JsonNode)new JsonObject
        {
            ["feature"] = names[i],
            ["mean"] = CommandOutput.Json(result.ImportancesMean[i]),
            ["std"] = CommandOutput.Json(result.ImportancesStd[i]),
        })]),
    };
}
