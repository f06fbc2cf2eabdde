using System.Globalization;
using System.Text;

namespace Nabla.Cli.Tests;

/// <summary>Small CSV files for the data-error tests: a good table of 40 rows, and each problem the command must name.</summary>
internal static class BadData
{
    private const int Rows = 40;

    /// <summary>40 rows of two number features and a yes/no label.</summary>
    public static string Good => Table((_, _) => null);

    /// <summary><see cref="Good"/> with the cell of column b empty on data rows 5 and 17 (lines 7 and 19).</summary>
    public static string WithGaps => Table((row, column) => column == "b" && row is 5 or 17 ? "" : null);

    /// <summary><see cref="Good"/> with "heavy" in the number column b on data row 9 (line 11).</summary>
    public static string WithText => Table((row, column) => column == "b" && row == 9 ? "heavy" : null);

    /// <summary><see cref="Good"/> with the last cell of data row 12 (line 14) dropped.</summary>
    public static string Ragged
    {
        get
        {
            var lines = Good.Split('\n');
            lines[13] = lines[13][..lines[13].LastIndexOf(',')];
            return string.Join('\n', lines);
        }
    }

    /// <summary><see cref="Good"/> without the label of data row 20 (line 22).</summary>
    public static string WithoutALabel => Table((row, column) => column == "label" && row == 20 ? "" : null);

    /// <summary><see cref="Good"/> with every label "yes".</summary>
    public static string OneClass => Table((_, column) => column == "label" ? "yes" : null);

    /// <summary>Columns a, b, label; <paramref name="replace"/> gives a cell's text instead of the usual one, or null to keep it.</summary>
    private static string Table(Func<int, string, string?> replace)
    {
        var text = new StringBuilder("a,b,label\n");
        for (int row = 0; row < Rows; row++)
        {
            string a = replace(row, "a") ?? (row * 0.5).ToString(CultureInfo.InvariantCulture);
            string b = replace(row, "b") ?? ((row * 7) % 11).ToString(CultureInfo.InvariantCulture);
            string label = replace(row, "label") ?? (row % 2 == 0 ? "yes" : "no");
            text.Append(CultureInfo.InvariantCulture, $"{a},{b},{label}\n");
        }
        return text.ToString();
    }
}
