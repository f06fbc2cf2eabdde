namespace Nabla.Text;

/// <summary>
/// A matrix stored by rows, keeping only the non-zero entries (compressed sparse rows, as SciPy's
/// <c>csr_matrix</c>): row i's entries are <see cref="ColumnIndices"/> and <see cref="Values"/> from
/// <see cref="RowPointers"/>[i] to <see cref="RowPointers"/>[i + 1], columns increasing. A TF-IDF
/// matrix of thousands of documents by tens of thousands of terms holds a few entries a row.
/// </summary>
public sealed class SparseRows
{
    private readonly int[] _rowPointers;
    private readonly int[] _columnIndices;
    private readonly double[] _values;

    /// <summary>Creates a matrix from its compressed rows (the arrays are copied).</summary>
    /// <param name="rowCount">The number of rows.</param>
    /// <param name="columnCount">The number of columns.</param>
    /// <param name="rowPointers">rowCount + 1 offsets into the entries: 0 first, the entry count last, never decreasing.</param>
    /// <param name="columnIndices">Each entry's column, in 0..columnCount − 1, strictly increasing within a row.</param>
    /// <param name="values">Each entry's value.</param>
    /// <exception cref="ArgumentNullException">An array is null.</exception>
    /// <exception cref="ArgumentException">A count is negative, or the arrays do not describe compressed rows (the first wrong entry named).</exception>
    public SparseRows(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, double[] values)
        : this(rowCount, columnCount, Copy(rowPointers), Copy(columnIndices), Copy(values), validate: true)
    {
    }

    private SparseRows(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, double[] values, bool validate)
    {
        if (validate) Validate(rowCount, columnCount, rowPointers, columnIndices, values);
        RowCount = rowCount;
        ColumnCount = columnCount;
        _rowPointers = rowPointers;
        _columnIndices = columnIndices;
        _values = values;
    }

    /// <summary>Wraps arrays built by the library, which are known to be well formed, without copying or checking them.</summary>
    internal static SparseRows Own(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, double[] values) =>
        new(rowCount, columnCount, rowPointers, columnIndices, values, validate: false);

    /// <summary>The number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The number of columns.</summary>
    public int ColumnCount { get; }

    /// <summary>The number of stored entries.</summary>
    public int NonZeroCount => _values.Length;

    /// <summary>Where each row's entries start, and (last) the entry count: <see cref="RowCount"/> + 1 offsets.</summary>
    public ReadOnlySpan<int> RowPointers => _rowPointers;

    /// <summary>The column of each entry, row after row, increasing within a row.</summary>
    public ReadOnlySpan<int> ColumnIndices => _columnIndices;

    /// <summary>The value of each entry, in the order of <see cref="ColumnIndices"/>.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The columns of row <paramref name="row"/>'s entries.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in 0..<see cref="RowCount"/> − 1.</exception>
    public ReadOnlySpan<int> ColumnsOf(int row) => _columnIndices.AsSpan(RangeOf(row));

    /// <summary>The values of row <paramref name="row"/>'s entries, in the order of <see cref="ColumnsOf"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is not in 0..<see cref="RowCount"/> − 1.</exception>
    public ReadOnlySpan<double> ValuesOf(int row) => _values.AsSpan(RangeOf(row));

    /// <summary>The whole matrix with its zeros, as a (rows, columns) tensor of <paramref name="dtype"/> (Float64 or Float32), for small matrices.</summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not a floating-point type, or the matrix has more elements than a tensor holds.</exception>
    public Tensor ToDense(DType dtype = DType.Float64)
    {
        if (dtype is not (DType.Float64 or DType.Float32))
            throw new ArgumentException($"SparseRows.ToDense: the values are real numbers; ask for Float64 or Float32, not {dtype}.", nameof(dtype));
        var dense = Tensor.Zeros([RowCount, ColumnCount], dtype);
        for (int row = 0; row < RowCount; row++)
            for (int k = _rowPointers[row]; k < _rowPointers[row + 1]; k++)
            {
                int offset = row * ColumnCount + _columnIndices[k];
                if (dtype == DType.Float64) dense.Float64Data[offset] = _values[k];
                else dense.Float32Data[offset] = (float)_values[k];
            }
        return dense;
    }

    private Range RangeOf(int row)
    {
        if ((uint)row >= (uint)RowCount)
            throw new ArgumentOutOfRangeException(nameof(row), row, $"SparseRows: rows run from 0 to {RowCount - 1}.");
        return _rowPointers[row].._rowPointers[row + 1];
    }

    private static T[] Copy<T>(T[] array, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(array))] string name = "")
    {
        ArgumentNullException.ThrowIfNull(array, name);
        return (T[])array.Clone();
    }

    private static void Validate(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, double[] values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        ArgumentOutOfRangeException.ThrowIfNegative(columnCount);
        if (rowPointers.Length != rowCount + 1)
            throw new ArgumentException($"SparseRows: {rowCount} rows need {rowCount + 1} row pointers, got {rowPointers.Length}.", nameof(rowPointers));
        if (columnIndices.Length != values.Length)
            throw new ArgumentException($"SparseRows: {columnIndices.Length} column indices but {values.Length} values; each entry has one of each.", nameof(values));
        if (rowPointers[0] != 0 || rowPointers[rowCount] != values.Length)
            throw new ArgumentException($"SparseRows: the row pointers must start at 0 and end at the entry count {values.Length}, got {rowPointers[0]} and {rowPointers[rowCount]}.", nameof(rowPointers));
        for (int row = 0; row < rowCount; row++)
        {
            if (rowPointers[row + 1] < rowPointers[row])
                throw new ArgumentException($"SparseRows: row pointer {row + 1} ({rowPointers[row + 1]}) is below row pointer {row} ({rowPointers[row]}).", nameof(rowPointers));
            for (int k = rowPointers[row]; k < rowPointers[row + 1]; k++)
            {
                int column = columnIndices[k];
                if ((uint)column >= (uint)columnCount)
                    throw new ArgumentException($"SparseRows: entry {k} (row {row}) has column {column}, outside 0..{columnCount - 1}.", nameof(columnIndices));
                if (k > rowPointers[row] && column <= columnIndices[k - 1])
                    throw new ArgumentException($"SparseRows: row {row}'s columns must increase, but column {column} follows {columnIndices[k - 1]}.", nameof(columnIndices));
            }
        }
    }
}
