using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Data;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Text;

namespace Nabla.Bench;

/// <summary>
/// <c>text-accuracy [--data DIR] [--seed N] [--model lstm|gru|rnn|bow|fasttext|tfidf-logistic|tfidf-svm|all] [--json]</c>
/// (and, to try other settings, <c>--embedding N --hidden N --bidirectional true|false --pooling last|mean|max
/// --dropout P --lr X --epochs N --batch N --weight-decay X --min-frequency N</c>; for the TF-IDF models
/// <c>--loss cross-entropy|hinge|squared-hinge --word-ngrams A-B --char-ngrams A-B|none --min-df N
/// --max-features N|all --sublinear true|false</c>; how the epoch is chosen: <c>--selection best|last --patience N --optimizer adam|adamw
/// --refit true|false</c>): the test accuracy of each text model on the Debian package descriptions
/// (<c>debian-packages.csv</c>, description → section).
/// </summary>
/// <remarks>
/// The split is stratified and seeded: 20 % of the rows are the test part, never seen until the
/// end; of the other 80 %, 10 % are the validation part that picks the epoch, the rest the fitting
/// part, the only rows the vocabularies, the TF-IDF weights and the models see. Every model is
/// trained with Adam (cross-entropy, or the multi-class hinge for the TF-IDF models); after each epoch
/// the validation accuracy is measured, the weights of the best epoch are kept, and the test accuracy
/// is measured once, with those weights. With <c>--selection last</c> there is no validation part: the
/// model trains on the whole training part for the given epochs and keeps the last, as the command
/// line does without early stopping.
/// </remarks>
internal static class TextAccuracy
{
    private const string TextColumn = "description", TargetColumn = "section";
    private const double TestShare = 0.2, ValidationShare = 0.1;
    private const int MaxLength = 32;
    private static readonly string[] AllModels = ["lstm", "gru", "rnn", "bow", "fasttext", "tfidf-logistic", "tfidf-svm"];

    /// <summary>Trains the chosen models and prints their table (or one JSON line).</summary>
    public static void Run(string[] args)
    {
        var options = Options.Parse(args);
        var data = Load(options.Data ?? NextToRepository(), options.Seed);
        var results = new List<Result>();
        foreach (var model in options.Model == "all" ? AllModels : [options.Model])
        {
            var settings = options.Overrides(Settings.DefaultFor(model));
            var result = Train(data, settings, options.Seed, options.Refit);
            results.Add(result);
            if (!options.Json) Console.Error.WriteLine(Row(result));
        }
        if (options.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(results.Select(r => new Dictionary<string, object?>
            {
                ["model"] = r.Settings.Model,
                ["settings"] = r.Settings.Describe(),
                ["validation_accuracy"] = double.IsNaN(r.ValidationAccuracy) ? null : Math.Round(r.ValidationAccuracy, 4),
                ["test_accuracy"] = Math.Round(r.TestAccuracy, 4),
                ["seconds"] = Math.Round(r.Seconds, 1),
                ["best_epoch"] = r.BestEpoch,
                ["epochs"] = r.Epochs,
            })));
            return;
        }
        Console.WriteLine($"Debian descriptions → section ({data.Classes} classes): {data.Fit.Texts.Length} fitting, {data.Validation.Texts.Length} validation, {data.Test.Texts.Length} test rows; seed {options.Seed}; threads {Kernels.Parallelism.MaxDegreeOfParallelism}");
        Console.WriteLine($"{"model",-15} {"validation",10} {"test",7} {"seconds",8} {"epoch",9}  settings");
        foreach (var r in results) Console.WriteLine(Row(r));
    }

    private static string Row(Result r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Settings.Model,-15} {r.ValidationAccuracy,10:F4} {r.TestAccuracy,7:F4} {r.Seconds,8:F1} {$"{r.BestEpoch}/{r.Epochs}",9}  {r.Settings.Describe()}");

    /// <summary>The texts and class codes of one part of the split.</summary>
    private sealed record Part(string[] Texts, int[] Labels);

    /// <summary>The three parts and the number of classes.</summary>
    private sealed record Dataset(Part Fit, Part Validation, Part Test, int Classes);

    private sealed record Result(Settings Settings, double ValidationAccuracy, double TestAccuracy, double Seconds, int BestEpoch, int Epochs);

    /// <summary>Reads the CSV and splits it: stratified test part, then a stratified validation part of the rest.</summary>
    private static Dataset Load(string directory, ulong seed)
    {
        var table = Csv.Read(Path.Combine(directory, "debian-packages.csv"));
        var texts = table[TextColumn].Texts();
        var sections = table[TargetColumn].Texts();
        var encoder = new LabelEncoder<string>();
        var labels = encoder.FitTransform(sections);
        var outer = TrainTestSplit.Stratified(labels, testSize: TestShare, randomState: seed);
        var (trainTexts, testTexts) = outer.Apply(texts);
        var (trainLabels, testLabels) = outer.Apply(labels);
        var inner = TrainTestSplit.Stratified(trainLabels, testSize: ValidationShare, randomState: seed);
        var (fitTexts, validationTexts) = inner.Apply(trainTexts);
        var (fitLabels, validationLabels) = inner.Apply(trainLabels);
        return new Dataset(new Part(fitTexts, fitLabels), new Part(validationTexts, validationLabels), new Part(testTexts, testLabels), encoder.Classes.Count);
    }

    /// <summary>The default data folder: <c>shared/data</c> beside the repository root (the folder holding Nabla.slnx).</summary>
    private static string NextToRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx")))
                return Path.Combine(dir.FullName, "..", "shared", "data");
        throw new DirectoryNotFoundException("text-accuracy: cannot find the repository root (Nabla.slnx) to locate debian-packages.csv; pass --data DIR.");
    }

    /// <summary>
    /// Fits the model's features on the fitting part and trains it, picking the epoch on validation;
    /// with <paramref name="refit"/>, then trains a fresh model (features too) on the whole training
    /// part (fitting + validation) for that many epochs. Tests once.
    /// </summary>
    private static Result Train(Dataset data, Settings settings, ulong seed, bool refit)
    {
        var clock = Stopwatch.StartNew();
        var generator = new Generator(seed);
        if (settings.Selection == EpochSelection.Last)
        {
            var whole = WholeTraining(data);
            var trained = Candidate.Create(data with { Fit = whole }, settings, generator);
            Fit(trained, whole, settings.Epochs, settings, generator, validation: null);
            double lastTest = Accuracy(trained.Model, trained.Inputs(data.Test), data.Test.Labels);
            return new Result(settings, double.NaN, lastTest, clock.Elapsed.TotalSeconds, settings.Epochs, settings.Epochs);
        }
        var candidate = Candidate.Create(data, settings, generator);
        var (validationAccuracy, bestEpoch) = Fit(candidate, data.Fit, settings.Epochs, settings, generator, data.Validation);
        if (refit)
        {
            var training = WholeTraining(data);
            generator = new Generator(seed);
            candidate = Candidate.Create(data with { Fit = training }, settings, generator);
            Fit(candidate, training, bestEpoch, settings, generator, validation: null);
        }
        double test = Accuracy(candidate.Model, candidate.Inputs(data.Test), data.Test.Labels);
        return new Result(settings, validationAccuracy, test, clock.Elapsed.TotalSeconds, bestEpoch, settings.Epochs);
    }

    /// <summary>The whole training part: the fitting rows, then the validation rows.</summary>
    private static Part WholeTraining(Dataset data) =>
        new([.. data.Fit.Texts, .. data.Validation.Texts], [.. data.Fit.Labels, .. data.Validation.Labels]);

    /// <summary>
    /// Trains <paramref name="epochs"/> epochs on <paramref name="part"/>; with a validation part, keeps
    /// the weights of the epoch with the best validation accuracy and returns it with that accuracy,
    /// stopping early once <see cref="Settings.Patience"/> epochs in a row (when set) have not beaten it.
    /// </summary>
    private static (double Accuracy, int Epoch) Fit(Candidate candidate, Part part, int epochs, Settings settings, Generator generator, Part? validation)
    {
        Optimizer optimizer = settings.DecoupledWeightDecay
            ? new AdamW(candidate.Model.Parameters(), learningRate: settings.LearningRate, weightDecay: settings.WeightDecay)
            : new Adam(candidate.Model.Parameters(), learningRate: settings.LearningRate, weightDecay: settings.WeightDecay);
        var loss = settings.CreateLoss();
        var inputs = candidate.Inputs(part);
        var validationInputs = validation is null ? null : candidate.Inputs(validation);
        var order = Enumerable.Range(0, part.Labels.Length).ToArray();
        double bestAccuracy = double.NaN;
        int bestEpoch = epochs;
        Dictionary<string, Tensor>? best = null;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            generator.Shuffle<int>(order);
            candidate.Model.Train();
            for (int start = 0; start < order.Length; start += settings.BatchSize)
            {
                var rows = order[start..Math.Min(order.Length, start + settings.BatchSize)];
                var labels = Tensor.FromArray(rows.Select(r => part.Labels[r]).ToArray());
                optimizer.ZeroGrad(setToNone: false);
                loss.Forward(inputs.Logits(rows), labels).Backward();
                optimizer.Step();
            }
            if (validation is null) continue;
            double accuracy = Accuracy(candidate.Model, validationInputs!, validation.Labels);
            if (!(accuracy <= bestAccuracy))
            {
                (bestAccuracy, bestEpoch) = (accuracy, epoch);
                best = Snapshot(candidate.Model);
            }
            else if (settings.Patience > 0 && epoch - bestEpoch >= settings.Patience) break;
        }
        if (best is not null) candidate.Model.LoadStateDict(best);
        return (bestAccuracy, bestEpoch);
    }

    /// <summary>A copy of every parameter and buffer (the state dict's tensors are the module's own).</summary>
    private static Dictionary<string, Tensor> Snapshot(Module model) =>
        model.StateDict().ToDictionary(p => p.Key, p => p.Value.Detach().Clone());

    /// <summary>The share of <paramref name="labels"/> predicted right, in evaluation mode, 512 rows at a time.</summary>
    private static double Accuracy(Module model, Inputs inputs, int[] labels)
    {
        model.Eval();
        int correct = 0;
        using (Autograd.NoGrad())
        {
            for (int start = 0; start < labels.Length; start += 512)
            {
                var rows = Enumerable.Range(start, Math.Min(512, labels.Length - start)).ToArray();
                var logits = inputs.Logits(rows).ToArray<float>();
                int classes = logits.Length / rows.Length;
                for (int i = 0; i < rows.Length; i++)
                {
                    var scores = logits.AsSpan(i * classes, classes);
                    int predicted = 0;
                    for (int c = 1; c < classes; c++) if (scores[c] > scores[predicted]) predicted = c;
                    if (predicted == labels[rows[i]]) correct++;
                }
            }
        }
        model.Train();
        return (double)correct / labels.Length;
    }

    /// <summary>One part's features, ready to give the logits of any of its rows.</summary>
    private abstract class Inputs
    {
        public abstract Tensor Logits(int[] rows);
    }

    /// <summary>A model with what turns texts into its inputs, fitted on the fitting part.</summary>
    private abstract class Candidate
    {
        public abstract Module Model { get; }

        public abstract Inputs Inputs(Part part);

        public static Candidate Create(Dataset data, Settings settings, Generator generator) => settings.Model switch
        {
            "lstm" => new Recurrent(data, settings, RecurrentLayerKind.Lstm, generator),
            "gru" => new Recurrent(data, settings, RecurrentLayerKind.Gru, generator),
            "rnn" => new Recurrent(data, settings, RecurrentLayerKind.Rnn, generator),
            "bow" => new Bag(data, settings, Words.Tokenize, generator),
            "fasttext" => new Bag(data, settings, Subwords, generator),
            "tfidf-logistic" or "tfidf-svm" => new TfidfLinear(data, settings.Tfidf),
            _ => throw new ArgumentException($"text-accuracy: unknown model '{settings.Model}'."),
        };
    }

    private static readonly WordTokenizer Words = new();
    private static readonly CharNGramTokenizer CharTrigrams = new(3, 3, includeWords: true);

    /// <summary>fastText's tokens: the words, their character 3-grams (with the word boundaries marked) and the word bigrams "a b".</summary>
    private static IReadOnlyList<string> Subwords(string text)
    {
        var words = Words.Tokenize(text);
        return [.. CharTrigrams.Tokenize(text), .. Enumerable.Range(0, Math.Max(0, words.Count - 1)).Select(i => $"{words[i]} {words[i + 1]}")];
    }

    /// <summary>Words → ids (minimum frequency) → <see cref="SequenceClassifier"/> over each text's first 32 words.</summary>
    private sealed class Recurrent : Candidate
    {
        private readonly WordTokenizer _tokenizer = new();
        private readonly SequenceEncoder _encoder;
        private readonly SequenceClassifier _model;

        public Recurrent(Dataset data, Settings settings, RecurrentLayerKind kind, Generator generator)
        {
            var vocabulary = Vocabulary.Build(data.Fit.Texts.Select(_tokenizer.Tokenize), settings.MinFrequency);
            _encoder = new SequenceEncoder(vocabulary, MaxLength);
            _model = new SequenceClassifier(vocabulary.Count, settings.Embedding, settings.Hidden, data.Classes, kind,
                bidirectional: settings.Bidirectional, pooling: settings.Pooling, dropout: settings.Dropout, generator: generator);
        }

        public override Module Model => _model;

        public override Inputs Inputs(Part part) => new Sequences(_model, _encoder.Encode(part.Texts.Select(_tokenizer.Tokenize).ToArray()));

        /// <summary>The rows of a batch cut to its longest text: padding never changes a result, so the steps past it are only cost.</summary>
        private sealed class Sequences(SequenceClassifier model, EncodedSequences encoded) : Inputs
        {
            private readonly int[] _ids = encoded.Ids.ToArray<int>();

            public override Tensor Logits(int[] rows)
            {
                var lengths = rows.Select(r => encoded.Lengths[r]).ToArray();
                int steps = lengths.Max();
                var ids = new int[rows.Length * steps];
                for (int i = 0; i < rows.Length; i++)
                    _ids.AsSpan(rows[i] * MaxLength, steps).CopyTo(ids.AsSpan(i * steps));
                return model.Forward(Tensor.FromArray(ids, rows.Length, steps), lengths);
            }
        }
    }

    /// <summary>Tokens → ids (minimum frequency) → <see cref="BagOfEmbeddingsClassifier"/>.</summary>
    private sealed class Bag : Candidate
    {
        private readonly Func<string, IReadOnlyList<string>> _tokens;
        private readonly Vocabulary _vocabulary;
        private readonly BagOfEmbeddingsClassifier _model;

        public Bag(Dataset data, Settings settings, Func<string, IReadOnlyList<string>> tokens, Generator generator)
        {
            _tokens = tokens;
            _vocabulary = Vocabulary.Build(data.Fit.Texts.Select(tokens), settings.MinFrequency);
            _model = new BagOfEmbeddingsClassifier(_vocabulary.Count, settings.Embedding, data.Classes, settings.Dropout, generator);
        }

        public override Module Model => _model;

        public override Inputs Inputs(Part part) =>
            new Bags(_model, part.Texts.Select(t => _tokens(t).Select(_vocabulary.IdOf).ToArray()).ToArray());

        /// <summary>The rows of a batch padded with id 0 (left out of the mean) to its longest text.</summary>
        private sealed class Bags(BagOfEmbeddingsClassifier model, int[][] ids) : Inputs
        {
            public override Tensor Logits(int[] rows)
            {
                int width = Math.Max(1, rows.Max(r => ids[r].Length));
                var batch = new int[rows.Length * width];
                for (int i = 0; i < rows.Length; i++) ids[rows[i]].CopyTo(batch, i * width);
                return model.Forward(Tensor.FromArray(batch, rows.Length, width));
            }
        }
    }

    /// <summary>
    /// TF-IDF of word n-grams (and, when asked, the words' character n-grams, in the same term list and
    /// row norm) → a linear classifier XW + b over the sparse rows: an <see cref="EmbeddingBag"/>
    /// (columns × classes, mode Sum) whose per-sample weights are the TF-IDF values gives XW without a
    /// dense row; W starts at zero, as a logistic regression's or a linear SVM's.
    /// </summary>
    private sealed class TfidfLinear : Candidate
    {
        private readonly Func<string, IReadOnlyList<string>> _terms;
        private readonly TfidfVectorizer _vectorizer;
        private readonly SparseLinear _model;

        public TfidfLinear(Dataset data, TfidfSettings settings)
        {
            var options = new TfidfOptions { MinN = settings.WordMinN, MaxN = settings.WordMaxN, MinDf = settings.MinDf, MaxFeatures = settings.MaxFeatures, SublinearTf = settings.Sublinear };
            if (settings.CharMinN is { } charMinN)
            {
                // The word n-grams are formed here, before the character n-grams join them, so the
                // vectorizer counts the finished terms as they come (1-grams of the term list).
                var chars = new CharNGramTokenizer(charMinN, settings.CharMaxN, includeWords: false);
                _terms = text => [.. WordNGrams.Of(Words.Tokenize(text), settings.WordMinN, settings.WordMaxN), .. chars.Tokenize(text)];
                options = options with { MinN = 1, MaxN = 1 };
            }
            else _terms = Words.Tokenize;
            _vectorizer = new TfidfVectorizer(options).Fit(data.Fit.Texts.Select(_terms));
            _model = new SparseLinear(_vectorizer.Terms.Count, data.Classes);
        }

        public override Module Model => _model;

        public override Inputs Inputs(Part part) => new Rows(_model, _vectorizer.Transform(part.Texts.Select(_terms)));

        /// <summary>A batch: the chosen TF-IDF rows through the sparse layer.</summary>
        private sealed class Rows(SparseLinear model, SparseRows x) : Inputs
        {
            public override Tensor Logits(int[] rows) => model.Forward(x, rows);
        }
    }

    /// <summary>How the epoch whose weights are tested is chosen.</summary>
    private enum EpochSelection
    {
        /// <summary>The epoch with the best validation accuracy (then, with refitting, that many epochs on the whole training part).</summary>
        Best,

        /// <summary>No validation part: the last of a fixed number of epochs over the whole training part.</summary>
        Last,
    }

    /// <summary>The TF-IDF models' features and loss.</summary>
    private sealed record TfidfSettings(string Loss, int WordMinN, int WordMaxN, int? CharMinN, int CharMaxN, int MinDf, int? MaxFeatures, bool Sublinear)
    {
        public static readonly TfidfSettings Default = new("cross-entropy", 1, 2, null, 0, 1, null, true);

        public string Describe()
        {
            string chars = CharMinN is { } min ? $" + char {min}-{CharMaxN}-grams" : "";
            string cut = (MinDf > 1 ? $", min df {MinDf}" : "") + (MaxFeatures is { } max ? $", max features {max}" : "");
            return $"{Loss}, word {WordMinN}-{WordMaxN}-grams{chars}{cut}, {(Sublinear ? "sublinear" : "raw")} tf";
        }
    }

    /// <summary>One model's settings; <see cref="DefaultFor"/> gives the chosen defaults.</summary>
    private sealed record Settings(string Model, int Embedding, int Hidden, bool Bidirectional, SequencePoolingMode Pooling,
        double Dropout, double LearningRate, int Epochs, int BatchSize, double WeightDecay, int MinFrequency)
    {
        /// <summary>The TF-IDF models' features and loss (unused by the others).</summary>
        public TfidfSettings Tfidf { get; init; } = TfidfSettings.Default;

        /// <summary>How the tested epoch is chosen.</summary>
        public EpochSelection Selection { get; init; } = EpochSelection.Best;

        /// <summary>AdamW's decoupled weight decay (w ← w − lr·decay·w each step) instead of Adam's L2 term in the gradient.</summary>
        public bool DecoupledWeightDecay { get; init; }

        /// <summary>Stop after this many epochs without a better validation accuracy; 0 trains every epoch.</summary>
        public int Patience { get; init; }

        public static Settings DefaultFor(string model) => model switch
        {
            "lstm" or "gru" or "rnn" => new(model, 100, 128, true, SequencePoolingMode.Max, 0.5, 3e-3, 12, 64, 0, 2),
            "bow" => new(model, 64, 0, false, SequencePoolingMode.Mean, 0.2, 1e-2, 15, 32, 0, 2),
            "fasttext" => new(model, 100, 0, false, SequencePoolingMode.Mean, 0, 5e-3, 15, 64, 0, 2),
            "tfidf-logistic" => new(model, 0, 0, false, SequencePoolingMode.Mean, 0, 1e-2, 40, 8, 1e-6, 1),
            "tfidf-svm" => new(model, 0, 0, false, SequencePoolingMode.Mean, 0, 2e-3, 30, 32, 1e-6, 1) { Tfidf = TfidfSettings.Default with { Loss = "hinge" } },
            _ => throw new ArgumentException($"text-accuracy: unknown model '{model}'; expected one of {string.Join(", ", AllModels)} or all."),
        };

        public bool IsRecurrent => Model is "lstm" or "gru" or "rnn";

        public bool IsBag => Model is "bow" or "fasttext";

        /// <summary>The training loss: cross-entropy, or for the TF-IDF models the one their settings name.</summary>
        public Loss CreateLoss() => (IsRecurrent || IsBag ? TfidfSettings.Default.Loss : Tfidf.Loss) switch
        {
            "cross-entropy" => new CrossEntropyLoss(),
            "hinge" => new MultiMarginLoss(p: 1),
            "squared-hinge" => new MultiMarginLoss(p: 2),
            var other => throw new ArgumentException($"text-accuracy: unknown loss '{other}'; expected cross-entropy, hinge or squared-hinge."),
        };

        public string Describe()
        {
            var inv = CultureInfo.InvariantCulture;
            string selection = Selection == EpochSelection.Last ? ", last epoch" : Patience > 0 ? $", patience {Patience}" : "";
            string common = string.Create(inv, $"{(DecoupledWeightDecay ? "AdamW" : "Adam")}, lr {LearningRate:G3}, batch {BatchSize}{selection}");
            if (IsRecurrent)
                return string.Create(inv, $"emb {Embedding}, hidden {Hidden}, {(Bidirectional ? "bi" : "uni")}, pool {Pooling.ToString().ToLowerInvariant()}, dropout {Dropout:G2}, minfreq {MinFrequency}, {common}");
            if (IsBag) return string.Create(inv, $"emb {Embedding}, dropout {Dropout:G2}, minfreq {MinFrequency}, {common}");
            return string.Create(inv, $"{Tfidf.Describe()}, weight decay {WeightDecay:G3}, {common}");
        }
    }

    /// <summary>The runner's arguments: the data, seed, model and output, and any settings to override.</summary>
    private sealed record Options(string? Data, ulong Seed, string Model, bool Json, bool Refit, IReadOnlyDictionary<string, string> Settings)
    {
        public static Options Parse(string[] args)
        {
            var options = new Options(null, 1, "all", false, true, new Dictionary<string, string>());
            var settings = new Dictionary<string, string>();
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--data" when i + 1 < args.Length: options = options with { Data = args[++i] }; break;
                    case "--seed" when i + 1 < args.Length: options = options with { Seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
                    case "--model" when i + 1 < args.Length: options = options with { Model = args[++i] }; break;
                    case "--json": options = options with { Json = true }; break;
                    case "--refit" when i + 1 < args.Length: options = options with { Refit = bool.Parse(args[++i]) }; break;
                    case "--embedding" or "--hidden" or "--bidirectional" or "--pooling" or "--dropout" or "--lr" or "--epochs" or "--batch"
                        or "--weight-decay" or "--min-frequency" or "--loss" or "--word-ngrams" or "--char-ngrams" or "--min-df"
                        or "--max-features" or "--sublinear" or "--selection" or "--patience" or "--optimizer" when i + 1 < args.Length:
                        settings[args[i][2..]] = args[++i];
                        break;
                    default:
                        throw new ArgumentException($"text-accuracy: unknown argument '{args[i]}'; expected --data DIR, --seed N, --model NAME, --json or a setting (--embedding, --hidden, --bidirectional, --pooling, --dropout, --lr, --epochs, --batch, --weight-decay, --min-frequency, --loss, --word-ngrams, --char-ngrams, --min-df, --max-features, --sublinear, --selection, --patience, --optimizer).");
                }
            }
            if (options.Model != "all") _ = TextAccuracy.Settings.DefaultFor(options.Model);
            return options with { Settings = settings };
        }

        /// <summary>The <paramref name="defaults"/> with the settings given on the command line.</summary>
        public Settings Overrides(Settings defaults)
        {
            var inv = CultureInfo.InvariantCulture;
            var s = defaults;
            foreach (var (name, value) in Settings)
            {
                s = name switch
                {
                    "embedding" => s with { Embedding = int.Parse(value, inv) },
                    "hidden" => s with { Hidden = int.Parse(value, inv) },
                    "bidirectional" => s with { Bidirectional = bool.Parse(value) },
                    "pooling" => s with { Pooling = Enum.Parse<SequencePoolingMode>(value, ignoreCase: true) },
                    "dropout" => s with { Dropout = double.Parse(value, inv) },
                    "lr" => s with { LearningRate = double.Parse(value, inv) },
                    "epochs" => s with { Epochs = int.Parse(value, inv) },
                    "batch" => s with { BatchSize = int.Parse(value, inv) },
                    "weight-decay" => s with { WeightDecay = double.Parse(value, inv) },
                    "loss" => s with { Tfidf = s.Tfidf with { Loss = value } },
                    "word-ngrams" => s with { Tfidf = s.Tfidf with { WordMinN = Range(value).Min, WordMaxN = Range(value).Max } },
                    "char-ngrams" => s with { Tfidf = value == "none" ? s.Tfidf with { CharMinN = null } : s.Tfidf with { CharMinN = Range(value).Min, CharMaxN = Range(value).Max } },
                    "min-df" => s with { Tfidf = s.Tfidf with { MinDf = int.Parse(value, inv) } },
                    "max-features" => s with { Tfidf = s.Tfidf with { MaxFeatures = value == "all" ? null : int.Parse(value, inv) } },
                    "sublinear" => s with { Tfidf = s.Tfidf with { Sublinear = bool.Parse(value) } },
                    "selection" => s with { Selection = Enum.Parse<EpochSelection>(value, ignoreCase: true) },
                    "patience" => s with { Patience = int.Parse(value, inv) },
                    "optimizer" => s with { DecoupledWeightDecay = value switch { "adamw" => true, "adam" => false, _ => throw new ArgumentException($"text-accuracy: unknown optimizer '{value}'; expected adam or adamw.") } },
                    _ => s with { MinFrequency = int.Parse(value, inv) },
                };
            }
            return s;
        }

        /// <summary>An n-gram range written "A-B" (or "N" for N-N).</summary>
        private static (int Min, int Max) Range(string value)
        {
            var ends = value.Split('-');
            int min = int.Parse(ends[0], CultureInfo.InvariantCulture);
            return (min, ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : min);
        }
    }
}
