using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Reads a CSV table of ratings for a recommender (<c>MatrixFactorization</c>): each row's user and item
/// ids, whole numbers, from two named columns, and for evaluation its rating from a third. Nothing is
/// learnt: the ids are the model's own keys. Saved as JSON (<c>"kind": "ratings"</c>) inside model files.
/// </summary>
/// <example>
/// <code>
/// var prep = new RatingsPreprocessor(user: "user", item: "item", target: "rating");
/// Tensor pairs = prep.TransformFeatures(Csv.Read("ratings.csv"));   // Int32 [rows, 2]: user id, item id
/// </code>
/// </example>
public sealed class RatingsPreprocessor : Preprocessor
{
    /// <summary>The "kind" of this preprocessor's JSON.</summary>
    internal const string KindName = "ratings";

    /// <summary>Names the columns of a ratings table.</summary>
    /// <param name="user">The column of user ids.</param>
    /// <param name="item">The column of item ids.</param>
    /// <param name="target">The column of ratings, read for evaluation.</param>
    /// <exception cref="ArgumentException">A name is empty, or two are the same.</exception>
    public RatingsPreprocessor(string user, string item, string target) : base([])
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(item);
        ArgumentException.ThrowIfNullOrEmpty(target);
        if (user == item || user == target || item == target)
            throw new ArgumentException($"The user, item and rating columns must differ, got '{user}', '{item}' and '{target}'.");
        (UserColumn, ItemColumn, Target) = (user, item, target);
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>Regression: a rating is a number.</summary>
    public override ModelTask Task => ModelTask.Regression;

    /// <summary>[2]: a user id and an item id.</summary>
    public override IReadOnlyList<int> SampleShape => [2];

    /// <summary>The column of user ids.</summary>
    public string UserColumn { get; }

    /// <summary>The column of item ids.</summary>
    public string ItemColumn { get; }

    /// <summary>The column of ratings.</summary>
    public string Target { get; }

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/> for this preprocessing, checking its header first: a file without the user or
    /// item column (or, with <paramref name="withTarget"/>, the rating column) is refused at line 1, before any row is read. Only
    /// those columns are kept; the others are skipped, neither parsed nor stored.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="withTarget">Whether the rating column is read too (to evaluate), or left out (to predict).</param>
    /// <param name="limits">The bounds of the file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing from the header, the file is not a well-formed table, or it crosses a limit; the message names the file and line.</exception>
    public CsvTable ReadTable(string path, bool withTarget = false, CsvLimits? limits = null) => Csv.Read(path, limits, header =>
    {
        string[] needed = withTarget ? [UserColumn, ItemColumn, Target] : [UserColumn, ItemColumn];
        if (needed.FirstOrDefault(name => !header.Contains(name)) is { } absent) throw Missing($"{path}, line 1", absent);
        return needed;
    });

    /// <summary>The (user id, item id) of every row: Int32 [rows, 2]. Other columns are ignored.</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a cell is missing or not a whole number in Int32's range; the message names the file, line and column.</exception>
    public Tensor TransformFeatures(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int[] users = Ids(table, UserColumn), items = Ids(table, ItemColumn);
        var pairs = new int[2 * users.Length];
        for (int r = 0; r < users.Length; r++) (pairs[2 * r], pairs[2 * r + 1]) = (users[r], items[r]);
        return Tensor.FromArray(pairs, users.Length, 2);
    }

    /// <summary>The rating of every row: Float64 [rows].</summary>
    /// <exception cref="InvalidDataException">The column is missing, or a rating is missing, text or infinite; the message names the file, line and column.</exception>
    public Tensor TransformTargets(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var column = Column(table, Target);
        var values = column.Numbers;
        for (int r = 0; r < values.Length; r++)
            if (!double.IsFinite(values[r])) throw Cell(table, column, r, "a finite number");
        return Tensor.FromArray(values.ToArray());
    }

    /// <inheritdoc/>
    private protected override void WriteFields(Utf8JsonWriter json)
    {
        json.WriteString("user", UserColumn);
        json.WriteString("item", ItemColumn);
        json.WriteString("target", Target);
    }

    /// <summary>Rebuilds a preprocessor from <see cref="Preprocessor.ToJson"/>'s output, checking every field.</summary>
    internal static RatingsPreprocessor FromJson(StrictJson json)
    {
        try
        {
            return new RatingsPreprocessor(json.String("user"), json.String("item"), json.String("target"));
        }
        catch (ArgumentException e)
        {
            throw json.Error(e.Message.TrimEnd('.'));
        }
    }

    private int[] Ids(CsvTable table, string name)
    {
        var column = Column(table, name);
        var values = column.Numbers;
        var ids = new int[values.Length];
        for (int r = 0; r < ids.Length; r++)
        {
            double value = values[r];
            if (!(value == Math.Floor(value) && value >= int.MinValue && value <= int.MaxValue)) throw Cell(table, column, r, "a whole number id");
            ids[r] = (int)value;
        }
        return ids;
    }

    /// <summary>The named column, which must hold numbers.</summary>
    private CsvColumn Column(CsvTable table, string name)
    {
        var column = table.Columns.FirstOrDefault(c => c.Name == name) ?? throw Missing(table.Source, name);
        if (column.IsNumeric) return column;
        int row = Enumerable.Range(0, column.Length).First(r => column.Codes[r] >= 0);
        throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{name}': \"{column.Categories[column.Codes[row]]}\" is not a number.");
    }

    /// <summary>The error for an absent column; <paramref name="where"/> names the file (and line).</summary>
    private InvalidDataException Missing(string where, string name) =>
        new($"{where}: the column '{name}' is missing; the model reads the columns {UserColumn}, {ItemColumn} and, to evaluate, {Target}.");

    private static InvalidDataException Cell(CsvTable table, CsvColumn column, int row, string expected) => new(double.IsNaN(column.Numbers[row])
        ? $"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': the cell is missing; expected {expected}."
        : $"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': {column.Numbers[row].ToString(CultureInfo.InvariantCulture)} is not {expected}.");
}
