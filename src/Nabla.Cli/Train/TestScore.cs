namespace Nabla.Cli;

/// <summary>One test score under the names each output uses.</summary>
/// <param name="Key">The metric's key, as the model file, <c>--json</c> and <c>nabla evaluate</c> name it: "accuracy", "f1_macro", "r2", ...</param>
/// <param name="Label">The name in the text summary: "Test accuracy", "Macro F1", ...</param>
/// <param name="Value">The score.</param>
internal sealed record TestScore(string Key, string Label, double Value);
