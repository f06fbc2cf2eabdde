namespace Nabla.Cli;

/// <summary>One test score under the names each output uses.</summary>
/// <param name="Key">The name in the model file's metrics: "accuracy", "f1_macro", "r2", ...</param>
/// <param name="JsonName">The name in <c>--json</c> output, camelCase as its other fields: "macroF1", ...</param>
/// <param name="Label">The name in the text summary: "Test accuracy", "Macro F1", ...</param>
/// <param name="Value">The score.</param>
internal sealed record TestScore(string Key, string JsonName, string Label, double Value);
