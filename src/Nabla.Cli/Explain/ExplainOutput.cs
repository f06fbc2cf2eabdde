using System.Globalization;
using System.Text.Json.Nodes;

namespace Nabla.Cli;

/// <summary>What <c>nabla explain</c> prints for a gradient method: per row, its prediction, the class explained and the top attributions, as text or one JSON object.</summary>
internal static class ExplainOutput
{
    /// <summary>The line that says what <paramref name="what"/> (attributions, importances) are on, printed once in the header.</summary>
    public static string FeaturesNote(string what) =>
        $"{what} are on the prepared features the model reads (numbers standardised, categories one-hot, pixels scaled), not on the raw columns.";

    /// <summary>An attribution as printed: signed, four significant digits.</summary>
    public static string Signed(double value) => (value >= 0 ? "+" : "") + value.ToString("G4", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>The header line that says what a text model's attributions are on.</summary>
    public const string TokensNote = "Attributions are on the tokens of each text, as the model's vocabulary writes them (words, word pairs, character 3-grams); padding is left out.";

    /// <summary>Writes the rows as text to standard output.</summary>
    /// <param name="header">The lines that say what was explained, how, and what the attributions are on.</param>
    /// <param name="explanations">The rows.</param>
    /// <param name="names">The prepared features' names.</param>
    /// <param name="top">How many features to show per row (0: all).</param>
    public static void WriteText(IEnumerable<string> header, IReadOnlyList<RowExplanation> explanations, IReadOnlyList<string> names, int top)
    {
        var output = TerminalWriter.Out;
        foreach (string line in header) output.WriteLine(line);
        foreach (var row in explanations)
        {
            output.WriteLine();
            output.WriteLine(row.Explained is null
                ? $"Row {row.Row}: predicted {row.Predicted}"
                : $"Row {row.Row}: predicted {row.Predicted}, explaining class {row.Explained}");
            if (row.CompletenessError is double gap)
                output.WriteLine($"  completeness error {CommandOutput.Brief(gap)}, error bound {CommandOutput.Brief(row.ErrorBound!.Value)}, "
                    + $"{row.Evaluations!.Value.ToString(CultureInfo.InvariantCulture)} gradient evaluations{(row.Converged == false ? " (stopped at its budget before meeting its tolerance)" : "")}");
            var rowNames = row.NamesOr(names);
            int[] shown = TopFeatures.Of(row.Attributions, top);
            foreach (int i in shown) output.WriteLine($"  {rowNames[i].PadRight(shown.Max(j => rowNames[j].Length))}  {Signed(row.Attributions[i]),11}");
        }
        output.Flush();
    }

    /// <summary>The rows as one JSON object: the method, the model and, per row, its prediction, the class explained and the top attributions.</summary>
    public static JsonObject Json(string method, string modelPath, string dataPath, string? baseline, IReadOnlyList<RowExplanation> explanations,
        IReadOnlyList<string> names, int top) => new()
    {
        ["command"] = "explain",
        ["method"] = method,
        ["model"] = modelPath,
        ["data"] = dataPath,
        ["baseline"] = baseline,
        ["rows"] = new JsonArray([.. explanations.Select(row => (JsonNode)Json(row, names, top))]),
    };

    private static JsonObject Json(RowExplanation row, IReadOnlyList<string> names, int top)
    {
        var json = new JsonObject
        {
            ["row"] = row.Row,
            ["predicted"] = row.PredictedValue is double value ? CommandOutput.Json(value) : row.Predicted,
            ["target"] = row.Explained,
        };
        var shown = TopFeatures.Of(row.Attributions, top);
        if (row.Tokens is { } tokens)
            json["tokens"] = new JsonArray([.. shown.Select(i => (JsonNode)new JsonObject
            {
                ["position"] = tokens.Positions[i],
                ["token"] = tokens.Names[i],
                ["value"] = CommandOutput.Json(row.Attributions[i]),
            })]);
        else
            json["attributions"] = new JsonArray([.. shown.Select(i => (JsonNode)new JsonObject
            {
                ["feature"] = names[i],
                ["value"] = CommandOutput.Json(row.Attributions[i]),
            })]);
        if (row.CompletenessError is double gap)
        {
            json["completenessError"] = CommandOutput.Json(gap);
            json["errorBound"] = CommandOutput.Json(row.ErrorBound!.Value);
            json["evaluations"] = row.Evaluations;
            json["converged"] = row.Converged;
        }
        return json;
    }
}
