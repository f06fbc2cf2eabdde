using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.IO;
using Nabla.Text;

namespace Nabla.Models;

/// <summary>
/// A model file joined with its data preparation: from a data file to predictions and, when the file
/// holds the targets, to an evaluation. A CSV table is prepared by the file's
/// <see cref="TabularPreprocessor"/> (or, for a recommender, <see cref="RatingsPreprocessor"/>; for a text
/// classifier, <see cref="TextPreprocessor"/>, which tokenizes the text columns with the saved vocabulary); IDX
/// images by its <see cref="ImagePreprocessor"/>.
/// </summary>
/// <example>
/// <code>
/// var model = ModelPipeline.Load("model.safetensors");
/// var predictions = model.Predict("new-flowers.csv");      // labels and probabilities
/// var evaluation = model.Evaluate("iris.csv");             // evaluation.Metrics["accuracy"]
/// </code>
/// </example>
public sealed class ModelPipeline
{
    private ModelPipeline(ModelFile model, Preprocessor preprocessor)
    {
        Model = model;
        Preprocessor = preprocessor;
    }

    /// <summary>The model file: network or estimator, classes, metrics and training summary.</summary>
    public ModelFile Model { get; }

    /// <summary>The data preparation the model was trained with.</summary>
    public Preprocessor Preprocessor { get; }

    /// <summary>Reads the model file at <paramref name="path"/> and its data preparation.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ModelFileException">The file is not a valid model file, has no data preparation, or one that does not fit the model; the message names the file.</exception>
    public static ModelPipeline Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The model file {path} does not exist.", path);
        return FromFile(ModelFile.Load(path), path);
    }

    /// <summary>Joins a model file loaded from <paramref name="path"/> with the data preparation it stores.</summary>
    /// <exception cref="ModelFileException">The model has no data preparation, or one that does not fit it; the message names the file.</exception>
    public static ModelPipeline FromFile(ModelFile model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ModelFileException Invalid(string problem) => new($"{path}: not a valid Nabla model file: {problem}.");
        if (model.Preprocessing is null) throw Invalid("it has no preprocessing, so there is no telling how to prepare data for it");
        Preprocessor preprocessor;
        try
        {
            preprocessor = ReadPreprocessing(model.Preprocessing);
        }
        catch (InvalidDataException e)
        {
            throw new ModelFileException($"{path}: not a valid Nabla model file: its preprocessing: {e.Message}", e);
        }
        if (FitProblem(model, preprocessor) is { } problem) throw Invalid(problem);
        return new ModelPipeline(model, preprocessor);
    }

    /// <summary>Any kind of preprocessing JSON: the text kind (read here, above the data layer that cannot see it) or one <see cref="Preprocessor.FromJson"/> reads.</summary>
    private static Preprocessor ReadPreprocessing(string json) =>
        StrictJson.Parse(json, "Preprocessing JSON") is var root && root.Has("kind") && root.String("kind") == TextPreprocessor.KindName
            ? TextPreprocessor.Read(root)
            : Preprocessor.FromParsed(root);

    /// <summary>Joins a model with its data preparation, checking that they fit each other.</summary>
    /// <exception cref="ArgumentException">The tasks, the classes or the input sizes differ; the message says which.</exception>
    public static ModelPipeline Create(ModelFile model, Preprocessor preprocessor)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(preprocessor);
        if (FitProblem(model, preprocessor) is { } problem) throw new ArgumentException($"ModelPipeline: {problem}.");
        return new ModelPipeline(model, preprocessor);
    }

    /// <summary>
    /// Predicts every row of a data file: a CSV file for a tabular model (it needs the feature columns by
    /// name, checked in the header before any row is read; the target and other columns are skipped), IDX
    /// images for an image model (a folder, whose t10k-images-idx3-ubyte[.gz] is read, or an images file).
    /// </summary>
    /// <param name="dataPath">The data file or folder.</param>
    /// <param name="csvLimits">The bounds of a CSV file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="FileNotFoundException">The data file, or the folder's images file, does not exist.</exception>
    /// <exception cref="InvalidDataException">The data does not suit the model: a feature column missing, text in a number column, a
    /// missing cell, images of another size, no rows, a CSV limit crossed; the message names the file (and the line and column).</exception>
    /// <exception cref="InsufficientMemoryException">A network's parameters and one row's activations need more than the model's
    /// <see cref="ModelFile.MemoryLimit"/>; found before the data is read. More rows are predicted in batches that fit.</exception>
    public ModelPredictions Predict(string dataPath, CsvLimits? csvLimits = null) => Prepare(dataPath, withTargets: false, csvLimits).Predictions;

    /// <summary>
    /// Predicts every row of a data file that also holds the targets, and scores the predictions: a CSV
    /// file needs the target column by the name training used; an IDX folder needs t10k-labels-idx1-ubyte[.gz],
    /// and an images file its labels file beside it (the name with "images-idx3" as "labels-idx1").
    /// </summary>
    /// <param name="dataPath">The data file or folder.</param>
    /// <param name="csvLimits">The bounds of a CSV file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="FileNotFoundException">The data file, or its images or labels file, does not exist.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Predict(string, CsvLimits?)"/>, and: no target column, a missing target, a class label not
    /// seen in training (the line named), or as many labels as images not given.</exception>
    /// <exception cref="InsufficientMemoryException">As <see cref="Predict(string, CsvLimits?)"/>.</exception>
    public ModelEvaluation Evaluate(string dataPath, CsvLimits? csvLimits = null)
    {
        if (Model.Estimator is IRecommender recommender && Preprocessor is RatingsPreprocessor ratings)
            return EvaluateRecommender(recommender, ratings, dataPath, csvLimits);
        var (predictions, targets) = Prepare(dataPath, withTargets: true, csvLimits);
        return ModelEvaluation.Of(predictions, targets!);
    }

    /// <summary>
    /// A recommender's rows taken as held-out interactions: an explicit model's ratings scored as a regression, and for either
    /// model each user's top 10 (the training items left out) against the rows' items, relevant when rated in the top quarter of
    /// the training scale (<see cref="RecommenderEvaluation.RelevantFrom"/>) or, for implicit feedback, of a strength above 0.
    /// </summary>
    private ModelEvaluation EvaluateRecommender(IRecommender recommender, RatingsPreprocessor ratings, string path, CsvLimits? csvLimits)
    {
        var (predictions, targets, users, items) = ReadRatings(ratings, path, withTargets: ratings.Target is not null, csvLimits);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        bool[]? relevant = null;
        if (recommender is MatrixFactorization explicitModel)
        {
            foreach (var (name, value) in ModelEvaluation.Of(predictions, targets!).Metrics) metrics[name] = value;
            double from = RecommenderEvaluation.RelevantFrom(explicitModel);
            relevant = [.. targets!.ToDoubleArray().Select(rating => rating >= from)];
        }
        else if (targets is not null) relevant = [.. targets.ToDoubleArray().Select(strength => strength > 0)];
        if (RecommenderEvaluation.Ranking(recommender, users, items, RankingCutOff, relevant) is { } ranking)
            foreach (var (name, value) in RecommenderEvaluation.Named(ranking)) metrics[name] = value;
        else if (recommender.IsImplicit)
            throw new InvalidDataException($"{path}: no row names a user seen in training{(relevant is null ? "" : " with an interaction of strength above 0")}, so there is no ranking to score.");
        return ModelEvaluation.WithMetrics(predictions, targets ?? Tensor.FromArray(Enumerable.Repeat(1.0, users.Length).ToArray()), metrics);
    }

    /// <summary>The length of the lists a recommender's ranking is scored on.</summary>
    private const int RankingCutOff = 10;

    /// <summary>
    /// Runs the model on inputs prepared by <see cref="Preprocessor"/>, [rows, ...<see cref="Preprocessor.SampleShape"/>], viewed in the
    /// model's input shape when the two hold as many values (a table of 64 pixels for a 1×8×8 network, 1×8×8 images for an estimator of 64 features).
    /// </summary>
    /// <exception cref="ShapeMismatchException">The inputs do not have the preprocessor's sample shape.</exception>
    /// <exception cref="InsufficientMemoryException">A network's parameters and one row's activations need more than the model's <see cref="ModelFile.MemoryLimit"/>.</exception>
    public ModelPredictions Predict(Tensor inputs) => Predict(inputs, source: null);

    /// <summary>
    /// Predicts the class of each text with a text model: tokenized with the saved settings and vocabulary, as
    /// <see cref="TextPreprocessor.TransformTexts"/> (with several text columns, give each row's cells joined by a line break).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not a text model.</exception>
    /// <exception cref="ArgumentException">A text is null.</exception>
    public ModelPredictions PredictTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (Preprocessor is not TextPreprocessor text)
            throw new InvalidOperationException($"ModelPipeline.PredictTexts: the model reads {Preprocessor.Kind} data, not texts; use Predict.");
        return Predict(text.TransformTexts(texts), source: null);
    }

    /// <summary><see cref="Predict(Tensor)"/> on the rows of <paramref name="source"/> (a data file, named in errors), or of the caller's tensor when null.</summary>
    private ModelPredictions Predict(Tensor inputs, string? source)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var shape = inputs.ShapeArray;
        if (shape.Length != Preprocessor.SampleShape.Count + 1 || !shape.AsSpan(1).SequenceEqual([.. Preprocessor.SampleShape]))
            throw new ShapeMismatchException(
                $"ModelPipeline.Predict: expects prepared inputs of shape [rows, {string.Join(", ", Preprocessor.SampleShape)}], got {Shapes.Format(shape)}.");
        var features = Model.ViewAsInput(inputs);
        if (Model.Task == ModelTask.Regression)
        {
            var outputs = Model.Predict(features);
            var standardised = outputs.Reshape(shape[0]);
            var values = Preprocessor is TabularPreprocessor tabular ? tabular.InverseTransformTarget(standardised)
                : Model.Network is not null ? standardised.To(DType.Float32) : standardised;
            RequireFinite(values, 1, source);
            return new ModelPredictions(ModelTask.Regression, [], outputs, null, null, values);
        }
        var (scores, indices, probabilities) = Model.Classify(features, nameof(Predict));
        RequireFinite(scores, scores.Length / Math.Max(1, shape[0]), source);
        return new ModelPredictions(ModelTask.Classification, Model.Classes!, scores, indices, probabilities, null);
    }

    /// <summary>
    /// Refuses outputs with a NaN or an infinity, naming the first such row: a prediction that is not a
    /// number must be an error, never a line of NaN with success.
    /// </summary>
    /// <exception cref="InvalidDataException">An output is not finite.</exception>
    private static void RequireFinite(Tensor outputs, int perRow, string? source)
    {
        if (NonFiniteValue.First(outputs) is not var (at, value)) return;
        string where = source is null ? "The model's output for row" : $"{source}: the model's output for data row";
        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"{where} {at / perRow + 1} is {value}: the row's values overflow the model's arithmetic (far outside what it was trained on), or the model file's preprocessing or weights are broken."));
    }

    private (ModelPredictions Predictions, Tensor? Targets) Prepare(string dataPath, bool withTargets, CsvLimits? csvLimits)
    {
        if (Preprocessor is RatingsPreprocessor ratings)
        {
            RequireData(dataPath);
            return PrepareRatings(ratings, dataPath, withTargets, csvLimits);
        }
        var rows = ReadRows(dataPath, withTargets, csvLimits);
        return (Predict(rows.Inputs, dataPath), rows.Targets);
    }

    /// <summary>
    /// The rows of a data file prepared exactly as <see cref="Predict(string, CsvLimits?)"/> prepares them, without running the
    /// model: for methods that run it on the rows themselves, such as attributions. With <paramref name="withTargets"/>, their
    /// targets as <see cref="Evaluate"/> scores against.
    /// </summary>
    /// <param name="dataPath">The data file or folder.</param>
    /// <param name="withTargets">Whether to read the targets too (the data must then hold them).</param>
    /// <param name="csvLimits">The bounds of a CSV file (by default <see cref="CsvLimits.Default"/>).</param>
    /// <exception cref="FileNotFoundException">As <see cref="Evaluate"/>.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Evaluate"/>, for the targets only when asked for.</exception>
    /// <exception cref="InsufficientMemoryException">As <see cref="Predict(string, CsvLimits?)"/>.</exception>
    /// <exception cref="InvalidOperationException">The model is a recommender, whose rows are (user, item) pairs rather than features.</exception>
    public PreparedRows ReadRows(string dataPath, bool withTargets = false, CsvLimits? csvLimits = null)
    {
        RequireData(dataPath);
        return Preprocessor switch
        {
            TabularPreprocessor tabular => PrepareTable(tabular, dataPath, withTargets, csvLimits),
            ImagePreprocessor images => PrepareImages(images, dataPath, withTargets),
            TextPreprocessor text => PrepareText(text, dataPath, withTargets, csvLimits),
            RatingsPreprocessor => throw new InvalidOperationException("ModelPipeline.ReadRows: a recommender's rows are (user, item) pairs, not features; use Predict or Evaluate."),
            _ => throw new InvalidOperationException($"ModelPipeline: no data reader for preprocessing of kind \"{Preprocessor.Kind}\"."),
        };
    }

    private void RequireData(string dataPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        if (!File.Exists(dataPath) && !Directory.Exists(dataPath))
            throw new FileNotFoundException($"The data file {dataPath} does not exist.", dataPath);
        // Checked before the data is read: a network that cannot run even one row needs no data to be refused.
        Model.RequireMemoryForOneRow();
    }

    private PreparedRows PrepareTable(TabularPreprocessor tabular, string path, bool withTargets, CsvLimits? csvLimits)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"{path} is a folder; this model reads a CSV file with the columns {string.Join(", ", tabular.InputColumns)}.");
        var table = tabular.ReadTable(path, withTargets, csvLimits);
        if (table.RowCount == 0) throw new InvalidDataException($"{path}: there are no data rows after the header.");
        Tensor? targets = null;
        if (withTargets)
        {
            // Checked first: without the targets there is nothing to evaluate, so the features need not be read.
            var prepared = tabular.TransformTargets(table);
            // Regression is scored on the file's own numbers, not on standardised ones turned back (which lose digits in Float32).
            targets = tabular.Task == ModelTask.Classification ? prepared : Tensor.FromArray(table[tabular.Target].Numbers.ToArray());
        }
        return new PreparedRows(tabular.TransformFeatures(table), targets);
    }

    private (ModelPredictions, Tensor?) PrepareRatings(RatingsPreprocessor ratings, string path, bool withTargets, CsvLimits? csvLimits)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"{path} is a folder; this model reads a CSV file with the columns {ratings.UserColumn} and {ratings.ItemColumn}.");
        var (predictions, targets, _, _) = ReadRatings(ratings, path, withTargets, csvLimits);
        return (predictions, targets);
    }

    /// <summary>
    /// A recommender's rows: their predictions, with a note when some name a user or item not seen in training, their targets
    /// (when asked for), and their user and item ids.
    /// </summary>
    private (ModelPredictions Predictions, Tensor? Targets, int[] Users, int[] Items) ReadRatings(RatingsPreprocessor ratings, string path, bool withTargets, CsvLimits? csvLimits)
    {
        var table = ratings.ReadTable(path, withTargets, csvLimits);
        if (table.RowCount == 0) throw new InvalidDataException($"{path}: there are no data rows after the header.");
        var targets = withTargets ? ratings.TransformTargets(table) : null;
        int[] users = ratings.UserIds(table), items = ratings.ItemIds(table);
        var pairs = new int[2 * users.Length];
        for (int r = 0; r < users.Length; r++) (pairs[2 * r], pairs[2 * r + 1]) = (users[r], items[r]);
        var predictions = Predict(Tensor.FromArray(pairs, users.Length, 2), path);
        if (Model.Estimator is not IRecommender recommender) return (predictions, targets, users, items);
        var notes = new List<string>();
        foreach (var (what, ids, column, map, known) in new[]
        {
            ("user", users, ratings.UserColumn, ratings.Users, (Func<int, bool>)recommender.IsKnownUser),
            ("item", items, ratings.ItemColumn, ratings.Items, recommender.IsKnownItem),
        })
        {
            int[] unseen = [.. Enumerable.Range(0, ids.Length).Where(r => !known(ids[r]))];
            if (unseen.Length == 0) continue;
            int first = unseen[0];
            string name = ids[first] == IdMap.UnknownLabel && map.IsLabels ? table[column].Texts()[first] : map.Text(ids[first]);
            string fallback = what == "user"
                ? recommender.IsImplicit ? "scored by the item alone (its bias, 0 with ALS)" : "predicted from the biases, μ + b_i"
                : recommender.IsImplicit ? "scored 0" : "predicted from the biases, μ + b_u";
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{path}: {unseen.Length} of the {ids.Length} rows name {(unseen.Length == 1 ? $"{(what == "item" ? "an" : "a")} {what}" : $"{what}s")} not seen in training (the first: line {table.LineOf(first)}, {what} {name}); the model has no factors for {(unseen.Length == 1 ? "it" : "them")}, so {(unseen.Length == 1 ? "its row is" : "their rows are")} {fallback}."));
        }
        predictions.Notes = notes;
        return (predictions, targets, users, items);
    }

    private PreparedRows PrepareText(TextPreprocessor text, string path, bool withTargets, CsvLimits? csvLimits)
    {
        if (Directory.Exists(path))
            throw new InvalidDataException($"{path} is a folder; this model reads a CSV file with the text column{(text.TextColumns.Count == 1 ? "" : "s")} {string.Join(", ", text.TextColumns)}.");
        var table = text.ReadTable(path, withTargets, csvLimits);
        if (table.RowCount == 0) throw new InvalidDataException($"{path}: there are no data rows after the header.");
        // Every text becomes a row of max_length ids: bounded before it is made, as a network's activations are.
        long idBytes = (long)table.RowCount * text.Options.MaxLength * sizeof(int);
        if (idBytes > Model.MemoryLimit.Bytes)
            throw new InsufficientMemoryException(string.Create(CultureInfo.InvariantCulture,
                $"{path}: its {table.RowCount:N0} texts as rows of {text.Options.MaxLength:N0} token ids (the model's max length) take {ByteCount.Format(idBytes)}, more than the limit of {Model.MemoryLimit}; predict fewer rows at a time, or raise the limit."));
        var targets = withTargets ? text.TransformTargets(table) : null;
        return new PreparedRows(text.TransformFeatures(table), targets);
    }

    private PreparedRows PrepareImages(ImagePreprocessor images, string path, bool withTargets)
    {
        string imagesPath, labelsPath;
        if (Directory.Exists(path))
        {
            imagesPath = IdxImageFolder.Locate(path, IdxImageFolder.TestImagesName)
                ?? throw new FileNotFoundException($"{path}: there is no {IdxImageFolder.TestImagesName} (raw or .gz), the images this model reads from a folder.");
            labelsPath = IdxImageFolder.Locate(path, IdxImageFolder.TestLabelsName)
                ?? (withTargets ? throw new FileNotFoundException($"{path}: there is no {IdxImageFolder.TestLabelsName} (raw or .gz), the labels to evaluate against.") : "");
        }
        else
        {
            imagesPath = path;
            labelsPath = withTargets ? LabelsBeside(path) : "";
        }
        var inputs = images.TransformImages(imagesPath);
        if (inputs.Shape[0] == 0) throw new InvalidDataException($"{imagesPath}: the file holds no images.");
        Tensor? targets = null;
        if (withTargets)
        {
            targets = images.TransformLabels(labelsPath);
            if (targets.Shape[0] != inputs.Shape[0])
                throw new InvalidDataException($"{imagesPath} holds {inputs.Shape[0]} images but {labelsPath} holds {targets.Shape[0]} labels; they must be equal.");
        }
        return new PreparedRows(inputs, targets);
    }

    /// <summary>The labels file that goes with an images file, as MNIST names them: "t10k-images-idx3-ubyte" and "t10k-labels-idx1-ubyte".</summary>
    private static string LabelsBeside(string imagesPath)
    {
        const string images = "images-idx3", labels = "labels-idx1";
        string name = Path.GetFileName(imagesPath);
        if (!name.Contains(images, StringComparison.Ordinal))
            throw new FileNotFoundException(
                $"{imagesPath}: its labels file cannot be found, since the name has no \"{images}\" to turn into \"{labels}\"; give the folder that holds {IdxImageFolder.TestImagesName} and {IdxImageFolder.TestLabelsName}.");
        string folder = Path.GetDirectoryName(imagesPath) ?? "";
        string labelsName = name.Replace(images, labels, StringComparison.Ordinal);
        string bare = labelsName.EndsWith(".gz", StringComparison.Ordinal) ? labelsName[..^3] : labelsName;
        return IdxImageFolder.Locate(folder, bare)
            ?? throw new FileNotFoundException($"{imagesPath}: its labels file {Path.Combine(folder, bare)} (raw or .gz) does not exist; evaluating needs the true labels.");
    }

    /// <summary>Why <paramref name="preprocessor"/> cannot feed <paramref name="model"/>, or null when it can.</summary>
    private static string? FitProblem(ModelFile model, Preprocessor preprocessor)
    {
        if (preprocessor.Task != model.Task)
            return $"the model is for {Name(model.Task)} but its preprocessing prepares data for {Name(preprocessor.Task)}";
        if (model.Task == ModelTask.Classification && !preprocessor.ClassLabels.SequenceEqual(model.Classes!, StringComparer.Ordinal))
            return $"the model's classes ({string.Join(", ", model.Classes!)}) differ from its preprocessing's ({string.Join(", ", preprocessor.ClassLabels)})";
        string what = model.Network is null ? $"the {model.Kind}" : "the network";
        if (model.Task == ModelTask.Regression && model.Outputs != 1)
            return $"a regression model predicts one value, but {what} has {model.Outputs} outputs";
        long prepared = preprocessor.SampleShape.Aggregate(1L, (n, d) => n * d), read = model.InputShape.Aggregate(1L, (n, d) => n * d);
        if (prepared != read)
            return $"its preprocessing gives {prepared} values per sample ([{string.Join(", ", preprocessor.SampleShape)}]) but {what} reads {read} ([{string.Join(", ", model.InputShape)}])";
        return null;
    }

    private static string Name(ModelTask task) => task == ModelTask.Classification ? "classification" : "regression";
}
