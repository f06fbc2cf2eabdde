namespace Nabla.Cli;

/// <summary>What <c>nabla explain</c> was asked to do, as its options gave it.</summary>
/// <param name="ModelPath">--model.</param>
/// <param name="DataPath">--data.</param>
/// <param name="Method">--method.</param>
/// <param name="Rows">--rows as given, or null for the default.</param>
/// <param name="Top">--top: features shown per row, 0 for all.</param>
/// <param name="Baseline">--baseline as given, or null for zero.</param>
/// <param name="Target">--target: the class label to explain, or null for each row's predicted class.</param>
/// <param name="Plot">--plot: the PNG to write, or null.</param>
/// <param name="Repeats">--repeats.</param>
/// <param name="Seed">--seed.</param>
/// <param name="Json">--json.</param>
internal sealed record ExplainRequest(string ModelPath, string DataPath, ExplainMethod Method, string? Rows, int Top, string? Baseline,
    string? Target, string? Plot, int Repeats, ulong Seed, bool Json);
