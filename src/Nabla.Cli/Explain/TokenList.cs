namespace Nabla.Cli;

/// <summary>The tokens of one explained text that attributions are shown for: its positions that are not padding.</summary>
/// <param name="Positions">Each token's 0-based position in the text's ids.</param>
/// <param name="Names">Each token as the model's vocabulary writes it (a word, a word pair, a character 3-gram).</param>
internal sealed record TokenList(int[] Positions, string[] Names);
