using System.Globalization;
using Nabla.Data;
using Nabla.Text;

namespace Nabla.Cli;

/// <summary>
/// The rows a training run uses, prepared by the library's preprocessing: the training rows
/// (validation is carved from them) and the test rows, and the fitted <see cref="Preprocessor"/>
/// that a model file keeps so that predictions prepare new data the same way.
/// </summary>
/// <param name="Name">What the data are called in messages and output: "digits" or the file or folder name.</param>
/// <param name="IsBuiltIn">Whether these are the built-in digits rather than a file given with <c>--data</c>.</param>
/// <param name="Preprocessor">The preparation fitted on the training rows.</param>
/// <param name="XTrain">Training inputs, Float32 [rows, features] or [rows, channels, height, width]; for a text model, Int32 vocabulary ids [rows, max length].</param>
/// <param name="YTrain">Training targets: Int32 class indices [rows], or Float32 standardised values [rows, 1].</param>
/// <param name="XTest">Test inputs, shaped as <paramref name="XTrain"/>.</param>
/// <param name="YTest">Test targets, as <paramref name="YTrain"/>.</param>
/// <param name="ImageShape">Channels, height and width when each row is an image, or null for plain features.</param>
internal sealed record TrainingData(string Name, bool IsBuiltIn, Preprocessor Preprocessor, Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest,
    (int Channels, int Height, int Width)? ImageShape)
{
    /// <summary>The built-in data set the default job trains on.</summary>
    public const string BuiltInName = "digits";

    /// <summary>The built-in digits are 8×8 grey images, one pixel a column.</summary>
    private const int DigitsSide = 8;

    /// <summary>Training and test rows together.</summary>
    public int Samples => XTrain.Size(0) + XTest.Size(0);

    /// <summary>The number of input values per row (pixels, for images).</summary>
    public int Features => XTrain.Length / XTrain.Size(0);

    /// <summary>What the targets are.</summary>
    public ModelTask Task => Preprocessor.Task;

    /// <summary>
    /// Reads and prepares what <c>--data</c> names: a CSV file (split into training and test rows,
    /// stratified by class for classification), a folder of IDX files (its own training and test
    /// sets), or, without <c>--data</c>, the built-in digits as a CSV table.
    /// </summary>
    /// <exception cref="CommandInputException">The path does not exist, or an option does not fit the data.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message names the file, line and column.</exception>
    public static TrainingData Load(TrainSettings settings)
    {
        if (settings.DataPath is not { } path)
        {
            if (settings.Task == ModelTask.Regression)
                throw new CommandInputException("--task regression does not fit the built-in digits, whose target is a class (0–9); use --task classification or auto.");
            var digits = Datasets.ReadTable(BuiltInName);
            return FromTable(digits, digits.Columns[^1].Name, settings, BuiltInName, isBuiltIn: true, (1, DigitsSide, DigitsSide));
        }
        if (Directory.Exists(path)) return FromIdxFolder(path, settings);
        if (!File.Exists(path))
            throw new CommandInputException($"--data '{path}': there is no such file or folder; give a CSV file or a folder of IDX files.");
        var table = Csv.Read(path, settings.CsvLimits);
        if (table.RowCount == 0)
            throw new CommandInputException($"--data '{path}': the file has a header row but no data rows.");
        string target = settings.TargetColumn ?? table.Columns[^1].Name;
        return settings.Text is { } text
            ? FromText(table, target, settings, text, Path.GetFileName(path))
            : FromTable(table, target, settings, Path.GetFileName(path), isBuiltIn: false, imageShape: null);
    }

    /// <summary>
    /// The rows of a text model: the target's labels as classes and the text columns as rows of vocabulary ids, the
    /// vocabulary learnt from the training rows; every other column must be dropped.
    /// </summary>
    private static TrainingData FromText(CsvTable table, string target, TrainSettings settings, TextModelSettings text, string name)
    {
        if (settings.Task == ModelTask.Regression)
            throw new CommandInputException("--text trains a classifier, but --task regression asks for numbers; text models predict a class (leave out --task).");
        var targetColumn = ColumnOf(table, target, "--target");
        foreach (string column in text.Columns)
        {
            if (table.Columns.All(c => c.Name != column))
                throw new CommandInputException($"--text '{column}': {table.Source} has no such column; the columns are: {string.Join(", ", table.ColumnNames)}.");
            if (column == targetColumn.Name)
                throw new CommandInputException($"--text '{column}' is the target column; a text model predicts the target from other columns of text.");
        }
        var dropped = settings.DropColumns.Select(item => ColumnOf(table, item, "--drop").Name).ToHashSet(StringComparer.Ordinal);
        var others = table.Columns.Where(c => c != targetColumn && !text.Columns.Contains(c.Name) && !dropped.Contains(c.Name)).Select(c => c.Name).ToList();
        if (others.Count > 0)
            throw new CommandInputException(
                $"{table.Source}: a text model reads only its --text column{(text.Columns.Count == 1 ? "" : "s")} ({string.Join(", ", text.Columns)}), but the file also has {string.Join(", ", others.Select(o => $"'{o}'"))}; leave {(others.Count == 1 ? "it" : "them")} out with --drop {string.Join(',', others)}.");
        // Every text becomes a row of --max-length ids, held twice (all rows, then the split): bounded before it is made.
        long idBytes = 2L * table.RowCount * text.MaxLength * sizeof(int);
        if (idBytes > settings.MemoryLimit.Bytes)
            throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                $"--max-length {text.MaxLength}: the {table.RowCount:N0} texts as rows of that many token ids take {idBytes / 1048576.0:N0} MB, more than the limit of {settings.MemoryLimit}; lower --max-length (the longest text of {table.Source} is what it needs at most)."), ExitCodes.Usage);
        var split = Split(table, targetColumn.Name, ModelTask.Classification, settings);
        var options = new TextOptions
        {
            // Word order is what the recurrent models read; the bags and TF-IDF lose it, so word pairs bring some back, and pieces of
            // words (character 3-grams) match what the vocabulary never saw whole: on the Debian descriptions they raise svm from 0.777 to 0.781 (seeds 0–2).
            MaxWordNGram = TextModelSettings.IsRecurrent(settings.Model) ? 1 : 2,
            CharNGrams = settings.Model is ModelKind.Bow or ModelKind.Svm ? (3, 3) : null,
            MinFrequency = text.MinFrequency,
            MaxVocabulary = text.VocabularySize,
            MaxLength = text.MaxLength,
        };
        TextPreprocessor preprocessor;
        try
        {
            preprocessor = TextPreprocessor.Fit(table, targetColumn.Name, text.Columns, split.Train, options);
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException(ErrorHandling.MessageOf(e));
        }
        var (xTrain, xTest) = split.Apply(preprocessor.TransformFeatures(table));
        var (yTrain, yTest) = split.Apply(preprocessor.TransformTargets(table));
        return new TrainingData(name, false, preprocessor, xTrain, yTrain, xTest, yTest, null);
    }

    /// <summary>The column an option names, by name or else by 0-based position.</summary>
    private static CsvColumn ColumnOf(CsvTable table, string nameOrPosition, string option)
    {
        if (table.Columns.FirstOrDefault(c => c.Name == nameOrPosition) is { } named) return named;
        if (int.TryParse(nameOrPosition, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < table.Columns.Count) return table.Columns[index];
        throw new CommandInputException($"{option} '{nameOrPosition}': {table.Source} has no such column (a name, or a 0-based position below {table.Columns.Count}); the columns are: {string.Join(", ", table.ColumnNames)}.");
    }

    /// <summary>
    /// Refuses a column of free text among a tabular model's features, which one-hot encoding would turn into one
    /// useless category per sentence; the message names the column and how to train on it.
    /// </summary>
    private static void RefuseFreeText(CsvTable table, string target, TrainSettings settings)
    {
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (string item in settings.DropColumns.Append(target))
            if (table.Columns.FirstOrDefault(c => c.Name == item) is { } named) excluded.Add(named.Name);
            else if (int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < table.Columns.Count) excluded.Add(table.Columns[index].Name);
        if (table.Columns.FirstOrDefault(c => !excluded.Contains(c.Name) && FreeTextColumn.Holds(c)) is { } text)
            throw new CommandInputException(
                $"{table.Source}: the column '{text.Name}' holds free text ({text.Categories.Count} distinct texts, such as \"{Abridged(text.Categories[0])}\"), which a model of numbers and categories cannot learn from; train a text model with --text {text.Name} --model lstm (or gru, rnn, bow, logistic, svm), or leave it out with --drop {text.Name}.");
    }

    private static string Abridged(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static TrainingData FromTable(CsvTable table, string target, TrainSettings settings, string name, bool isBuiltIn,
        (int, int, int)? imageShape)
    {
        if (!isBuiltIn) RefuseFreeText(table, target, settings);
        var task = settings.Task ?? TabularPreprocessor.DetectTask(table, target);
        var split = Split(table, target, task, settings);
        var missing = settings.Impute;
        var preprocessor = TabularPreprocessor.Fit(table, target, split.Train, new TabularOptions(task, missing, settings.DropColumns));
        var x = preprocessor.TransformFeatures(table);
        var y = preprocessor.TransformTargets(table);
        var (xTrain, xTest) = split.Apply(x);
        var (yTrain, yTest) = split.Apply(task == ModelTask.Regression ? y.Reshape(y.Size(0), 1) : y);
        return new TrainingData(name, isBuiltIn, preprocessor, xTrain, yTrain, xTest, yTest, imageShape);
    }

    /// <summary>The test rows, each class keeping its share in both parts when the target is a class.</summary>
    /// <exception cref="InvalidDataException">A row has no target, so it can neither train nor test; the message names its line.</exception>
    private static TrainTestSplit Split(CsvTable table, string target, ModelTask task, TrainSettings settings)
    {
        var column = table[target];
        if (column.MissingCount > 0)
        {
            int row = Enumerable.Range(0, table.RowCount).First(r => column.IsNumeric ? double.IsNaN(column.Numbers[r]) : column.Codes[r] < 0);
            throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': the target value is missing; every row needs one to train or test on.");
        }
        if (task == ModelTask.Regression) return TrainTestSplit.Create(table.RowCount, settings.TestSplit, randomState: settings.Seed);
        try
        {
            return column.IsNumeric
                ? TrainTestSplit.Stratified(column.Numbers.ToArray(), settings.TestSplit, randomState: settings.Seed)
                : TrainTestSplit.Stratified(column.Codes.ToArray(), settings.TestSplit, randomState: settings.Seed);
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException($"{table.Source}, column '{column.Name}': the {table.RowCount} rows cannot be split into training and test rows that each hold every class: {WhyNoSplit(table, column, settings.TestSplit) ?? ErrorHandling.MessageOf(e)}");
        }
    }

    /// <summary>
    /// Why a stratified split failed, in the data's and the option's words: a class with a single row (named
    /// by its label and line, not by the code the split works with), or a <c>--test-split</c> that leaves
    /// fewer test or training rows than classes, with the range that works; null when neither.
    /// </summary>
    private static string? WhyNoSplit(CsvTable table, CsvColumn column, double testSplit)
    {
        int n = table.RowCount;
        var rowsOfClass = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int row = 0; row < n; row++)
        {
            string label = column.IsNumeric ? column.Numbers[row].ToString(CultureInfo.InvariantCulture) : column.Categories[column.Codes[row]];
            if (!rowsOfClass.TryGetValue(label, out var rows)) rowsOfClass[label] = rows = [];
            rows.Add(row);
        }
        if (rowsOfClass.FirstOrDefault(c => c.Value.Count == 1) is { Key: { } single, Value: var only })
            return $"the class '{single}' has only 1 row (line {table.LineOf(only[0])}); every class needs at least 2, one to train on and one to test on.";
        int classes = rowsOfClass.Count;
        int test = (int)Math.Ceiling(testSplit * n);
        if (test >= classes && n - test >= classes) return null;
        if (2 * classes > n)
            return $"there are {classes} classes but only {n} rows; every class needs a training row and a test row, so the file needs at least {2 * classes} rows.";
        double low = Math.Ceiling(100.0 * classes / n) / 100, high = Math.Floor(100.0 * (n - classes) / n) / 100;
        return $"--test-split {Text(testSplit)} leaves {test} test and {n - test} training rows for {classes} classes; use a --test-split from {Text(low)} to {Text(high)}.";
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static TrainingData FromIdxFolder(string folder, TrainSettings settings)
    {
        if (settings.TargetColumn is { } target)
            throw new CommandInputException($"--target '{target}' does not fit --data '{folder}': a folder of IDX files has its labels in its own files, not in a column; leave out --target.");
        if (settings.DropColumns.Count > 0)
            throw new CommandInputException($"--drop does not fit --data '{folder}': a folder of IDX files holds images, not named columns; leave out --drop.");
        if (settings.Task == ModelTask.Regression)
            throw new CommandInputException($"--task regression does not fit --data '{folder}': the labels of IDX image files are classes; use --task classification or auto.");
        if (settings.Impute == MissingValuePolicy.ImputeMean)
            throw new CommandInputException($"--impute mean does not fit --data '{folder}': IDX images have no missing cells to fill; leave out --impute.");
        var images = IdxImageFolder.Load(folder);
        var prep = images.Preprocessor;
        return new TrainingData(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder))), false, prep,
            images.Train.Images, images.Train.Labels, images.Test.Images, images.Test.Labels, (prep.Channels, prep.Height, prep.Width));
    }
}
