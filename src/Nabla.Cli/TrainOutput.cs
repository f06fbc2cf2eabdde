using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Nabla.Cli;

/// <summary>How <c>nabla train</c> shows its progress and results: text for people, or one JSON object for programs.</summary>
internal sealed class TrainOutput(bool quiet)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void WriteHeader(Dataset data, TrainSettings settings)
    {
        if (quiet) return;
        // Short lines: when the output is not a terminal, it is wrapped at 80 columns.
        AnsiConsole.MarkupLineInterpolated(Invariant,
            $"Linear regression of [bold]{data.TargetName}[/] on the built-in [bold]{data.Name}[/] data ({data.Rows} × {data.Columns})");
        AnsiConsole.MarkupLineInterpolated(Invariant,
            $"Gradient descent with autodiff: {settings.Epochs} epochs, learning rate {settings.LearningRate:G6}, seed {settings.Seed}");
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine($"[dim]{"epoch",10}  {"loss (MSE)",14}[/]");
    }

    public void WriteProgress(EpochLoss point)
    {
        if (quiet) return;
        AnsiConsole.WriteLine(string.Create(Invariant, $"{point.Epoch,10}  {point.Loss,14:F4}"));
    }

    public void WriteSummary(TrainResult result)
    {
        if (!quiet)
        {
            AnsiConsole.WriteLine();
            var table = new Table().AddColumns(
                new TableColumn("feature"),
                new TableColumn("weight per SD").RightAligned(),
                new TableColumn("coefficient (raw units)").RightAligned());
            for (int j = 0; j < result.FeatureNames.Count; j++)
                table.AddRow(
                    Markup.Escape(result.FeatureNames[j]),
                    result.StandardizedWeights[j].ToString("F4", Invariant),
                    result.Coefficients[j].ToString("G6", Invariant));
            table.AddRow("[dim](intercept)[/]", result.Bias.ToString("F4", Invariant), result.Intercept.ToString("G6", Invariant));
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine();
        }
        AnsiConsole.WriteLine(string.Create(Invariant, $"Training MSE: {result.Mse:F4}"));
        AnsiConsole.WriteLine(string.Create(Invariant, $"Training R²:  {result.R2:F4}"));
        if (!quiet)
            AnsiConsole.MarkupLineInterpolated(Invariant, $"[dim]Done in {result.Elapsed.TotalSeconds:F2} s.[/]");
    }

    public static void WriteJson(TrainResult result)
    {
        var weights = new JsonObject();
        var coefficients = new JsonObject();
        for (int j = 0; j < result.FeatureNames.Count; j++)
        {
            weights[result.FeatureNames[j]] = result.StandardizedWeights[j];
            coefficients[result.FeatureNames[j]] = result.Coefficients[j];
        }
        var history = new JsonArray();
        foreach (var point in result.History)
            history.Add(new JsonObject { ["epoch"] = point.Epoch, ["loss"] = point.Loss });

        var json = new JsonObject
        {
            ["command"] = "train",
            ["model"] = "linear",
            ["dataset"] = result.Dataset,
            ["samples"] = result.Samples,
            ["features"] = result.FeatureNames.Count,
            ["target"] = result.TargetName,
            ["epochs"] = result.Settings.Epochs,
            ["learningRate"] = result.Settings.LearningRate,
            ["seed"] = result.Settings.Seed,
            ["mse"] = result.Mse,
            ["r2"] = result.R2,
            ["bias"] = result.Bias,
            ["weights"] = weights,
            ["intercept"] = result.Intercept,
            ["coefficients"] = coefficients,
            ["history"] = history,
            ["seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
        };
        // Plain Console, not AnsiConsole: JSON must never be wrapped or styled.
        Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
