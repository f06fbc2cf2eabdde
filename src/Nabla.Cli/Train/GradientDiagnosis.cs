using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// <c>--diagnose</c>: a <see cref="GradientReport"/> of the library's <see cref="GradientDiagnostics"/> told
/// in the command's terms. The library's findings end in advice about its API (Init.KaimingNormal,
/// Trainer.ClipGradNorm, BatchNorm1d); a user of the command needs the options that do the same, so each
/// finding keeps the library's diagnosis and gets the command's advice instead.
/// </summary>
internal static class GradientDiagnosis
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Where the library's advice begins in each of its findings, after the diagnosis.</summary>
    private const string LibraryAdvice = " Try ";

    /// <summary>The report's findings, each the library's diagnosis followed by what to change on the command line.</summary>
    public static IReadOnlyList<string> Findings(GradientReport report, TrainSettings settings) =>
        [.. report.Findings.Select(finding =>
        {
            int advice = finding.IndexOf(LibraryAdvice, StringComparison.Ordinal);
            string diagnosis = advice < 0 ? finding : finding[..advice];
            bool vanishing = finding.StartsWith("Vanishing", StringComparison.Ordinal);
            return $"{diagnosis} Try {Join(vanishing ? VanishingAdvice(settings) : ExplodingAdvice(settings))}.";
        })];

    /// <summary>The lines shown under an epoch: a table of the parameters, then each finding or a line saying there is none.</summary>
    public static string Text(GradientReport report, TrainSettings settings)
    {
        const string indent = "  ";
        int width = Math.Max("parameter".Length, report.Parameters.Count == 0 ? 0 : report.Parameters.Max(p => p.Name.Length));
        var text = new StringBuilder();
        text.Append(Invariant, $"{indent}{"parameter".PadRight(width)}  {"shape",-12}  {"grad norm",9}  {"grad RMS",9}  {"update/weight",13}").AppendLine();
        foreach (var p in report.Parameters)
        {
            string shape = "[" + string.Join(", ", p.Shape) + "]";
            text.Append(Invariant, $"{indent}{p.Name.PadRight(width)}  {shape,-12}  {Short(p.GradientNorm),9}  {Short(p.GradientRms),9}  {Short(p.UpdateRatio),13}").AppendLine();
        }
        var findings = Findings(report, settings);
        if (findings.Count == 0) text.Append(indent).Append("no vanishing or exploding gradients");
        else text.AppendJoin(Environment.NewLine, findings.Select(finding => $"{indent}warning: {finding}"));
        return text.ToString();
    }

    /// <summary>Adds <c>gradients</c> to each epoch of the JSON history that has a report (a resumed run has none for its restored epochs).</summary>
    public static void AddTo(JsonArray history, IReadOnlyList<GradientReport> reports, TrainSettings settings)
    {
        var byEpoch = reports.ToDictionary(report => report.Epoch);
        foreach (var entry in history.OfType<JsonObject>())
            entry["gradients"] = byEpoch.TryGetValue(entry["epoch"]!.GetValue<int>(), out var report) ? Json(report, settings) : null;
    }

    private static JsonObject Json(GradientReport report, TrainSettings settings) => new()
    {
        ["parameters"] = new JsonArray([.. report.Parameters.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["shape"] = new JsonArray([.. p.Shape.Select(d => JsonValue.Create(d))]),
            ["gradientNorm"] = Number(p.GradientNorm),
            ["gradientRms"] = Number(p.GradientRms),
            ["weightNorm"] = Number(p.WeightNorm),
            ["updateRatio"] = Number(p.UpdateRatio),
        })]),
        ["spread"] = Number(report.Spread),
        ["vanishing"] = report.VanishingGradients,
        ["exploding"] = report.ExplodingGradients,
        ["findings"] = new JsonArray([.. Findings(report, settings).Select(finding => JsonValue.Create(finding))]),
    };

    /// <summary>JSON has no NaN or infinity: a value not measured or not finite is null.</summary>
    private static JsonValue? Number(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;

    private static List<string> VanishingAdvice(TrainSettings settings)
    {
        var advice = new List<string>();
        if (settings.Model == ModelKind.Mlp)
        {
            if (settings.Activation is Activation.Sigmoid or Activation.Tanh)
                advice.Add($"--activation relu (or leaky_relu, gelu) instead of {TrainChoices.Activation.WordOf(settings.Activation)}");
            advice.Add("--batch-norm");
            if (settings.Hidden.Count > 1) advice.Add($"fewer layers in --hidden ({settings.Hidden.Count} now)");
        }
        if (settings.Optimizer is OptimizerKind.Sgd or OptimizerKind.Momentum)
            advice.Add("--optimizer adam (it scales each weight's step to its own gradients)");
        if (advice.Count == 0) advice.Add($"a higher --lr than {Rate(settings.LearningRate!.Value)}");
        return advice;
    }

    private static List<string> ExplodingAdvice(TrainSettings settings)
    {
        double rate = settings.LearningRate!.Value;
        var advice = new List<string>();
        if (settings.Optimizer != OptimizerKind.Lbfgs)
            advice.Add(settings.ClipGradNorm is { } clip ? $"a smaller --clip-grad-norm than {Rate(clip)}" : "--clip-grad-norm 1");
        advice.Add($"a lower --lr (now {Rate(rate)}; try {Rate(rate / 10)})");
        if (settings.Model == ModelKind.Mlp) advice.Add("--batch-norm");
        return advice;
    }

    /// <summary>Three significant digits, as "0.0123" or "1.32e-05".</summary>
    private static string Short(double value) => value.ToString("G3", Invariant).Replace('E', 'e');

    private static string Rate(double value) => value.ToString("G6", Invariant).Replace('E', 'e');

    /// <summary>"a, b, or c"; "a or b".</summary>
    private static string Join(List<string> items) => items.Count switch
    {
        1 => items[0],
        2 => $"{items[0]} or {items[1]}",
        _ => $"{string.Join(", ", items.Take(items.Count - 1))}, or {items[^1]}",
    };
}
