using System.Globalization;

namespace Nabla.Cli;

/// <summary>The data sets shipped inside the command (see Data/README.md for their origin and licence).</summary>
internal static class BuiltInData
{
    /// <summary>
    /// The diabetes regression data (Efron et al. 2004): 442 patients, 10 raw baseline
    /// measurements, and the target <c>progression</c> one year later.
    /// </summary>
    public static Dataset Diabetes() => ReadCsvResource("diabetes", "Nabla.Cli.Data.diabetes.csv");

    /// <summary>Reads an embedded CSV whose first line is the header and whose last column is the target.</summary>
    private static Dataset ReadCsvResource(string name, string resourceName)
    {
        using var stream = typeof(BuiltInData).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The built-in data set '{name}' is missing from this build (resource {resourceName}).");
        using var reader = new StreamReader(stream);
        string file = resourceName["Nabla.Cli.Data.".Length..];

        string header = reader.ReadLine() ?? throw new InvalidDataException($"{file}: the file is empty.");
        string[] columns = header.Split(',').Select(c => c.Trim()).ToArray();
        if (columns.Length < 2)
            throw new InvalidDataException($"{file}, line 1: expected at least one feature and a target column, found {columns.Length} column(s).");

        var features = new List<float>();
        var target = new List<float>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            string[] cells = line.Split(',');
            if (cells.Length != columns.Length)
                throw new InvalidDataException($"{file}, line {lineNumber}: expected {columns.Length} cells, found {cells.Length}.");
            for (int c = 0; c < cells.Length; c++)
            {
                if (!float.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float value))
                    throw new InvalidDataException($"{file}, line {lineNumber}, column {c + 1} ({columns[c]}): '{cells[c].Trim()}' is not a number.");
                if (c < cells.Length - 1) features.Add(value);
                else target.Add(value);
            }
        }
        if (target.Count == 0) throw new InvalidDataException($"{file}: the header is not followed by any rows.");
        return new Dataset(name, columns[..^1], columns[^1], features.ToArray(), target.ToArray());
    }
}
