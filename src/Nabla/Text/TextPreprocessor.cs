using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.IO;

namespace Nabla.Text;

/// <summary>
/// Turns the text columns of a CSV table into rows of vocabulary ids for a text classifier: each row's
/// texts tokenized (<see cref="TextOptions"/>), mapped through a <see cref="Vocabulary"/> learnt from the
/// training rows only, and padded with id 0 (or cut) to <see cref="TextOptions.MaxLength"/>; and the
/// target column's labels to class indices. Saved as JSON (<c>"kind": "text"</c>) inside model files, with
/// the tokenizer settings and the vocabulary, so predictions tokenize new texts exactly as training did.
/// </summary>
/// <remarks>
/// <para>
/// With several text columns, a row's text is its cells joined by a line break, in the columns' order.
/// A word not in the vocabulary becomes <see cref="Vocabulary.UnknownId"/>; a text with no word at all
/// (only punctuation, say) becomes one unknown id, so every row has at least one step.
/// </para>
/// <para>
/// Every text cell is checked, in training and in prediction, and refused with its file, line and
/// column named: an empty cell (there is no text to classify: drop the row or write the text), a cell
/// holding U+FFFD, the replacement character that bytes which are not valid UTF-8 decode to, and a
/// "text" column that holds only numbers (a number column is a feature of a tabular model).
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var table = Csv.Read("debian-packages.csv");
/// var prep = TextPreprocessor.Fit(table, "section", ["description"], trainRows, new TextOptions { MinFrequency = 2 });
/// Tensor ids = prep.TransformFeatures(table), y = prep.TransformTargets(table);   // Int32 [rows, 64], Int32 [rows]
/// </code>
/// </example>
public sealed class TextPreprocessor : Preprocessor
{
    /// <summary>The "kind" of this preprocessor's JSON.</summary>
    public const string KindName = "text";

    private readonly string[] _textColumns;
    private readonly WordTokenizer _words;
    private readonly CharNGramTokenizer? _characters;
    private readonly SequenceEncoder _encoder;

    private TextPreprocessor(string target, string[] textColumns, TextOptions options, Vocabulary vocabulary, string[] classes) : base(classes)
    {
        Target = target;
        _textColumns = textColumns;
        Options = options;
        Vocabulary = vocabulary;
        _words = new WordTokenizer(options.Tokenizer);
        _characters = options.CharNGrams is var (min, max) ? new CharNGramTokenizer(min, max, includeWords: false, options.Tokenizer) : null;
        _encoder = new SequenceEncoder(vocabulary, options.MaxLength);
    }

    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>Classification: a text model predicts a class.</summary>
    public override ModelTask Task => ModelTask.Classification;

    /// <summary>[<see cref="TextOptions.MaxLength"/>]: a row of ids.</summary>
    public override IReadOnlyList<int> SampleShape => [Options.MaxLength];

    /// <summary>The name of the target column.</summary>
    public string Target { get; }

    /// <summary>The text columns, in the order their cells are joined.</summary>
    public IReadOnlyList<string> TextColumns => _textColumns;

    /// <summary>How texts become terms, and the vocabulary's bounds.</summary>
    public TextOptions Options { get; }

    /// <summary>The terms learnt from the training rows, with their ids.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>
    /// Learns the vocabulary from the training rows' texts and the classes from their labels.
    /// </summary>
    /// <param name="table">The table.</param>
    /// <param name="target">The target column's name: its cells are class labels (text or whole numbers).</param>
    /// <param name="textColumns">The text columns' names, at least one, none the target.</param>
    /// <param name="trainingRows">The rows to learn from (0-based).</param>
    /// <param name="options">The tokenizer and vocabulary settings; the defaults when null.</param>
    /// <exception cref="ArgumentException">A column is absent (the columns are listed), named twice, or the target is a text column; no training rows, or one out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    /// <exception cref="InvalidDataException">A text cell is empty, not valid UTF-8, or a text column holds numbers; a training target is missing; one class only;
    /// or no term occurs <see cref="TextOptions.MinFrequency"/> times; each names the file (and line and column).</exception>
    public static TextPreprocessor Fit(CsvTable table, string target, IReadOnlyList<string> textColumns, IReadOnlyList<int> trainingRows, TextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(textColumns);
        ArgumentNullException.ThrowIfNull(trainingRows);
        options = (options ?? new TextOptions()).Validated();
        if (textColumns.Count == 0) throw new ArgumentException("TextPreprocessor: name at least one text column.", nameof(textColumns));
        if (textColumns.Distinct(StringComparer.Ordinal).Count() != textColumns.Count)
            throw new ArgumentException($"TextPreprocessor: a text column is named twice ({string.Join(", ", textColumns)}).", nameof(textColumns));
        if (textColumns.Contains(target, StringComparer.Ordinal))
            throw new ArgumentException($"TextPreprocessor: '{target}' is the target column; it cannot also be a text column.", nameof(textColumns));
        var targetColumn = ColumnOf(table, target, "target column");
        var columns = textColumns.Select(name => ColumnOf(table, name, "text column")).ToArray();
        if (trainingRows.Count == 0) throw new ArgumentException("TextPreprocessor: there are no training rows; at least one is needed to fit.", nameof(trainingRows));
        foreach (int row in trainingRows)
            if ((uint)row >= (uint)table.RowCount)
                throw new ArgumentException($"TextPreprocessor: training row {row} is outside the table's {table.RowCount} rows.", nameof(trainingRows));
        foreach (var column in columns) RequireText(table, column);
        foreach (int row in trainingRows)
            if (IsMissing(targetColumn, row))
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{targetColumn.Name}': the target value is missing; every training row needs one.");
        string[] classes = ClassesOf(targetColumn, trainingRows);
        if (classes.Length < 2)
            throw new InvalidDataException($"{table.Source}, column '{targetColumn.Name}': every training row has the class '{classes[0]}'; a classifier needs at least two classes.");

        var unfitted = new TextPreprocessor(targetColumn.Name, [.. columns.Select(c => c.Name)], options, Vocabulary.FromTokens([Vocabulary.PaddingToken, Vocabulary.UnknownToken]), classes);
        var texts = RowTexts(columns);
        var documents = trainingRows.Select(row => unfitted.Terms(texts[row]));
        var vocabulary = Vocabulary.Build(documents, options.MinFrequency, options.MaxVocabulary);
        if (vocabulary.Count <= Vocabulary.UnknownId + 1)
            throw new InvalidDataException($"{table.Source}: no term occurs {options.MinFrequency} times in the {trainingRows.Count} training texts, so the vocabulary is empty; lower the minimum frequency.");
        return new TextPreprocessor(targetColumn.Name, unfitted._textColumns, options, vocabulary, classes);
    }

    /// <summary>The terms of one text, as training counted them: its words, word n-grams and character n-grams (<see cref="TextOptions"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = _words.Tokenize(text);
        if (Options.MaxWordNGram == 1 && _characters is null) return words;
        var terms = new List<string>(WordNGrams.Of(words, 1, Options.MaxWordNGram));
        if (_characters is not null)
            foreach (string word in words) terms.AddRange(_characters.NGramsOf(word));
        return terms;
    }

    /// <summary>
    /// The ids of every row of <paramref name="table"/>: Int32 [rows, <see cref="TextOptions.MaxLength"/>], padded with 0.
    /// The table needs the text columns by name; other columns, the target among them, are ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">A text column is absent or holds numbers, or a cell is empty or not valid UTF-8; the message names the file (and line and column).</exception>
    public Tensor TransformFeatures(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = _textColumns.Select(name => table.Columns.FirstOrDefault(c => c.Name == name)
            ?? throw new InvalidDataException($"{table.Source}: there is no text column '{name}'; the model reads {Describe(_textColumns)}, and the columns are: {NameList.Abridged([.. table.ColumnNames])}.")).ToArray();
        foreach (var column in columns) RequireText(table, column);
        return TransformTexts(RowTexts(columns));
    }

    /// <summary>
    /// The ids of texts, Int32 [texts, <see cref="TextOptions.MaxLength"/>], padded with 0: each text one row's cells
    /// (with several text columns, joined by a line break, as a table's rows are).
    /// </summary>
    /// <exception cref="ArgumentException">A text is null.</exception>
    public Tensor TransformTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var documents = new IReadOnlyList<string>[texts.Count];
        for (int i = 0; i < documents.Length; i++)
            documents[i] = Terms(texts[i] ?? throw new ArgumentException($"TextPreprocessor: text {i} is null.", nameof(texts)));
        return _encoder.Encode(documents).Ids;
    }

    /// <summary>The class index of every row's label, Int32 [rows].</summary>
    /// <exception cref="InvalidDataException">The target column is absent, a label is missing or was not seen in training; the message names the file (and line).</exception>
    public Tensor TransformTargets(CsvTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var column = table.Columns.FirstOrDefault(c => c.Name == Target)
            ?? throw new InvalidDataException($"{table.Source}: there is no target column '{Target}'; the columns are: {NameList.Abridged([.. table.ColumnNames])}.");
        return ClassIndices(table, column);
    }

    /// <summary>
    /// Reads the CSV file at <paramref name="path"/> for this preprocessing, checking its header first: a file without a
    /// text column (or, with <paramref name="withTarget"/>, the target) is refused at line 1, before any row is read.
    /// Only those columns are kept; the others are skipped, neither parsed nor stored.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A column is missing from the header, the file is not a well-formed table, or it crosses a limit; the message names the file and line.</exception>
    public CsvTable ReadTable(string path, bool withTarget = false, CsvLimits? limits = null) => Csv.Read(path, limits, header =>
    {
        string[] absent = [.. _textColumns.Where(name => !header.Contains(name))];
        if (absent.Length > 0)
            throw new InvalidDataException($"{path}, line 1: the text column{(absent.Length == 1 ? "" : "s")} {Describe(absent)} {(absent.Length == 1 ? "is" : "are")} missing; the model reads {Describe(_textColumns)}, and the file has {NameList.Abridged(header)}.");
        if (withTarget && !header.Contains(Target))
            throw new InvalidDataException($"{path}, line 1: there is no target column '{Target}'; the columns are: {NameList.Abridged(header)}.");
        return withTarget ? _textColumns.Append(Target) : _textColumns;
    });

    /// <inheritdoc/>
    private protected override void WriteFields(Utf8JsonWriter json)
    {
        json.WriteString("target", Target);
        json.WriteStartArray("text_columns");
        foreach (string name in _textColumns) json.WriteStringValue(name);
        json.WriteEndArray();
        json.WriteBoolean("lowercase", Options.Tokenizer.Lowercase);
        json.WriteBoolean("keep_punctuation", Options.Tokenizer.KeepPunctuation);
        json.WriteBoolean("keep_apostrophes", Options.Tokenizer.KeepApostrophes);
        json.WriteNumber("min_token_length", Options.Tokenizer.MinTokenLength);
        json.WriteNumber("word_ngrams", Options.MaxWordNGram);
        if (Options.CharNGrams is var (min, max))
        {
            json.WriteStartArray("char_ngrams");
            json.WriteNumberValue(min);
            json.WriteNumberValue(max);
            json.WriteEndArray();
        }
        else json.WriteNull("char_ngrams");
        json.WriteNumber("min_frequency", Options.MinFrequency);
        if (Options.MaxVocabulary is { } size) json.WriteNumber("max_vocabulary", size);
        else json.WriteNull("max_vocabulary");
        json.WriteNumber("max_length", Options.MaxLength);
        json.WriteStartArray("vocabulary");
        foreach (string token in Vocabulary.ToList()) json.WriteStringValue(token);
        json.WriteEndArray();
    }

    /// <summary>Rebuilds a preprocessor from <see cref="Preprocessor.ToJson"/>'s output, checking every field.</summary>
    /// <exception cref="InvalidDataException">The JSON is malformed, not of kind "text", or a field is missing or out of range (named).</exception>
    public static TextPreprocessor ReadJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Read(StrictJson.Parse(json, "Preprocessing JSON"));
    }

    /// <summary>Rebuilds a preprocessor from its parsed JSON, checking every field.</summary>
    /// <exception cref="InvalidDataException">The JSON is not of kind "text", or a field is missing or out of range (named).</exception>
    internal static TextPreprocessor Read(StrictJson root)
    {
        root.OneOf("kind", KindName);
        string target = root.String("target");
        string[] textColumns = root.Strings("text_columns");
        if (textColumns.Length == 0) throw root.Error("\"text_columns\" is empty; a text model reads at least one column");
        if (textColumns.Append(target).Distinct(StringComparer.Ordinal).Count() != textColumns.Length + 1)
            throw root.Error("a column appears twice among the target and the text columns");
        int[]? charNGrams = root.IsNull("char_ngrams") ? null : root.Integers("char_ngrams", 1);
        if (charNGrams is not null && (charNGrams.Length != 2 || charNGrams[1] < charNGrams[0]))
            throw root.Error("\"char_ngrams\" must be [min, max] with 1 ≤ min ≤ max");
        TextOptions options;
        try
        {
            options = new TextOptions
            {
                Tokenizer = new TokenizerOptions(root.Boolean("lowercase"), root.Boolean("keep_punctuation"), root.Boolean("keep_apostrophes"), root.Integer("min_token_length", 1)),
                MaxWordNGram = root.Integer("word_ngrams", 1),
                CharNGrams = charNGrams is null ? null : (charNGrams[0], charNGrams[1]),
                MinFrequency = root.Integer("min_frequency", 1),
                MaxVocabulary = root.IsNull("max_vocabulary") ? null : root.Integer("max_vocabulary", 3),
                MaxLength = root.Integer("max_length", 1),
            }.Validated();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw root.Error($"a setting is out of range: {e.Message}");
        }
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromTokens(root.Strings("vocabulary"));
        }
        catch (InvalidDataException e)
        {
            throw root.Error($"\"vocabulary\": {e.Message.TrimEnd('.')}");
        }
        if (vocabulary.Count <= Vocabulary.UnknownId + 1) throw root.Error("the vocabulary holds no token besides <pad> and <unk>");
        return new TextPreprocessor(target, textColumns, options, vocabulary, ReadClasses(root));
    }

    /// <summary>Each row's text: its cells in the text columns, joined by a line break.</summary>
    private static string[] RowTexts(CsvColumn[] columns)
    {
        var cells = columns.Select(column => column.Texts()).ToArray();
        return cells.Length == 1 ? cells[0] : [.. Enumerable.Range(0, cells[0].Length).Select(row => string.Join('\n', cells.Select(column => column[row])))];
    }

    /// <summary>Refuses a column of numbers, an empty cell and a cell that was not valid UTF-8, naming the line.</summary>
    private static void RequireText(CsvTable table, CsvColumn column)
    {
        if (column.IsNumeric)
        {
            int first = Enumerable.Range(0, table.RowCount).FirstOrDefault(row => !double.IsNaN(column.Numbers[row]));
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{table.Source}, line {table.LineOf(first)}, column '{column.Name}': the column holds numbers ({column.Numbers[first]}), not text; a text column holds words. Leave it out of the text columns."));
        }
        var codes = column.Codes;
        for (int row = 0; row < codes.Length; row++)
        {
            if (codes[row] < 0)
                throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': the text is empty; every row needs a text to classify (drop the row, or write its text).");
        }
        var categories = column.Categories;
        for (int code = 0; code < categories.Count; code++)
        {
            if (!categories[code].Contains('\uFFFD')) continue;
            int row = codes.IndexOf(code);
            throw new InvalidDataException($"{table.Source}, line {table.LineOf(row)}, column '{column.Name}': the text is not valid UTF-8 (it holds bytes that decode to U+FFFD, the replacement character); save the file as UTF-8.");
        }
    }

    private static CsvColumn ColumnOf(CsvTable table, string name, string role) =>
        table.Columns.FirstOrDefault(c => c.Name == name)
        ?? throw new ArgumentException($"{table.Source}: there is no {role} '{name}'; the columns are: {NameList.Abridged([.. table.ColumnNames])}.");

    private static string Describe(IEnumerable<string> names) => string.Join(", ", names.Select(name => $"'{name}'"));
}
