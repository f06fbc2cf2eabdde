using System.Globalization;
using Nabla.Data;

namespace Nabla.Cli;

/// <summary>
/// The interactions <c>nabla train --model mf</c> learns from, read from the CSV file: each distinct (user, item) pair once,
/// with its rating (the last one given) or, for implicit feedback, its strength (the sum of those given), and its time.
/// </summary>
/// <param name="Name">The file's name, for messages and output.</param>
/// <param name="Preprocessor">The id maps of the user and item columns, saved with the model.</param>
/// <param name="Users">Each pair's user id.</param>
/// <param name="Items">Each pair's item id.</param>
/// <param name="Values">Each pair's rating, or strength (1 per row without a --rating column).</param>
/// <param name="Times">Each pair's time in seconds (the latest given), or null without <c>--timestamp</c>.</param>
/// <param name="Rows">The data rows of the file.</param>
internal sealed record RatingsData(string Name, RatingsPreprocessor Preprocessor, int[] Users, int[] Items, double[] Values, double[]? Times, int Rows)
{
    /// <summary>The rows that repeated a (user, item) pair of an earlier row.</summary>
    public int Repeats => Rows - Users.Length;

    /// <summary>Reads and checks the file <c>--data</c> names.</summary>
    /// <exception cref="CommandInputException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A named column is missing, or a cell is missing or malformed; the message names the file, line and column.</exception>
    public static RatingsData Load(TrainSettings settings, RecommenderSettings recommender)
    {
        string path = settings.DataPath!;
        if (!File.Exists(path))
            throw new CommandInputException($"--data '{path}': there is no such file; give a CSV file of ratings or interactions.");
        (string Column, string Option)[] named =
        [
            (recommender.UserColumn, "--user"), (recommender.ItemColumn, "--item"),
            .. recommender.RatingColumn is { } rating ? [(rating, "--rating")] : Array.Empty<(string, string)>(),
            .. recommender.TimestampColumn is { } time ? [(time, "--timestamp")] : Array.Empty<(string, string)>(),
        ];
        var table = Csv.Read(path, settings.CsvLimits, header =>
        {
            if (named.FirstOrDefault(n => !header.Contains(n.Column)) is { Column: not null } absent)
                throw new InvalidDataException($"{path}, line 1: there is no column '{absent.Column}' ({absent.Option}); the columns are {string.Join(", ", header)}.");
            return [.. named.Select(n => n.Column)];
        });

        var preprocessor = RatingsPreprocessor.Fit(table, recommender.UserColumn, recommender.ItemColumn, recommender.RatingColumn);
        int[] users = preprocessor.UserIds(table), items = preprocessor.ItemIds(table);
        double[] values = recommender.RatingColumn is null ? [.. Enumerable.Repeat(1.0, table.RowCount)] : preprocessor.TransformTargets(table).ToArray<double>();
        if (recommender.Implicit && recommender.RatingColumn is { } strength)
            for (int r = 0; r < values.Length; r++)
                if (values[r] < 0)
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                        $"{path}, line {table.LineOf(r)}, column '{strength}': {values[r]} is negative; the strength of an interaction (--rating with --implicit) is at least 0."));
        double[]? times = recommender.TimestampColumn is { } column ? ReadTimes(table, table[column]) : null;
        return Distinct(Path.GetFileName(path), preprocessor, users, items, values, times, recommender.Implicit);
    }

    /// <summary>Each pair once: a repeated rating replaces the earlier one (the latest opinion), a repeated interaction adds its strength.</summary>
    private static RatingsData Distinct(string name, RatingsPreprocessor preprocessor, int[] users, int[] items, double[] values, double[]? times, bool implicitFeedback)
    {
        var first = new Dictionary<(int, int), int>(users.Length);
        var keep = new List<int>(users.Length);
        var merged = new List<double>(users.Length);
        var latest = times is null ? null : new List<double>(users.Length);
        for (int r = 0; r < users.Length; r++)
        {
            if (first.TryGetValue((users[r], items[r]), out int at))
            {
                merged[at] = implicitFeedback ? merged[at] + values[r] : values[r];
                if (latest is not null) latest[at] = Math.Max(latest[at], times![r]);
                continue;
            }
            first[(users[r], items[r])] = keep.Count;
            keep.Add(r);
            merged.Add(values[r]);
            latest?.Add(times![r]);
        }
        return new RatingsData(name, preprocessor, [.. keep.Select(r => users[r])], [.. keep.Select(r => items[r])], [.. merged], latest?.ToArray(), users.Length);
    }

    /// <summary>The times of a column of numbers, or of ISO 8601 dates and times (in seconds since 1970, UTC unless they say otherwise).</summary>
    private static double[] ReadTimes(CsvTable table, CsvColumn column)
    {
        var times = new double[column.Length];
        for (int r = 0; r < times.Length; r++)
        {
            bool present = column.IsNumeric ? !double.IsNaN(column.Numbers[r]) : column.Codes[r] >= 0;
            if (!present)
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(r)}, column '{column.Name}': the cell is missing; expected a time (a number, or an ISO 8601 date).");
            if (column.IsNumeric)
            {
                times[r] = column.Numbers[r];
                continue;
            }
            string text = column.Categories[column.Codes[r]];
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(r)}, column '{column.Name}': \"{text}\" is not a time; expected a number (such as seconds since 1970) or an ISO 8601 date (2024-05-01 or 2024-05-01T12:30:00Z).");
            times[r] = time.ToUnixTimeMilliseconds() / 1000.0;
        }
        return times;
    }
}
