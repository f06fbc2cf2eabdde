namespace Nabla.Data;

/// <summary>
/// The text cells of a CSV column whose other cells, more than half of those with a value, are numbers:
/// most likely numbers with a few mistakes ("5.1x", "?"), which neither standardise as numbers nor make
/// sense one-hot encoded as categories (one per distinct number). Kept from the reading with the lines of
/// the first few, so that the error names them.
/// </summary>
internal sealed class StrayTexts(int numbers, int texts, IReadOnlyList<(long Line, string Text)> first)
{
    /// <summary>How many text cells <see cref="StrayTexts"/> keeps to name in the error.</summary>
    public const int Named = 3;

    /// <summary>A cell's text as the error quotes it: cut short when long, since a cell may be a whole line of a binary file.</summary>
    public static string Quoted(ReadOnlySpan<char> cell)
    {
        const int Shown = 40;
        return cell.Length <= Shown ? cell.ToString() : $"{cell[..Shown]}…";
    }

    /// <summary>
    /// The error that refuses the column: the first text cell's line, the others' lines, how many cells are numbers, and
    /// the fix: a feature's cells may be emptied, or the column left out; a target's rows need their value.
    /// </summary>
    public InvalidDataException Error(string source, string column, bool isTarget)
    {
        var (line, text) = first[0];
        string[] others = [.. first.Skip(1).Select(t => $"line {t.Line} \"{t.Text}\"")];
        if (texts > first.Count) others = [.. others, $"{texts - first.Count} more"];
        string nor = others.Length == 0 ? ""
            : $", nor {(texts == 2 ? "is" : "are")} {(others.Length == 1 ? others[0] : $"{string.Join(", ", others[..^1])} and {others[^1]}")}";
        string fix = isTarget
            ? texts == 1 ? "correct it, or leave its row out: every row needs a target" : "correct them, or leave their rows out: every row needs a target"
            : (texts == 1 ? "correct it, or empty the cell to mark it missing" : "correct them, or empty the cells to mark them missing")
              + $", or leave the column out of the features (TabularOptions.Drop, --drop {column} on the command line)";
        return new InvalidDataException(
            $"{source}, line {line}, column '{column}': \"{text}\" is not a number{nor}, but the column holds numbers in {numbers} of its {numbers + texts} "
            + $"rows with a value; {fix}.");
    }
}
