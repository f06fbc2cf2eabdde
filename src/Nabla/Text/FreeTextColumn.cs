using Nabla.Data;

namespace Nabla.Text;

/// <summary>
/// Tells a column of free text (sentences, descriptions, reviews) from a column of categories, so that a
/// tabular model can refuse to one-hot encode it: one category per distinct sentence learns nothing
/// about new sentences.
/// </summary>
public static class FreeTextColumn
{
    /// <summary>The fewest distinct texts a free-text column has: a handful of values is a set of categories, whatever their length.</summary>
    public const int MinDistinctTexts = 10;

    /// <summary>The fewest words a free-text column's distinct texts have on average: categories are a word or two ("New York"), sentences more.</summary>
    public const double MinMeanWords = 3;

    private static readonly WordTokenizer Words = new();

    /// <summary>
    /// Whether <paramref name="column"/> holds free text: text (not numbers), at least <see cref="MinDistinctTexts"/>
    /// distinct values, with at least <see cref="MinMeanWords"/> words on average.
    /// </summary>
    public static bool Holds(CsvColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column.IsNumeric || column.Categories.Count < MinDistinctTexts) return false;
        double words = column.Categories.Sum(text => (double)Words.Tokenize(text).Count);
        return words / column.Categories.Count >= MinMeanWords;
    }
}
