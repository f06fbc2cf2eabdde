using Nabla.Data;

namespace Nabla.Distributed;

/// <summary>
/// Reads a CSV file spread over the ranks: rank r of N reads only part r of N (<see cref="Csv.ReadPart"/>),
/// and the ranks check together that they read the same file and that each column is of one kind on
/// every rank, as it would be read whole.
/// </summary>
/// <example>
/// <code>
/// CsvTable mine = DistributedCsv.ReadPart(comm, "sales.csv");   // this rank's rows only
/// </code>
/// </example>
public static class DistributedCsv
{
    private const byte NoValues = 0, Numbers = 1, Text = 2;

    /// <summary>This rank's part of the CSV file at <paramref name="path"/>, checked against the other ranks' parts.</summary>
    /// <param name="comm">The ranks; rank r reads part r of <see cref="Communicator.Size"/>.</param>
    /// <param name="path">The CSV file, the same file (by size) on every rank.</param>
    /// <param name="limits">The bounds of the file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="InvalidDataException">
    /// The file differs in size between ranks, or a column holds numbers on some ranks and text on others
    /// (the message names the column and ranks), or as <see cref="Csv.ReadPart"/> throws.
    /// </exception>
    public static CsvTable ReadPart(Communicator comm, string path, CsvLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(comm);
        ArgumentException.ThrowIfNullOrEmpty(path);
        Span<long> sizes = [File.Exists(path) ? new FileInfo(path).Length : -1, 0];
        sizes[1] = -sizes[0];
        comm.AllReduce(sizes, ReduceOperation.Max);
        if (sizes[0] != -sizes[1])
            throw new InvalidDataException($"{path}: the file is from {-sizes[1]} to {sizes[0]} bytes long on different ranks (-1: missing); every rank must read the same file.");

        var table = Csv.ReadPart(path, comm.Rank, comm.Size, limits);
        var kinds = comm.AllGather(table.Columns.Select(KindOf).ToArray());
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var numeric = Enumerable.Range(0, kinds.Length).Where(r => kinds[r][c] == Numbers).ToArray();
            var text = Enumerable.Range(0, kinds.Length).Where(r => kinds[r][c] == Text).ToArray();
            if (numeric.Length > 0 && text.Length > 0)
                throw new InvalidDataException(
                    $"{path}: column '{table.Columns[c].Name}' holds numbers in the rows of rank(s) {string.Join(", ", numeric)} and text in those of rank(s) {string.Join(", ", text)}; read whole, it is text. Fix its cells, or read the file whole.");
        }
        return table;
    }

    /// <summary>Whether a column of this part holds numbers, text, or no value at all (then it says nothing of the kind).</summary>
    private static byte KindOf(CsvColumn column) =>
        column.Length == column.MissingCount ? NoValues : column.IsNumeric ? Numbers : Text;
}
