using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// How one feature column of a table becomes model inputs: a number column is standardised with its
/// training mean and scale (one output), a text column is one-hot encoded over its training
/// categories, sorted by code point (one output per category). A category not seen in training
/// encodes as all zeros, as scikit-learn's <c>handle_unknown="ignore"</c>.
/// </summary>
public sealed class TabularFeature
{
    /// <summary>A text column may have this many categories whatever their share of the rows: a small table's category columns are never mistaken for identifiers.</summary>
    internal const int MaxIdentifierFreeCategories = 50;

    /// <summary>Above this share of distinct texts among the training rows (and <see cref="MaxIdentifierFreeCategories"/>), a text column is taken for an identifier.</summary>
    internal const double MaxDistinctShare = 0.5;

    private readonly Dictionary<string, int> _categoryIndex;

    private TabularFeature(string name, double mean, double scale)
    {
        Name = name;
        IsNumeric = true;
        Mean = mean;
        Scale = scale;
        Categories = [];
        _categoryIndex = [];
    }

    private TabularFeature(string name, string[] categories, int mostFrequent)
    {
        Name = name;
        Categories = categories;
        MostFrequent = mostFrequent;
        _categoryIndex = LabelOrder.IndexOf(categories, $"column '{name}'");
    }

    /// <summary>The column's name.</summary>
    public string Name { get; }

    /// <summary>Whether the column holds numbers (standardised) rather than text (one-hot).</summary>
    public bool IsNumeric { get; }

    /// <summary>The training mean of a number column, also the value that fills its missing cells.</summary>
    public double Mean { get; }

    /// <summary>The training standard deviation of a number column, 1 for a constant column.</summary>
    public double Scale { get; } = 1;

    /// <summary>The training categories of a text column, sorted by code point.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The index of the most frequent training category (the smallest on a tie), which fills missing cells.</summary>
    public int MostFrequent { get; }

    /// <summary>How many model inputs the column becomes.</summary>
    public int Width => IsNumeric ? 1 : Categories.Count;

    /// <summary>The names of the model inputs: the column's name, or "name=category" for each category.</summary>
    public IEnumerable<string> OutputNames => IsNumeric ? [Name] : Categories.Select(c => $"{Name}={c}");

    /// <summary>Learns the column's encoding from the training rows.</summary>
    /// <exception cref="InvalidDataException">A training cell is missing and <paramref name="missing"/> is Error, no training cell is present, a number
    /// is infinite, or a text column holds numbers written with a decimal comma or looks like an identifier (file, line and column named).</exception>
    internal static TabularFeature Fit(CsvTable table, CsvColumn column, ReadOnlySpan<int> rows, MissingValuePolicy missing)
    {
        if (column.IsNumeric)
        {
            var numbers = column.Numbers;
            double sum = 0;
            int present = 0, firstMissing = -1;
            foreach (int row in rows)
            {
                double v = numbers[row];
                if (double.IsNaN(v))
                {
                    if (firstMissing < 0) firstMissing = row;
                    continue;
                }
                if (double.IsInfinity(v)) throw InfiniteCell(table, column, row, v);
                sum += v;
                present++;
            }
            // An empty column is reported as such before any one of its cells: removing it is the fix, not filling it.
            if (present == 0) throw NoTrainingValues(table, column);
            if (firstMissing >= 0 && missing == MissingValuePolicy.Error) throw MissingCell(table, column, firstMissing);
            double mean = sum / present;
            // Imputation comes before scaling, as in a scikit-learn Pipeline(SimpleImputer, StandardScaler): a filled
            // cell sits at the mean, so it adds nothing to the squares but counts in the variance's divisor.
            double correction = 0, squares = 0;
            foreach (int row in rows)
            {
                double v = numbers[row];
                if (double.IsNaN(v)) continue;
                correction += v - mean;
                squares += (v - mean) * (v - mean);
            }
            double variance = (squares - correction * correction / rows.Length) / rows.Length;
            return new TabularFeature(column.Name, mean, StandardScaler.ScaleOf(variance, mean, rows.Length));
        }

        var codes = column.Codes;
        var counts = new int[column.Categories.Count];
        int firstMissingText = -1;
        foreach (int row in rows)
        {
            int code = codes[row];
            if (code >= 0) counts[code]++;
            else if (firstMissingText < 0) firstMissingText = row;
        }
        int[] seen = [.. Enumerable.Range(0, counts.Length).Where(c => counts[c] > 0)];
        if (seen.Length == 0) throw NoTrainingValues(table, column);
        RequireCategories(table, column, rows, seen);
        if (firstMissingText >= 0 && missing == MissingValuePolicy.Error) throw MissingCell(table, column, firstMissingText);
        Array.Sort(seen, (a, b) => string.CompareOrdinal(column.Categories[a], column.Categories[b]));
        string[] categories = [.. seen.Select(c => column.Categories[c])];
        int mostFrequent = 0;
        for (int k = 1; k < seen.Length; k++) if (counts[seen[k]] > counts[seen[mostFrequent]]) mostFrequent = k;
        return new TabularFeature(column.Name, categories, mostFrequent);
    }

    /// <summary>
    /// Writes the column's inputs for every row of <paramref name="table"/> into <paramref name="output"/>,
    /// row i at <c>i * stride + offset</c>; the one-hot slots must start at zero.
    /// </summary>
    /// <exception cref="InvalidDataException">A missing cell with <paramref name="missing"/> Error, an infinite number, or text in a number column (file, line, column and cell named).</exception>
    internal void Encode(CsvTable table, CsvColumn column, Span<float> output, int stride, int offset, MissingValuePolicy missing)
    {
        int n = column.Length;
        if (IsNumeric)
        {
            var values = column.IsNumeric ? null : NumbersOfCategories(column);
            var numbers = column.IsNumeric ? column.Numbers : default;
            for (int i = 0; i < n; i++)
            {
                double v;
                if (values is null) v = numbers[i];
                else
                {
                    int code = column.Codes[i];
                    v = code < 0 ? double.NaN : values[code];
                    if (code >= 0 && double.IsNaN(v))
                        throw new InvalidDataException(
                            $"{table.Source}, line {table.LineOf(i)}, column '{Name}': \"{column.Categories[code]}\" is not a number, but the model was trained on numbers in this column.");
                }
                if (double.IsNaN(v))
                {
                    if (missing == MissingValuePolicy.Error) throw MissingCell(table, column, i);
                    v = Mean;
                }
                if (double.IsInfinity(v)) throw InfiniteCell(table, column, i, v);
                output[i * stride + offset] = (float)((v - Mean) / Scale);
            }
            return;
        }

        var index = column.IsNumeric ? null : column.Categories.Select(c => _categoryIndex.GetValueOrDefault(c, -1)).ToArray();
        for (int i = 0; i < n; i++)
        {
            int k;
            if (index is not null) k = column.Codes[i] < 0 ? int.MinValue : index[column.Codes[i]];
            else
            {
                double v = column.Numbers[i];
                k = double.IsNaN(v) ? int.MinValue : _categoryIndex.GetValueOrDefault(TransformerState.Text(v), -1);
            }
            if (k == int.MinValue)
            {
                if (missing == MissingValuePolicy.Error) throw MissingCell(table, column, i);
                k = MostFrequent;
            }
            if (k >= 0) output[i * stride + offset + k] = 1;
        }
    }

    /// <summary>Writes the encoding as one JSON object.</summary>
    internal void Write(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        if (IsNumeric)
        {
            json.WriteString("type", "numeric");
            json.WriteNumber("mean", Mean);
            json.WriteNumber("scale", Scale);
        }
        else
        {
            json.WriteString("type", "categorical");
            json.WriteStartArray("categories");
            foreach (string category in Categories) json.WriteStringValue(category);
            json.WriteEndArray();
            json.WriteNumber("most_frequent", MostFrequent);
        }
        json.WriteEndObject();
    }

    /// <summary>Reads an encoding written by <see cref="Write"/>, checking every field.</summary>
    internal static TabularFeature Read(StrictJson json)
    {
        string name = json.String("name");
        if (name.Length == 0) throw json.Error("\"name\" is empty");
        if (json.OneOf("type", "numeric", "categorical") == "numeric")
        {
            double scale = json.Number("scale");
            if (scale <= 0) throw json.Error($"\"scale\" is {scale.ToString(CultureInfo.InvariantCulture)}, expected a positive number");
            return new TabularFeature(name, json.Number("mean"), scale);
        }
        string[] categories = json.Strings("categories");
        if (categories.Length == 0) throw json.Error("\"categories\" is empty; a text column has at least one category");
        int mostFrequent = json.Integer("most_frequent", 0);
        if (mostFrequent >= categories.Length) throw json.Error($"\"most_frequent\" is {mostFrequent}, but there are only {categories.Length} categories");
        try
        {
            return new TabularFeature(name, categories, mostFrequent);
        }
        catch (ArgumentException e)
        {
            throw json.Error(e.Message.TrimEnd('.'));
        }
    }

    /// <summary>The error for a missing cell: the file, line and column, and how to go on.</summary>
    internal static InvalidDataException MissingCell(CsvTable table, CsvColumn column, int row) =>
        new($"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': the value is missing; fill it in, or impute missing values "
            + "(MissingValuePolicy.ImputeMean, --impute mean on the command line).");

    /// <summary>The error for an infinite number, which no standardisation or model can use: the file, line, column and value.</summary>
    internal static InvalidDataException InfiniteCell(CsvTable table, CsvColumn column, int row, double value) =>
        new($"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': the value is {(value > 0 ? "+" : "-")}infinity; "
            + "a model needs finite numbers: replace it, or leave the cell empty to mark it missing.");

    /// <summary>
    /// Refuses a text column that cannot be one-hot encoded to any use: numbers written with a decimal comma (a
    /// spreadsheet's export in a European locale), which would silently become one category per number, and an
    /// identifier, whose categories are nearly all different and would each become one model input.
    /// </summary>
    private static void RequireCategories(CsvTable table, CsvColumn column, ReadOnlySpan<int> rows, int[] seen)
    {
        if (seen.All(c => IsDecimalCommaNumber(column.Categories[c])))
        {
            int row = FirstRowWithCode(column, rows, seen[0]);
            string text = column.Categories[seen[0]];
            throw new InvalidDataException(
                $"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': \"{text}\" is a number written with a decimal comma; "
                + $"every cell of the column is, so write them with a decimal point ({text.Replace(',', '.')}) to use them as numbers.");
        }
        if (seen.Length > MaxIdentifierFreeCategories && seen.Length > rows.Length * MaxDistinctShare)
        {
            int row = FirstRowWithCode(column, rows, seen[0]);
            throw new InvalidDataException(
                $"{table.Source}, column '{column.Name}': {seen.Length} different texts in {rows.Length} training rows (line {table.LineOf(row)} has \"{column.Categories[seen[0]]}\"), "
                + $"so it looks like an identifier rather than a category; one-hot encoding it would give {seen.Length} model inputs that say nothing about new rows. {LeaveOut(column)}");
        }
    }

    /// <summary>Whether <paramref name="text"/> is a number with one comma where a decimal point belongs, such as "1,5" or "-0,25".</summary>
    private static bool IsDecimalCommaNumber(string text) =>
        text.Count(c => c == ',') == 1 && !text.Contains('.')
        && double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static int FirstRowWithCode(CsvColumn column, ReadOnlySpan<int> rows, int code)
    {
        foreach (int row in rows) if (column.Codes[row] == code) return row;
        throw new ArgumentException($"No training row of column '{column.Name}' has the category code {code}.", nameof(code));
    }

    private static InvalidDataException NoTrainingValues(CsvTable table, CsvColumn column) =>
        new($"{table.Source}, column '{column.Name}': every training row is missing this value, so nothing can be learnt from it. {LeaveOut(column)}");

    /// <summary>How to leave a useless column out of the features, in the library's words and the command line's.</summary>
    private static string LeaveOut(CsvColumn column) =>
        $"Leave the column out of the features (TabularOptions.Drop, --drop {column.Name} on the command line).";

    /// <summary>The number each category of a text column spells, NaN where it is not a number.</summary>
    private static double[] NumbersOfCategories(CsvColumn column) =>
        [.. column.Categories.Select(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN)];
}
