using System.Globalization;
using System.Text.Json;
using Nabla.IO;

namespace Nabla.Data;

/// <summary>
/// Turns a CSV table into a model's inputs and targets, learning everything from the training rows
/// only: number columns are standardised (training mean and standard deviation; a constant column
/// gets scale 1), text columns one-hot encoded over their training categories (a category not seen
/// in training encodes as all zeros), and the target becomes class indices (classification) or a
/// standardised number (regression). A column of numbers with a few texts among them
/// (<see cref="CsvColumn.IsMostlyNumbers"/>) is refused, naming their lines: it fits neither kind.
/// Saved as JSON (<c>"kind": "tabular"</c>) inside model files.
/// </summary>
/// <example>
/// <code>
/// var table = Csv.Read("iris.csv");
/// var split = TrainTestSplit.Create(table.RowCount, randomState: 0);
/// var prep = TabularPreprocessor.Fit(table, "species", split.Train);
/// Tensor x = prep.TransformFeatures(table), y = prep.TransformTargets(table);   // [150, 4] Float32, [150] Int32
/// </code>
/// </example>
public sealed class TabularPreprocessor : Preprocessor
{
    /// <summary>The "kind" of this preprocessor's JSON.</summary>
    internal const string KindName = "tabular";

    /// <summary>The most distinct whole numbers a target column may hold to be taken as classes when the task is left to be decided.</summary>
    public const int MaxAutoClasses = 20;

    private readonly TabularFeature[] _features;
    private readonly int _width;

    private TabularPreprocessor(string target, ModelTask task, MissingValuePolicy missing, TabularFeature[] features,
        string[] classes, double targetMean, double targetScale) : base(classes)
    {
        Target = target;
        Task = task;
        Missing = missing;
        _features = features;
        TargetMean = targetMean;
        TargetScale = targetScale;
        _width = features.Sum(f => f.Width);
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override ModelTask Task { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<int> SampleShape => [_width];

    /// <summary>The name of the target column.</summary>
    public string Target { get; }

    /// <summary>What is done with missing feature cells.</summary>
    public MissingValuePolicy Missing { get; }

    /// <summary>How each feature column becomes model inputs (standardised number or one-hot categories), in the order of the inputs.</summary>
    public IReadOnlyList<TabularFeature> Features => _features;

    /// <summary>The feature columns the model reads, in the order of its inputs.</summary>
    public IReadOnlyList<string> InputColumns => [.. _features.Select(f => f.Name)];

    /// <summary>The name of each model input: a number column's name, or "column=category" for each one-hot slot.</summary>
    public IReadOnlyList<string> FeatureNames => [.. _features.SelectMany(f => f.OutputNames)];

    /// <summary>The training mean of a regression target (0 for classification).</summary>
    public double TargetMean { get; }

    /// <summary>The training standard deviation of a regression target, 1 when constant (1 for classification).</summary>
    public double TargetScale { get; }

    /// <summary>
    /// Learns the preprocessing of <paramref name="table"/> from <paramref name="trainingRows"/>: the
    /// target is the column named <paramref name="target"/> (or at that 0-based position), every
    /// other column is a feature except those <see cref="TabularOptions.Drop"/> leaves out.
    /// </summary>
    /// <remarks>
    /// When <see cref="TabularOptions.Task"/> is null, a text target means classification; a number target
    /// whose training values are all whole numbers, with at most <see cref="MaxAutoClasses"/> distinct
    /// values and no more than half as many distinct values as training rows, means classification;
    /// anything else is regression. Class labels are sorted: numbers by value ("2" before "10"), text
    /// by code point.
    /// </remarks>
    /// <exception cref="ArgumentException">No column <paramref name="target"/> or no column to drop of that name or position (the columns are
    /// listed), the target among the columns to drop, no training rows, or a row out of range.</exception>
    /// <exception cref="InvalidDataException">A training target is missing, a classification target has one class, regression is asked of a text
    /// target, the table has no feature column (or none is left after the drops), a feature cell is missing with <see cref="MissingValuePolicy.Error"/>, a number is infinite, a
    /// feature column is empty, holds numbers written with a decimal comma, or looks like an identifier (more than 50 distinct texts, over half
    /// the training rows), or the target or a feature column <see cref="CsvColumn.IsMostlyNumbers"/> (its texts' lines named); each names the file, line and column.</exception>
    public static TabularPreprocessor Fit(CsvTable table, string target, IReadOnlyList<int> trainingRows, TabularOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trainingRows);
        options ??= new TabularOptions();
        var targetColumn = FindColumn(table, target, "target column", nameof(target));
        if (trainingRows.Count == 0) throw new ArgumentException("There are no training rows; at least one is needed to fit.", nameof(trainingRows));
        foreach (int row in trainingRows)
            if ((uint)row >= (uint)table.RowCount)
                throw new ArgumentException($"Training row {row} is outside the table's {table.RowCount} rows.", nameof(trainingRows));
        if (table.Columns.Count < 2)
            throw new InvalidDataException($"{table.Source}: the only column is the target '{targetColumn.Name}'; at least one feature column is needed.");

        var dropped = DroppedColumns(table, targetColumn, options.Drop ?? []);
        if (dropped.Count == table.Columns.Count - 1)
            throw new InvalidDataException(
                $"{table.Source}: dropping {string.Join(", ", dropped.Select(c => $"'{c.Name}'"))} leaves only the target '{targetColumn.Name}'; at least one feature column is needed.");
        CsvColumn[] featureColumns = [.. table.Columns.Where(column => column != targetColumn && !dropped.Contains(column))];
        // Numbers with a few texts among them are a mistake in the file, whatever else is wrong: named before the rest.
        RequireOneType(table, targetColumn, isTarget: true);
        foreach (var column in featureColumns) RequireOneType(table, column, isTarget: false);
        foreach (int row in trainingRows)
            if (IsMissing(targetColumn, row))
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{targetColumn.Name}': the target value is missing; every training row needs one.");

        var task = options.Task ?? DetectTask(targetColumn, trainingRows);
        int[] rows = [.. trainingRows];
        TabularFeature[] features = [.. featureColumns.Select(column => TabularFeature.Fit(table, column, rows, options.Missing))];
        if (task == ModelTask.Classification)
        {
            string[] classes = ClassesOf(targetColumn, trainingRows);
            if (classes.Length < 2)
                throw new InvalidDataException(
                    $"{table.Source}, column '{targetColumn.Name}': every training row has the class '{classes[0]}'; a classifier needs at least two classes.");
            return new TabularPreprocessor(targetColumn.Name, task, options.Missing, features, classes, 0, 1);
        }
        if (!targetColumn.IsNumeric)
        {
            int first = trainingRows[0];
            throw new InvalidDataException(
                $"{table.Source}, column '{targetColumn.Name}': regression needs a number target, but the column holds text (line {table.LineOf(first)} has \"{targetColumn.Categories[targetColumn.Codes[first]]}\"); use classification.");
        }
        // The target is standardised as a number feature is; its training cells are all present (checked above).
        var standardised = TabularFeature.Fit(table, targetColumn, rows, MissingValuePolicy.Error);
        return new TabularPreprocessor(targetColumn.Name, task, options.Missing, features, [], standardised.Mean, standardised.Scale);
    }

    /// <summary>
    /// The model inputs of every row of <paramref name="table"/>: a Float32 [rows, <see cref="FeatureNames"/>.Count] tensor.
    /// The table needs each column of <see cref="InputColumns"/> by name, in any order; other columns, the target among them, are ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">A feature column is missing, a number column holds text, or a cell is missing with
    /// <see cref="MissingValuePolicy.Error"/>; each names the file (and the line and column).</exception>
    public Tensor TransformFeatures(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = table.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        if (MissingFeatures(table.Source, [.. table.ColumnNames]) is { } missing) throw missing;
        var result = Tensor.Zeros([table.RowCount, _width], DType.Float32);
        int offset = 0;
        foreach (var feature in _features)
        {
            feature.Encode(table, columns[feature.Name], result.Float32Data, _width, offset, Missing);
            offset += feature.Width;
        }
        return result;
    }

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/> for this preprocessing, checking its header first: a file without a column of
    /// <see cref="InputColumns"/> (or, with <paramref name="withTarget"/>, without <see cref="Target"/>) is refused at line 1, before
    /// any row is read. Only those columns are kept; the others are skipped, neither parsed nor stored, so a wide file costs only
    /// the columns the model reads, and a mistake in a column it ignores does not matter.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="withTarget">Whether the target column is read too (to evaluate), or left out (to predict).</param>
    /// <param name="limits">The bounds of the file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing from the header, the file is not a well-formed table, or it crosses a limit; the message names the file and line.</exception>
    public CsvTable ReadTable(string path, bool withTarget = false, CsvLimits? limits = null) => Csv.Read(path, limits, header =>
    {
        if (MissingFeatures($"{path}, line 1", header) is { } missing) throw missing;
        if (withTarget && !header.Contains(Target)) throw MissingTarget($"{path}, line 1", header);
        return withTarget ? InputColumns.Append(Target) : InputColumns;
    });

    /// <summary>
    /// The error for feature columns absent from <paramref name="present"/>, or null when none is; <paramref name="where"/>
    /// names the file (and line). Several absent columns mostly mean data of another kind than the model's: both sides are named, briefly.
    /// </summary>
    private InvalidDataException? MissingFeatures(string where, IReadOnlyList<string> present)
    {
        var names = present.ToHashSet(StringComparer.Ordinal);
        string[] absent = [.. _features.Where(f => !names.Contains(f.Name)).Select(f => $"'{f.Name}'")];
        if (absent.Length == 0) return null;
        if (absent.Length == 1)
            return new InvalidDataException($"{where}: the column {absent[0]} is missing; the model reads the columns {string.Join(", ", _features.Select(f => f.Name))}.");
        return new InvalidDataException(
            $"{where}: {absent.Length} of the {_features.Length} columns the model reads are missing ({NameList.Abridged(absent)}), so these may not be the data "
            + $"the model was trained for; the file has the columns {NameList.Abridged(present)}.");
    }

    private InvalidDataException MissingTarget(string where, IReadOnlyList<string> present) =>
        new($"{where}: there is no target column '{Target}'; the columns are: {NameList.Abridged(present)}.");

    /// <summary>
    /// The targets of every row of <paramref name="table"/>, as training saw them: class indices (Int32 [rows]) for
    /// classification, standardised values (Float32 [rows], see <see cref="InverseTransformTarget"/>) for regression.
    /// </summary>
    /// <exception cref="InvalidDataException">The target column is absent, a target is missing, a label was not seen in training, or a
    /// regression target is not a finite number; each names the file (and the line).</exception>
    public Tensor TransformTargets(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var column = table.Columns.FirstOrDefault(c => c.Name == Target) ?? throw MissingTarget(table.Source, [.. table.ColumnNames]);
        int n = table.RowCount;
        if (Task == ModelTask.Classification) return ClassIndices(table, column);
        for (int i = 0; i < n; i++)
            if (IsMissing(column, i))
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(i)}, column '{Target}': the target value is missing.");
        if (!column.IsNumeric)
        {
            int first = Enumerable.Range(0, n).First(i => !double.TryParse(LabelOf(column, i), NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            throw new InvalidDataException(
                $"{table.Source}, line {table.LineOf(first)}, column '{Target}': \"{LabelOf(column, first)}\" is not a number, but the model predicts numbers.");
        }
        var result = Tensor.Zeros([n], DType.Float32);
        var values = column.Numbers;
        var data = result.Float32Data;
        for (int i = 0; i < n; i++)
        {
            if (double.IsInfinity(values[i])) throw TabularFeature.InfiniteCell(table, column, i, values[i]);
            data[i] = (float)((values[i] - TargetMean) / TargetScale);
        }
        return result;
    }

    /// <summary>
    /// Regression predictions in the target's own units: each standardised value times the training scale plus the mean, in the same shape;
    /// Float64 for Float64 values (an estimator's), Float32 otherwise (a network's).
    /// </summary>
    /// <exception cref="InvalidOperationException">The task is classification.</exception>
    public Tensor InverseTransformTarget(Tensor standardized)
    {
        ArgumentNullException.ThrowIfNull(standardized);
        if (Task != ModelTask.Regression)
            throw new InvalidOperationException($"The target '{Target}' is a class label; only regression targets are standardised and transformed back.");
        var values = standardized.ToDoubleArray();
        for (int i = 0; i < values.Length; i++) values[i] = values[i] * TargetScale + TargetMean;
        var result = Tensor.FromArray(values, [.. standardized.Shape]);
        return standardized.DType == DType.Float64 ? result : result.To(DType.Float32);
    }

    /// <inheritdoc/>
    private protected override void WriteFields(Utf8JsonWriter json)
    {
        json.WriteString("task", Task == ModelTask.Classification ? "classification" : "regression");
        json.WriteString("target", Target);
        json.WriteString("missing", Missing == MissingValuePolicy.Error ? "error" : "impute_mean");
        json.WriteStartArray("features");
        foreach (var feature in _features) feature.Write(json);
        json.WriteEndArray();
        if (Task == ModelTask.Regression)
        {
            json.WriteNumber("target_mean", TargetMean);
            json.WriteNumber("target_scale", TargetScale);
        }
    }

    /// <summary>Rebuilds a preprocessor from <see cref="Preprocessor.ToJson"/>'s output, checking every field.</summary>
    internal static TabularPreprocessor FromJson(StrictJson json)
    {
        var task = json.OneOf("task", "classification", "regression") == "classification" ? ModelTask.Classification : ModelTask.Regression;
        string target = json.String("target");
        var missing = json.OneOf("missing", "error", "impute_mean") == "error" ? MissingValuePolicy.Error : MissingValuePolicy.ImputeMean;
        var features = json.Objects("features").Select(TabularFeature.Read).ToArray();
        if (features.Length == 0) throw json.Error("\"features\" is empty; a model reads at least one column");
        var names = new HashSet<string>(StringComparer.Ordinal) { target };
        foreach (var feature in features)
            if (!names.Add(feature.Name))
                throw json.Error($"the column '{feature.Name}' appears twice among the target and the features");
        if (task == ModelTask.Regression)
        {
            double scale = json.Number("target_scale");
            if (scale <= 0) throw json.Error($"\"target_scale\" is {scale.ToString(CultureInfo.InvariantCulture)}, expected a positive number");
            return new TabularPreprocessor(target, task, missing, features, [], json.Number("target_mean"), scale);
        }
        return new TabularPreprocessor(target, task, missing, features, ReadClasses(json), 0, 1);
    }

    /// <summary>
    /// The task <see cref="Fit"/> decides when <see cref="TabularOptions.Task"/> is null, judged from every row of
    /// <paramref name="table"/> whose target is present: for choosing how to split the rows (stratified for
    /// classification) before the preprocessing is fitted; pass the result as the task to <see cref="Fit"/> so both agree.
    /// </summary>
    /// <exception cref="ArgumentException">No column <paramref name="target"/> (the columns are listed).</exception>
    /// <exception cref="InvalidDataException">The target column <see cref="CsvColumn.IsMostlyNumbers"/>; the message names the lines of its texts.</exception>
    public static ModelTask DetectTask(CsvTable table, string target)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        var column = FindColumn(table, target, "target column", nameof(target));
        RequireOneType(table, column, isTarget: true);
        return DetectTask(column, [.. Enumerable.Range(0, table.RowCount).Where(row => !IsMissing(column, row))]);
    }

    /// <summary>
    /// The task when none is given: text, or few whole numbers (at most <see cref="MaxAutoClasses"/> and at most
    /// half the training rows), is classification; other numbers are regression.
    /// </summary>
    private static ModelTask DetectTask(CsvColumn target, IReadOnlyList<int> rows)
    {
        if (!target.IsNumeric) return ModelTask.Classification;
        var levels = new HashSet<double>();
        var values = target.Numbers;
        foreach (int row in rows)
        {
            double v = values[row];
            if (v != Math.Floor(v)) return ModelTask.Regression;
            if (levels.Add(v) && (levels.Count > MaxAutoClasses || levels.Count * 2 > rows.Count)) return ModelTask.Regression;
        }
        return ModelTask.Classification;
    }

    /// <summary>
    /// The column named <paramref name="nameOrPosition"/>, or else at that 0-based position: a name wins, so a
    /// header of numbers still finds its columns by name. <paramref name="role"/> says in the error what was sought.
    /// </summary>
    private static CsvColumn FindColumn(CsvTable table, string nameOrPosition, string role, string parameter)
    {
        if (table.Columns.FirstOrDefault(c => c.Name == nameOrPosition) is { } named) return named;
        if (int.TryParse(nameOrPosition, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < table.Columns.Count) return table.Columns[index];
        throw new ArgumentException(
            $"{table.Source}: there is no {role} '{nameOrPosition}' (a name, or a 0-based position below {table.Columns.Count}); the columns are: {string.Join(", ", table.ColumnNames)}.",
            parameter);
    }

    /// <summary>The columns <paramref name="drop"/> names or numbers, refusing an unknown one and the target.</summary>
    private static HashSet<CsvColumn> DroppedColumns(CsvTable table, CsvColumn target, IReadOnlyList<string> drop)
    {
        var dropped = new HashSet<CsvColumn>();
        foreach (string item in drop)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(drop));
            var column = FindColumn(table, item, "column to drop", nameof(TabularOptions.Drop));
            if (column == target)
                throw new ArgumentException(
                    $"{table.Source}: '{item}' is the target column '{target.Name}', which cannot be dropped; choose another target or leave it out of the columns to drop.",
                    nameof(TabularOptions.Drop));
            dropped.Add(column);
        }
        return dropped;
    }

    /// <summary>Refuses a column of numbers with a few texts among them, naming their lines: neither numbers nor categories fit it.</summary>
    private static void RequireOneType(CsvTable table, CsvColumn column, bool isTarget)
    {
        if (column.Stray is { } stray) throw stray.Error(table.Source, column.Name, isTarget);
    }
}
