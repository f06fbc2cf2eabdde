using System.Globalization;

namespace Nabla.Data;

/// <summary>
/// The ids of one column of a ratings table, as a recommender keys them: a column of whole numbers is
/// used as it is (user 42 is id 42); a column of text (user "ann", or "u-17") has its distinct labels,
/// seen in training, numbered 0, 1, … in ordinal order, and a label not seen then has no id.
/// </summary>
/// <remarks>Saved with the preprocessing, so that a model file answers in the ids of the data it was trained on.</remarks>
public sealed class IdMap
{
    /// <summary>The id <see cref="Ids"/> gives a label not seen in training: never the id of a known label, which are 0 or more.</summary>
    public const int UnknownLabel = -1;

    private readonly string[]? _labels;
    private readonly Dictionary<string, int>? _index;

    private IdMap(string[]? labels)
    {
        _labels = labels;
        if (labels is null) return;
        _index = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
        for (int i = 0; i < labels.Length; i++)
            if (!_index.TryAdd(labels[i], i)) throw new ArgumentException($"IdMap: the label \"{labels[i]}\" appears twice.", nameof(labels));
    }

    /// <summary>Ids that are the column's whole numbers themselves.</summary>
    public static IdMap Numbers { get; } = new(null);

    /// <summary>Ids for text labels: each label's position in <paramref name="labels"/>.</summary>
    /// <exception cref="ArgumentException">A label is empty or appears twice.</exception>
    public static IdMap ForLabels(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        string[] list = [.. labels];
        if (list.Any(string.IsNullOrEmpty)) throw new ArgumentException("IdMap: a label is empty.", nameof(labels));
        return new IdMap(list);
    }

    /// <summary>The ids of a training column as training finds them: the numbers of a numeric column, else its labels in ordinal order.</summary>
    public static IdMap Learn(CsvColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.IsNumeric ? Numbers : ForLabels(column.Categories.Order(StringComparer.Ordinal));
    }

    /// <summary>Whether the ids number text labels (else they are the column's whole numbers).</summary>
    public bool IsLabels => _labels is not null;

    /// <summary>The labels in id order, or empty for numeric ids.</summary>
    public IReadOnlyList<string> Labels => _labels ?? [];

    /// <summary>
    /// The id of every row of <paramref name="column"/>: its whole number, or its label's id (<see cref="UnknownLabel"/> for a label not seen in training).
    /// A numeric cell of a column of labels is looked up as its text (42 as "42").
    /// </summary>
    /// <exception cref="InvalidDataException">A cell is missing, or (for numeric ids) not a whole number in Int32's range; the message names the file, line and column.</exception>
    public int[] Ids(CsvTable table, CsvColumn column)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(column);
        var ids = new int[column.Length];
        if (_index is null)
        {
            if (!column.IsNumeric)
            {
                int row = column.FirstNonNumberRow();
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': \"{column.Categories[column.Codes[row]]}\" is not a number; the model was trained on whole-number ids in this column.");
            }
            var values = column.Numbers;
            for (int r = 0; r < ids.Length; r++)
            {
                if (!TryWhole(values[r], out ids[r]))
                    throw new InvalidDataException(double.IsNaN(values[r])
                        ? $"{table.Source}, line {table.LineOf(r)}, column '{column.Name}': the cell is missing; expected a whole number id."
                        : $"{table.Source}, line {table.LineOf(r)}, column '{column.Name}': {values[r].ToString(CultureInfo.InvariantCulture)} is not a whole number id.");
            }
            return ids;
        }
        for (int r = 0; r < ids.Length; r++)
        {
            string? label = column.IsNumeric
                ? double.IsNaN(column.Numbers[r]) ? null : column.Numbers[r].ToString(CultureInfo.InvariantCulture)
                : column.Codes[r] < 0 ? null : column.Categories[column.Codes[r]];
            if (label is null)
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(r)}, column '{column.Name}': the cell is missing; expected an id.");
            ids[r] = _index.GetValueOrDefault(label, UnknownLabel);
        }
        return ids;
    }

    /// <summary>The id of an id as a user writes it (on the command line, in a request): a whole number, or a label.</summary>
    /// <returns>False for a label not seen in training; for numeric ids, false when <paramref name="text"/> is not a whole number in Int32's range.</returns>
    public bool TryParse(string text, out int id)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_index is not null) return _index.TryGetValue(text, out id);
        id = 0;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && TryWhole(value, out id);
    }

    /// <summary>The id as the data wrote it: the number, or the label.</summary>
    public string Text(int id) => _labels is null ? id.ToString(CultureInfo.InvariantCulture)
        : (uint)id < (uint)_labels.Length ? _labels[id] : throw new ArgumentOutOfRangeException(nameof(id), id, $"IdMap: there is no label with id {id}; there are {_labels.Length}.");

    private static bool TryWhole(double value, out int id)
    {
        bool whole = value == Math.Floor(value) && value >= int.MinValue && value <= int.MaxValue;
        id = whole ? (int)value : 0;
        return whole;
    }
}
