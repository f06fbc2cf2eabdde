using Nabla.Data;

namespace Nabla.Tests.Text;

/// <summary>
/// Fixtures/debian-packages/excerpt.csv: 600 Debian package descriptions, 40 of each of 15 sections
/// (tools/fixtures/debian_packages_excerpt.py), in the repository so a plain clone reads it.
/// </summary>
internal static class DebianExcerpt
{
    private static readonly Lazy<CsvTable> s_table = new(() => Csv.Read(Path.Combine(AppContext.BaseDirectory, "Fixtures", "debian-packages", "excerpt.csv")));

    /// <summary>The excerpt as the CSV reader gives it: package, description, section.</summary>
    public static CsvTable Table => s_table.Value;

    /// <summary>The description of each row, in file order.</summary>
    public static IReadOnlyList<string> Descriptions => s_table.Value["description"].Texts();

    /// <summary>The section of each row, in file order.</summary>
    public static IReadOnlyList<string> Sections => s_table.Value["section"].Texts();
}
