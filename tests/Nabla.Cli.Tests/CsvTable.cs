using System.Globalization;

namespace Nabla.Cli.Tests;

/// <summary>A numeric CSV with a header, last column the target: what the tests need to compute references.</summary>
internal sealed record CsvTable(string[] Columns, double[][] Features, double[] Target)
{
    public static CsvTable Read(string path)
    {
        var lines = File.ReadAllLines(path).Where(line => line.Trim().Length > 0).ToArray();
        var rows = lines[1..]
            .Select(line => line.Split(',').Select(cell => double.Parse(cell, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return new CsvTable(lines[0].Trim().Split(','), rows.Select(r => r[..^1]).ToArray(), rows.Select(r => r[^1]).ToArray());
    }
}
