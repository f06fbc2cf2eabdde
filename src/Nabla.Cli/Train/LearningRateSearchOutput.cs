using System.Text.Json.Nodes;

namespace Nabla.Cli;

/// <summary>
/// What <c>nabla train --find-lr</c> shows once the search is done: the suggestion, the range where the
/// loss falls and the option to train with it, or, with <c>--json</c>, one JSON object and nothing else.
/// </summary>
internal sealed class LearningRateSearchOutput(TrainSettings settings)
{
    /// <summary>Writes the outcome of the search.</summary>
    /// <param name="search">What the finder measured.</param>
    /// <param name="data">The data searched on.</param>
    /// <param name="trainingRows">The rows whose batches the finder trained on.</param>
    /// <param name="model">What the model is, in one line.</param>
    /// <param name="parameters">The number of values the model learns.</param>
    /// <param name="plotPath">The full path of the picture written, or null.</param>
    public void Write(LearningRateSearchResult search, TrainingData data, int trainingRows, string model, long parameters, string? plotPath)
    {
        if (settings.Json)
        {
            var json = new JsonObject
            {
                ["command"] = "train",
                ["findLr"] = true,
                ["data"] = new JsonObject { ["name"] = data.Name, ["rows"] = data.Samples, ["features"] = data.Features, ["trainRows"] = trainingRows },
                ["model"] = new JsonObject { ["kind"] = TrainChoices.Model.WordOf(settings.Model), ["architecture"] = model, ["parameters"] = parameters },
                ["settings"] = new JsonObject
                {
                    ["optimizer"] = TrainChoices.Optimizer.WordOf(settings.Optimizer!.Value),
                    ["batchSize"] = settings.BatchSize,
                    ["clipGradNorm"] = settings.ClipGradNorm,
                    ["seed"] = settings.Seed,
                },
                ["learningRateFinder"] = search.ToJson(),
                ["modelPath"] = null,
                ["plotPath"] = plotPath,
            };
            // Plain Console, not the terminal writer: JSON must never be wrapped, styled or escaped.
            Console.Out.WriteLine(json.ToJsonString());
            return;
        }
        var text = TerminalWriter.Out;
        text.WriteLine(search.Summary());
        text.WriteLine($"Nothing was trained and no model written; to train with it: --lr {LearningRateSearchResult.Text(search.SuggestedLearningRate)} (or --lr auto, which searches the same way first).");
        if (plotPath is not null) text.WriteLine($"Plot saved to:   {plotPath}");
        text.Flush();
    }
}
