using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Reads a CSV table of ratings for a recommender (<c>MatrixFactorization</c>, <c>ImplicitMatrixFactorization</c>): each
/// row's user and item ids from two named columns, and its rating (or, for implicit feedback, its strength: a count of plays
/// or clicks) from a third, when there is one. Ids are whole numbers used as they are, or text labels numbered by
/// <see cref="IdMap"/> when <see cref="Fit"/> finds text in the column; the maps are saved as JSON (<c>"kind": "ratings"</c>)
/// inside model files, so that predictions and recommendations name users and items as the data did.
/// </summary>
/// <example>
/// <code>
/// var table = Csv.Read("ratings.csv");
/// var prep = RatingsPreprocessor.Fit(table, user: "user", item: "item", target: "rating");
/// Tensor pairs = prep.TransformFeatures(table);   // Int32 [rows, 2]: user id, item id
/// string name = prep.Items.Text(7);               // the item with id 7 as the file wrote it
/// </code>
/// </example>
public sealed class RatingsPreprocessor : Preprocessor
{
    /// <summary>The "kind" of this preprocessor's JSON.</summary>
    internal const string KindName = "ratings";

    /// <summary>Names the columns of a ratings table.</summary>
    /// <param name="user">The column of user ids.</param>
    /// <param name="item">The column of item ids.</param>
    /// <param name="target">The column of ratings (or interaction strengths), or null for implicit feedback without one, where each row counts once.</param>
    /// <param name="users">The user ids: the column's numbers (by default) or labels.</param>
    /// <param name="items">The item ids: the column's numbers (by default) or labels.</param>
    /// <exception cref="ArgumentException">A name is empty, or two are the same.</exception>
    public RatingsPreprocessor(string user, string item, string? target, IdMap? users = null, IdMap? items = null) : base([])
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentException.ThrowIfNullOrEmpty(item);
        if (target is not null) ArgumentException.ThrowIfNullOrEmpty(target);
        if (user == item || user == target || item == target)
            throw new ArgumentException(target is null ? $"The user and item columns must differ, got '{user}' twice."
                : $"The user, item and rating columns must differ, got '{user}', '{item}' and '{target}'.");
        (UserColumn, ItemColumn, Target) = (user, item, target);
        Users = users ?? IdMap.Numbers;
        Items = items ?? IdMap.Numbers;
    }

    /// <summary>
    /// The preprocessing of a training table: the id maps of its user and item columns (numbers, or the labels it holds).
    /// </summary>
    /// <exception cref="InvalidDataException">A named column is missing from <paramref name="table"/>; the message names the file.</exception>
    public static RatingsPreprocessor Fit(CsvTable table, string user, string item, string? target)
    {
        ArgumentNullException.ThrowIfNull(table);
        var named = new RatingsPreprocessor(user, item, target);
        return new RatingsPreprocessor(user, item, target, IdMap.Learn(named.Column(table, user)), IdMap.Learn(named.Column(table, item)));
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>Regression: a rating (or a preference score) is a number.</summary>
    public override ModelTask Task => ModelTask.Regression;

    /// <summary>[2]: a user id and an item id.</summary>
    public override IReadOnlyList<int> SampleShape => [2];

    /// <summary>The column of user ids.</summary>
    public string UserColumn { get; }

    /// <summary>The column of item ids.</summary>
    public string ItemColumn { get; }

    /// <summary>The column of ratings (or strengths), or null when there is none.</summary>
    public string? Target { get; }

    /// <summary>How the user column's cells become ids.</summary>
    public IdMap Users { get; }

    /// <summary>How the item column's cells become ids.</summary>
    public IdMap Items { get; }

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
        string[] needed = withTarget && Target is { } target ? [UserColumn, ItemColumn, target] : [UserColumn, ItemColumn];
        if (needed.FirstOrDefault(name => !header.Contains(name)) is { } absent) throw Missing($"{path}, line 1", absent);
        return needed;
    });

    /// <summary>The (user id, item id) of every row: Int32 [rows, 2], by <see cref="Users"/> and <see cref="Items"/>. Other columns are ignored.</summary>
    /// <exception cref="InvalidDataException">A column is missing, or a cell is missing or not an id; the message names the file, line and column.</exception>
    public Tensor TransformFeatures(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        int[] users = UserIds(table), items = ItemIds(table);
        var pairs = new int[2 * users.Length];
        for (int r = 0; r < users.Length; r++) (pairs[2 * r], pairs[2 * r + 1]) = (users[r], items[r]);
        return Tensor.FromArray(pairs, users.Length, 2);
    }

    /// <summary>The user id of every row (<see cref="IdMap.UnknownLabel"/> for a label not seen in training).</summary>
    /// <exception cref="InvalidDataException">The column is missing, or a cell is missing or not an id; the message names the file, line and column.</exception>
    public int[] UserIds(CsvTable table) => Users.Ids(table, Column(table, UserColumn));

    /// <summary>The item id of every row (<see cref="IdMap.UnknownLabel"/> for a label not seen in training).</summary>
    /// <exception cref="InvalidDataException">The column is missing, or a cell is missing or not an id; the message names the file, line and column.</exception>
    public int[] ItemIds(CsvTable table) => Items.Ids(table, Column(table, ItemColumn));

    /// <summary>The rating of every row: Float64 [rows].</summary>
    /// <exception cref="InvalidOperationException">The preprocessing has no rating column.</exception>
    /// <exception cref="InvalidDataException">The column is missing, or a rating is missing, text or infinite; the message names the file, line and column.</exception>
    public Tensor TransformTargets(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (Target is null) throw new InvalidOperationException("RatingsPreprocessor.TransformTargets: this preprocessing has no rating column.");
        var column = Column(table, Target);
        if (!column.IsNumeric)
        {
            int row = column.FirstNonNumberRow();
            throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{Target}': \"{column.Categories[column.Codes[row]]}\" is not a number.");
        }
        var values = column.Numbers;
        for (int r = 0; r < values.Length; r++)
            if (!double.IsFinite(values[r]))
                throw new InvalidDataException(double.IsNaN(values[r])
                    ? $"{table.Source}, line {table.LineOf(r)}, column '{Target}': the cell is missing; expected a finite number."
                    : $"{table.Source}, line {table.LineOf(r)}, column '{Target}': {values[r].ToString(CultureInfo.InvariantCulture)} is not a finite number.");
        return Tensor.FromArray(values.ToArray());
    }

    /// <inheritdoc/>
    private protected override void WriteFields(Utf8JsonWriter json)
    {
        json.WriteString("user", UserColumn);
        json.WriteString("item", ItemColumn);
        if (Target is null) json.WriteNull("target");
        else json.WriteString("target", Target);
        WriteLabels(json, "user_labels", Users);
        WriteLabels(json, "item_labels", Items);
    }

    private static void WriteLabels(Utf8JsonWriter json, string name, IdMap ids)
    {
        if (!ids.IsLabels) return;
        json.WriteStartArray(name);
        foreach (string label in ids.Labels) json.WriteStringValue(label);
        json.WriteEndArray();
    }

    /// <summary>Rebuilds a preprocessor from <see cref="Preprocessor.ToJson"/>'s output, checking every field.</summary>
    internal static RatingsPreprocessor FromJson(StrictJson json)
    {
        try
        {
            return new RatingsPreprocessor(json.String("user"), json.String("item"), json.Has("target") ? json.String("target") : null,
                ReadLabels(json, "user_labels"), ReadLabels(json, "item_labels"));
        }
        catch (ArgumentException e)
        {
            throw json.Error(e.Message.TrimEnd('.'));
        }
    }

    private static IdMap ReadLabels(StrictJson json, string name) => json.Has(name) ? IdMap.ForLabels(json.Strings(name)) : IdMap.Numbers;

    /// <summary>The named column.</summary>
    private CsvColumn Column(CsvTable table, string name) => table.Columns.FirstOrDefault(c => c.Name == name) ?? throw Missing(table.Source, name);

    /// <summary>The error for an absent column; <paramref name="where"/> names the file (and line).</summary>
    private InvalidDataException Missing(string where, string name) => new(Target is null
        ? $"{where}: the column '{name}' is missing; the model reads the columns {UserColumn} and {ItemColumn}."
        : $"{where}: the column '{name}' is missing; the model reads the columns {UserColumn}, {ItemColumn} and, to evaluate, {Target}.");
}
