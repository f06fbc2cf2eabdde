using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Cli;

/// <summary>
/// The options of <c>nabla train</c>: declared here, and read into one checked <see cref="TrainSettings"/>.
/// Values that do not parse, and options that need another one, are usage errors (exit 2); values that
/// parse but are out of range are <see cref="CommandInputException"/>s (exit 1) naming the option and the value;
/// a network that the options make larger than <c>--memory-limit</c> is refused as a usage error (exit 2) by <see cref="ModelFactory"/>.
/// </summary>
internal sealed class TrainOptions
{
    // The defaults are chosen so that the job with no options reaches 0.97 or more test accuracy on
    // the digits (seed 0: 0.983, with the columns standardised as any CSV file's) in about a second.
    // Over seeds 0 to 11 they give 0.964 to 0.986, mean 0.975 (with pixels scaled to [0, 1] instead:
    // 0.958 to 0.981, mean 0.968, where Adam's customary 0.001 for 20 epochs averaged 0.960); which
    // rows land in the 360-row test split moves the accuracy more than any of these settings.

    /// <summary>Passes over the training rows of the networks (mlp, cnn) when <c>--epochs</c> is not given.</summary>
    public const int DefaultEpochs = 30;

    /// <summary>The most iterations of logistic's L-BFGS solver when <c>--epochs</c> is not given: scikit-learn's <c>max_iter</c> of LogisticRegression.</summary>
    public const int DefaultLogisticIterations = 100;

    /// <summary>The most passes of svm's coordinate-descent solver when <c>--epochs</c> is not given: scikit-learn's <c>max_iter</c> of LinearSVC.</summary>
    public const int DefaultSvmIterations = 1000;

    /// <summary>Adam's step size when <c>--lr</c> is not given, twice Adam's customary 0.001.</summary>
    public const double DefaultLearningRate = 2e-3;

    /// <summary>Samples per step when <c>--batch-size</c> is not given and the optimizer is not L-BFGS (which takes all the rows).</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The L2 penalty when <c>--alpha</c> is not given: scikit-learn's default for Ridge (alpha) and for LogisticRegression and LinearSVC (C = 1/alpha).</summary>
    public const double DefaultAlpha = 1.0;

    /// <summary>The test share when <c>--test-split</c> is not given.</summary>
    public const double DefaultTestSplit = 0.2;

    /// <summary>The hidden widths when <c>--hidden</c> is not given: 64 → 128 → 64 → classes for the digits.</summary>
    public const string DefaultHidden = "128,64";

    /// <summary>The model file when <c>--out</c> is not given, in the current folder.</summary>
    public const string DefaultOut = "model.safetensors";

    private readonly Option<string?> _data = new("--data") { Description = "A CSV file (with a header row) or a folder of IDX files (the Fashion-MNIST layout: train-* and t10k-* images and labels) to train on; by default the built-in digits (1797 8×8 images).", HelpName = "PATH" };
    private readonly Option<string?> _target = new("--target") { Description = "The column of the CSV file to predict, by name or 0-based position; by default the last column.", HelpName = "COLUMN" };
    private readonly Option<string?> _drop = new("--drop") { Description = "Columns of the CSV file to leave out of the features, comma-separated, each by name or 0-based position: an identifier, or a column that gives the answer away. predict and evaluate ignore them too.", HelpName = "COLUMNS" };
    private readonly Option<string> _model = new("--model") { Description = "The model to fit: linear (least squares, LinearRegression) and ridge (least squares + alpha·‖w‖², Ridge) for regression; logistic (cross-entropy + ‖w‖²/2C by L-BFGS, LogisticRegression) and svm (squared hinge + ‖w‖²/2C, one-vs-rest by dual coordinate descent, LinearSvc) for classification, each the library's estimator with scikit-learn's defaults; mlp for either; cnn for images. With --text COLUMN, a text classifier: lstm, gru or rnn (embeddings → bidirectional recurrent layer → max pooling → linear), bow (the mean of word, word-pair and character 3-gram embeddings, as fastText), or logistic and svm over TF-IDF (logistic: the cross-entropy, trained by Adam; svm: LinearSvc's solver on the sparse TF-IDF rows, as on numbers).", HelpName = TrainChoices.Model.Help, DefaultValueFactory = _ => TrainChoices.Model.WordOf(ModelKind.Mlp) };
    private readonly Option<string> _task = new("--task") { Description = "Classification or regression; auto decides from the target.", HelpName = TrainChoices.Task.Help, DefaultValueFactory = _ => TrainChoices.Task.WordOf(null) };
    private readonly Option<string> _hidden = new("--hidden") { Description = "Widths of the hidden layers of mlp, comma-separated.", HelpName = "WIDTHS", DefaultValueFactory = _ => DefaultHidden };
    private readonly Option<string> _activation = new("--activation") { Description = "The nonlinearity between the hidden layers of mlp.", HelpName = TrainChoices.Activation.Help, DefaultValueFactory = _ => TrainChoices.Activation.WordOf(Activation.Relu) };
    private readonly Option<string?> _optimizer = new("--optimizer") { Description = "The optimizer of mlp and cnn (momentum is SGD with momentum 0.9); by default adam. The linear models use their own solvers.", HelpName = TrainChoices.Optimizer.Help };
    private readonly Option<LearningRateArgument?> _learningRate = new("--lr") { CustomParser = LearningRateArgument.Parse, HelpName = "RATE|auto", Description = "Learning rate (the step size) of mlp and cnn, greater than 0; by default adam 0.002, sgd and momentum 0.01, rmsprop 0.001, adagrad 0.01, lbfgs 1. auto runs the learning-rate finder first (as --find-lr) and trains with the rate it suggests; not for lbfgs." };
    private readonly Option<int?> _batchSize = new("--batch-size") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, Description = $"Samples per optimizer step of mlp and cnn; by default all the training rows for lbfgs, {DefaultBatchSize} otherwise. Under mpirun, each rank's share of the step (see --global-batch); with --federated, each client's batch (by default {FederatedSettings.DefaultBatchSize})." };
    private readonly Option<int?> _epochs = new("--epochs") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, Description = $"Passes over the training rows of mlp and cnn (by default {DefaultEpochs}); for logistic and svm, the solver's most iterations (scikit-learn's max_iter: by default {DefaultLogisticIterations} and {DefaultSvmIterations}). linear and ridge are solved exactly." };
    private readonly Option<double> _testSplit = new("--test-split") { CustomParser = InvariantNumber.Parse, Description = "Share of the CSV rows held out for the final test, stratified by class for classification; between 0 and 1. An IDX folder has its own test set (t10k).", DefaultValueFactory = _ => DefaultTestSplit };
    private readonly Option<string> _impute = new("--impute") { Description = "Missing cells in the CSV's feature columns: none makes them an error, mean fills each with its column's training mean.", HelpName = TrainChoices.Impute.Help, DefaultValueFactory = _ => TrainChoices.Impute.WordOf(MissingValuePolicy.Error) };
    private readonly Option<double> _alpha = new("--alpha") { CustomParser = InvariantNumber.Parse, Description = "The L2 penalty of ridge, logistic and svm, at least 0: ridge minimises ‖y − Xw‖² + alpha·‖w‖² (scikit-learn's Ridge alpha); logistic and svm use C = 1/alpha (scikit-learn's C; alpha 0 leaves logistic unpenalised, svm needs more than 0).", DefaultValueFactory = _ => DefaultAlpha };
    private readonly Option<ulong> _seed = new("--seed") { CustomParser = InvariantNumber.ParseWhole<ulong>, Description = "Seeds the split, the initial weights and the batch order.", DefaultValueFactory = _ => 0UL };
    private readonly Option<string> _out = new("--out") { Description = "Where to write the trained model (.safetensors); its folder must exist.", HelpName = "PATH", DefaultValueFactory = _ => DefaultOut };
    private readonly Option<string?> _plot = new("--plot") { Description = "Also draw the loss (and accuracy) per epoch of mlp or cnn to this PNG file; its folder must exist.", HelpName = "PATH" };
    private readonly Option<string?> _checkpointDirectory = new("--checkpoint-dir") { Description = "Save a checkpoint of mlp or cnn (model, optimizer, epoch, random state) in this folder after each epoch; created when missing.", HelpName = "DIR" };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the run saved in --checkpoint-dir, with the same options; it ends with the same weights as a run never stopped." };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object with the results instead of text." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print only the final summary, no header or progress." };

    private readonly Option<MemoryLimit> _memoryLimit = MemoryLimitOption.ForTraining();

    private readonly Option<double?> _clipGradNorm = new("--clip-grad-norm")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "MAX",
        Description = "Scale the gradients after each backward pass so that their joint 2-norm is at most MAX (PyTorch's clip_grad_norm_), greater than 0: what steadies a run whose loss jumps or diverges. For mlp and cnn, with any optimizer but lbfgs.",
    };

    private readonly Option<bool> _findLr = new("--find-lr")
    {
        Description = "Only find a learning rate, training nothing and writing no model: the learning-rate range test (fastai's lr_find) trains briefly while the rate grows from 1e-7 to 10, then prints the rate where the loss falls fastest and the range where it falls; with --plot, draws the loss against the rate. For mlp and cnn, with any optimizer but lbfgs.",
    };

    private readonly Option<bool> _diagnose = new("--diagnose")
    {
        Description = "After each epoch, show each parameter's gradient norm and RMS and the size of its updates relative to its weights, and warn of vanishing or exploding gradients with what to change (in --json, each epoch's \"gradients\"). For mlp and cnn.",
    };

    private readonly Option<double?> _clipGradValue = new("--clip-grad-value")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "MAX",
        Description = "Clamp each gradient element to [-MAX, MAX] after each backward pass (PyTorch's clip_grad_value_), before --clip-grad-norm; greater than 0. For mlp and cnn, with any optimizer but lbfgs.",
    };

    private readonly Option<double?> _weightDecay = new("--weight-decay")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "X",
        Description = "Weight decay, at least 0 (by default none): with adam the run uses AdamW (PyTorch's), which shrinks the weights by lr·X each step apart from the adaptive step, and the header says adamw; with sgd, momentum, rmsprop and adagrad it is their L2 term, X times the weights added to the gradient (PyTorch's weight_decay). For mlp and cnn, not lbfgs.",
    };

    private readonly Option<double?> _dropout = new("--dropout")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "P",
        Description = "Zero each hidden activation of mlp with probability P while training, the rest scaled by 1/(1-P); 0 to less than 1. predict and evaluate use every unit (the model file records the layers). Not for cnn, or lbfgs, whose line search needs the same loss each time it measures it.",
    };

    private readonly Option<bool> _batchNorm = new("--batch-norm")
    {
        Description = "Batch-normalise the output of each hidden linear layer of mlp, before its activation (BatchNorm1d); predict and evaluate use the running mean and variance learnt in training (the model file records the layers). Not for cnn.",
    };

    private readonly Option<int?> _earlyStopping = new("--early-stopping")
    {
        CustomParser = InvariantNumber.ParseOptionalWhole<int>,
        HelpName = "PATIENCE",
        Description = "Stop once the validation loss has not fallen for PATIENCE epochs (at least 1), and keep the weights of the epoch where it was lowest. For mlp and cnn. "
            + "Off by default: on the default job (mlp on the digits, 30 epochs) over seeds 0 to 11, patience 5 ran a quarter fewer epochs but reached no better test accuracy (mean 0.9745, against 0.9750 without).",
    };

    private readonly Option<string[]> _text = new("--text")
    {
        HelpName = "COLUMN",
        Description = "A column of free text to classify (repeat for several, whose texts are joined): trains a text model, --model lstm, gru, rnn, bow, or logistic or svm over TF-IDF. "
            + "Every other column but the target must be dropped (--drop). predict and evaluate tokenize new texts with the saved settings and vocabulary. "
            + "The defaults of the text models trained by gradient steps: adam at lr 0.003 (lstm, gru, rnn), 0.005 (bow) or 0.02 (logistic); batch 64 (32 for logistic); "
            + "at most 12 (lstm, gru, rnn) or 15 (bow) epochs, stopping early once the validation accuracy has not risen for 3, and 32 for logistic, which runs them all; dropout 0.5 for lstm, gru and rnn. svm is fitted by its solver (--alpha, --epochs as on numbers).",
    };

    private readonly Option<int?> _maxLength = new("--max-length") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"The most terms of a text kept (the first ones), 1 to {Nabla.Text.TextOptions.MaxMaxLength:N0}; by default {TextDefaults.RecurrentMaxLength} words for lstm, gru and rnn, {TextDefaults.BagMaxLength} terms for bow, logistic and svm." };
    private readonly Option<int?> _vocabSize = new("--vocab-size") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = "The most ids in the vocabulary, <pad> and <unk> included, at least 3: the most frequent terms stay; by default every term seen --min-frequency times." };
    private readonly Option<int?> _minFrequency = new("--min-frequency") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"A term enters the vocabulary when it occurs at least N times in the training texts (rarer ones become <unk>); by default {TextDefaults.EmbeddingMinFrequency} for lstm, gru, rnn and bow, {TextDefaults.TfidfMinFrequency} for logistic and svm." };
    private readonly Option<int?> _embeddingDim = new("--embedding-dim") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"The length of each term's vector for lstm, gru, rnn and bow; by default {TextDefaults.EmbeddingDim(ModelKind.Lstm)} for lstm, gru and rnn, {TextDefaults.EmbeddingDim(ModelKind.Bow)} for bow." };
    private readonly Option<int?> _layers = new("--layers") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = "The stacked recurrent layers of lstm, gru and rnn; by default 1." };
    private readonly Option<bool> _bidirectional = new("--bidirectional") { Description = "Whether each recurrent layer of lstm, gru and rnn also reads the text from its end: on by default; --bidirectional false reads forward only.", DefaultValueFactory = _ => true };

    private readonly ScheduleOptions _schedule = new();

    // The bounds of a CSV file given with --data.
    private readonly CsvLimitOptions _csvLimits = new();

    // --user, --item, --rating and the rest of --model mf's own options.
    private readonly RecommenderOptions _recommender = new();
    private readonly DistributedOptions _distributed = new();

    // --logdir, --run-name and --log-steps: where the run log goes, and how often it records a batch.
    private readonly RunLogOptions _runLog = new();

    // --dashboard and --host: the live page of the run log.
    private readonly LiveDashboardOptions _dashboard = new();

    /// <summary>Adds the options to <paramref name="command"/>, with the checks that involve two options.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _data, _target, _drop, _model, _task, _hidden, _activation, _optimizer, _learningRate, _batchSize,
                     _epochs, _testSplit, _impute, _alpha, _seed, _out, _plot, _checkpointDirectory, _resume, _json, _quiet })
            command.Options.Add(option);
        command.Options.Add(_memoryLimit);
        command.Options.Add(_clipGradNorm);
        command.Options.Add(_findLr);
        command.Options.Add(_diagnose);
        command.Options.Add(_clipGradValue);
        command.Options.Add(_weightDecay);
        _schedule.AddTo(command);
        command.Options.Add(_dropout);
        command.Options.Add(_batchNorm);
        command.Options.Add(_earlyStopping);
        foreach (var option in new Option[] { _text, _maxLength, _vocabSize, _minFrequency, _embeddingDim, _layers, _bidirectional })
            command.Options.Add(option);
        _csvLimits.AddTo(command);
        _recommender.AddTo(command);
        _distributed.AddTo(command);
        _runLog.AddTo(command);
        _dashboard.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_batchSize) is { Implicit: false } && result.GetResult(_distributed.GlobalBatch) is { Implicit: false })
                result.AddError("--batch-size and --global-batch both set the batch: --batch-size is each rank's share, --global-batch the total over the ranks; give one.");
            if (ValueIfRead(result, _resume) && ValueIfRead(result, _checkpointDirectory) is null)
                result.AddError("--resume needs --checkpoint-dir DIR: the folder to resume from.");
            if (ValueIfRead(result, _target) is not null && ValueIfRead(result, _data) is null)
                result.AddError("--target needs --data PATH: the file whose column it names.");
            if (ValueIfRead(result, _drop) is not null && ValueIfRead(result, _data) is null)
                result.AddError("--drop needs --data PATH: the file whose columns it names.");
            if (ValueIfRead(result, _text) is { Length: > 0 } && ValueIfRead(result, _data) is null)
                result.AddError("--text needs --data PATH: the CSV file whose column it names (the built-in digits have no text).");
            if (ValueIfRead(result, _data) is null && _csvLimits.FirstGiven(result.GetResult) is { } limit)
                result.AddError($"{limit} needs --data PATH: the CSV file it bounds.");
            if (ValueIfRead(result, _findLr))
                foreach (var option in (Option[])[_learningRate, _out, _epochs, _checkpointDirectory, _resume, _diagnose, _earlyStopping, .. _schedule.All, .. _runLog.All, .. _dashboard.All])
                    if (result.GetResult(option) is { Implicit: false })
                        result.AddError($"{option.Name} does not apply with --find-lr, which only searches for a learning rate (trying its own, from 1e-7 to 10) and trains nothing; leave it out, or train with --lr auto, which searches first.");
            if (ValueIfRead(result, _diagnose) && ValueIfRead(result, _quiet))
                result.AddError("--diagnose shows the gradients after each epoch, which --quiet leaves out; give one of them.");
        });
    }

    /// <summary>
    /// An option's value, or the default when it was given more values than it takes (--data a --data b):
    /// the parser reports that itself, but runs this validator anyway, where reading the value would throw.
    /// </summary>
    private static T? ValueIfRead<T>(CommandResult result, Option<T> option) =>
        result.GetResult(option) is { } given && given.Tokens.Count > 1 ? default : result.GetValue(option);

    /// <summary>Reads and checks every option.</summary>
    /// <exception cref="CommandInputException">A value is out of range or names a folder that does not exist.</exception>
    public TrainSettings Read(ParseResult parse)
    {
        var model = TrainChoices.Model.Parse("--model", parse.GetValue(_model)!);
        if (model == ModelKind.Mf) return ReadRecommender(parse);
        _recommender.RefuseFor(parse, TrainChoices.Model.WordOf(model));
        string[] textColumns = parse.GetValue(_text) ?? [];
        bool text = textColumns.Length > 0;
        RequireTextFits(parse, model, text);
        // svm over TF-IDF is LinearSvc's solver on the sparse rows, as on numbers; logistic over TF-IDF is trained by gradient steps.
        bool linear = TrainSettings.IsLinear(model) && (!text || model == ModelKind.Svm);
        if (linear)
        {
            RefuseNetworkOptions(parse, model, text ? "--model logistic, which trains by gradient steps" : "--model mlp");
            _distributed.RefuseFor(parse, $"--model {TrainChoices.Model.WordOf(model)}, which is fitted by its own solver");
        }
        var federated = _distributed.ReadFederated(parse);
        if (federated is not null) RefuseForFederated(parse);
        OptimizerKind? optimizer = linear ? null
            : parse.GetValue(_optimizer) is { } word ? TrainChoices.Optimizer.Parse("--optimizer", word)
            : federated is not null ? OptimizerKind.Sgd : OptimizerKind.Adam;
        if (federated is not null && optimizer is not (OptimizerKind.Sgd or OptimizerKind.Momentum))
            throw new CommandInputException($"--optimizer {TrainChoices.Optimizer.WordOf(optimizer!.Value)} does not apply with --federated: its clients train by SGD, as FedAvg's do; use --optimizer sgd (the default) or momentum.");
        var learningRate = parse.GetValue(_learningRate);
        var search = parse.GetValue(_findLr) ? LearningRateSearchMode.FindOnly
            : learningRate is { IsAuto: true } ? LearningRateSearchMode.Auto
            : LearningRateSearchMode.None;
        var settings = new TrainSettings(
            DataPath: parse.GetValue(_data),
            TargetColumn: parse.GetValue(_target),
            DropColumns: parse.GetValue(_drop) is { } drop ? ParseColumns("--drop", drop) : [],
            Model: model,
            Task: TrainChoices.Task.Parse("--task", parse.GetValue(_task)!),
            Hidden: ParseWidths("--hidden", parse.GetValue(_hidden)!),
            Activation: TrainChoices.Activation.Parse("--activation", parse.GetValue(_activation)!),
            Optimizer: optimizer,
            // Null for --lr auto and --find-lr until the search finds it.
            LearningRate: optimizer is { } kind && search == LearningRateSearchMode.None
                ? learningRate?.Rate ?? (federated is not null ? FederatedSettings.DefaultLearningRate : DefaultLearningRateOf(kind, text ? model : null))
                : null,
            BatchSize: optimizer is null or OptimizerKind.Lbfgs ? parse.GetValue(_batchSize) ?? _distributed.ReadGlobalBatch(parse)
                : parse.GetValue(_batchSize) ?? _distributed.ReadGlobalBatch(parse)
                    ?? (federated is not null ? FederatedSettings.DefaultBatchSize : text ? TextDefaults.BatchSize(model) : DefaultBatchSize),
            Epochs: parse.GetValue(_epochs) ?? (text && !linear ? TextDefaults.Epochs(model) : DefaultEpochsOf(model)),
            TestSplit: parse.GetValue(_testSplit),
            Impute: TrainChoices.Impute.Parse("--impute", parse.GetValue(_impute)!),
            Alpha: parse.GetValue(_alpha),
            Seed: parse.GetValue(_seed),
            OutPath: parse.GetValue(_out)!,
            PlotPath: parse.GetValue(_plot),
            CheckpointDirectory: parse.GetValue(_checkpointDirectory),
            Resume: parse.GetValue(_resume),
            Json: parse.GetValue(_json),
            Quiet: parse.GetValue(_quiet),
            CsvLimits: _csvLimits.Read(parse));
        settings = settings with
        {
            MemoryLimit = parse.GetValue(_memoryLimit)!,
            ClipGradNorm = parse.GetValue(_clipGradNorm),
            FindLearningRate = search,
            Diagnose = parse.GetValue(_diagnose),
            ClipGradValue = parse.GetValue(_clipGradValue),
            WeightDecay = parse.GetValue(_weightDecay) ?? 0,
            Dropout = parse.GetValue(_dropout) ?? (text ? TextDefaults.Dropout(model) : 0),
            BatchNorm = parse.GetValue(_batchNorm),
            EarlyStoppingPatience = parse.GetValue(_earlyStopping) ?? (text && optimizer is not (null or OptimizerKind.Lbfgs) ? TextDefaults.EarlyStoppingPatience(model) : null),
            Text = text ? ReadText(parse, model, textColumns) : null,
            Federated = federated,
            BatchIsGlobal = parse.GetResult(_distributed.GlobalBatch) is { Implicit: false },
            SyncBatchNorm = _distributed.ReadSyncBatchNorm(parse),
        };
        if (settings.SyncBatchNorm && !settings.BatchNorm)
            throw new CommandInputException("--sync-batch-norm synchronises the batch normalisation that --batch-norm adds; give --batch-norm too.");
        if (settings.DataPath is { } data && Directory.Exists(data)) _csvLimits.RefuseFor(parse, $"--data '{data}', a folder of IDX files");
        if (model == ModelKind.Cnn) RefuseMlpOnlyOptions(parse);
        if (settings.Model == ModelKind.Logistic && text && parse.GetResult(_alpha) is { Implicit: false })
            throw new CommandInputException($"--alpha does not apply to --model {TrainChoices.Model.WordOf(model)} with --text, which is trained by gradient steps: its L2 penalty is --weight-decay.");
        CheckRanges(settings);
        // Read once the learning rate and epochs it is checked against are known to be in range; --lr auto's
        // rate is checked against the schedule once the search has found it (LearningRateSchedule.RequireBelow).
        if (optimizer is { } scheduled)
            settings = settings with { Schedule = _schedule.Read(parse, settings.LearningRate, scheduled, settings.Epochs) };
        // Only the networks train by epochs to log; --find-lr trains none.
        if (!linear && federated is null && search != LearningRateSearchMode.FindOnly)
        {
            settings = settings with { RunLogDirectory = _runLog.Read(parse, settings.OutPath, TrainChoices.Model.WordOf(model), DateTimeOffset.Now) };
            settings = settings with { RunLogStepInterval = _runLog.ReadStepInterval(parse, settings.RunLogDirectory) };
            settings = settings with { Dashboard = _dashboard.Read(parse, settings.RunLogDirectory) };
        }
        return settings;
    }

    /// <summary>
    /// The settings of <c>--model mf</c>: the common options that apply to it (data, epochs, learning rate, batch size, alpha,
    /// test split, seed, outputs), each with the recommender's default when left out, and its own (<see cref="RecommenderOptions"/>).
    /// </summary>
    private TrainSettings ReadRecommender(ParseResult parse)
    {
        string data = parse.GetValue(_data)
            ?? throw new CommandInputException("--model mf needs --data PATH: a CSV file with a column of user ids, one of item ids and, for ratings, one of ratings.");
        (Option Option, string Why)[] refused =
        [
            (_target, "name the column of ratings with --rating"),
            (_drop, "it reads only the --user, --item, --rating and --timestamp columns"),
            (_task, "it predicts ratings, or ranks items with --implicit"),
            (_hidden, "it has no hidden layers; its size is --factors"),
            (_activation, "it has no hidden layers"),
            (_optimizer, "--solver chooses how it is fitted"),
            (_impute, "every id and rating must be present; an empty cell is an error"),
            (_checkpointDirectory, "its solvers are fast enough to rerun"),
            (_resume, "its solvers are fast enough to rerun"),
            (_clipGradNorm, "its solvers take no clipped steps"),
            (_clipGradValue, "its solvers take no clipped steps"),
            (_findLr, "it has no learning-rate finder; --lr sets the step of sgd, adam and bpr"),
            (_diagnose, "it has no layers to diagnose"),
            (_weightDecay, "its L2 penalty is --alpha"),
            .. _schedule.All.Select(option => (option, "its step size is constant")),
            (_dropout, "it has no hidden layers"),
            (_batchNorm, "it has no hidden layers"),
            (_earlyStopping, "it runs every epoch"),
            (_text, "it reads ids, not text"),
            (_maxLength, "it reads ids, not text"),
            (_vocabSize, "it reads ids, not text"),
            (_minFrequency, "it reads ids, not text"),
            (_embeddingDim, "its size is --factors"),
            (_layers, "it has no layers"),
            (_bidirectional, "it has no recurrent layers"),
            .. _runLog.All.Concat(_dashboard.All).Select(option => (option, "its solvers write no run log")),
        ];
        foreach (var (option, why) in refused)
            if (parse.GetResult(option) is { Implicit: false })
                throw new CommandInputException($"{option.Name} does not apply to --model mf: {why}; leave it out.");
        var learningRate = parse.GetValue(_learningRate);
        if (learningRate is { IsAuto: true })
            throw new CommandInputException($"--lr {LearningRateArgument.AutoWord} searches for a network's rate and does not apply to --model mf; give --lr a number, or leave it out for the solver's default.");
        _distributed.RefuseFor(parse, "--model mf, the recommender");
        var recommender = _recommender.Read(parse, learningRate?.Rate, parse.GetValue(_batchSize), parse.GetResult(_testSplit) is { Implicit: false });
        var settings = new TrainSettings(
            DataPath: data,
            TargetColumn: null,
            DropColumns: [],
            Model: ModelKind.Mf,
            Task: ModelTask.Regression,
            Hidden: [],
            Activation: Activation.Relu,
            Optimizer: null,
            LearningRate: recommender.Solver == RecommenderSolver.Als ? null : recommender.LearningRate,
            BatchSize: recommender.Solver == RecommenderSolver.Adam ? recommender.BatchSize : null,
            Epochs: parse.GetValue(_epochs) ?? RecommenderDefaults.Epochs(recommender.Solver),
            TestSplit: parse.GetValue(_testSplit),
            Impute: MissingValuePolicy.Error,
            Alpha: parse.GetResult(_alpha) is { Implicit: false } ? parse.GetValue(_alpha) : RecommenderDefaults.Alpha(recommender.Solver, recommender.Implicit),
            Seed: parse.GetValue(_seed),
            OutPath: parse.GetValue(_out)!,
            PlotPath: parse.GetValue(_plot),
            CheckpointDirectory: null,
            Resume: false,
            Json: parse.GetValue(_json),
            Quiet: parse.GetValue(_quiet),
            CsvLimits: _csvLimits.Read(parse)) { Recommender = recommender, MemoryLimit = parse.GetValue(_memoryLimit)! };
        if (Directory.Exists(data)) throw new CommandInputException($"--data '{data}' is a folder; --model mf reads a CSV file of ratings or interactions.");
        CheckRanges(settings);
        if (settings.Alpha == 0 && recommender.Solver == RecommenderSolver.Als)
            throw new CommandInputException("--alpha 0 leaves --solver als without a penalty, which it needs: a user or item with fewer ratings than factors makes its least-squares problem singular; give an --alpha greater than 0.");
        return settings;
    }

    /// <summary>
    /// Refuses, naming it, an option given with a linear model that only the networks use: the
    /// estimators have their own solvers (no optimizer, learning rate, batches or checkpoints), one
    /// layer (no hidden widths or activation), and no epochs to plot; linear and ridge are solved
    /// exactly, so they take no iteration count either.
    /// </summary>
    private void RefuseNetworkOptions(ParseResult parse, ModelKind model, string instead)
    {
        string name = TrainChoices.Model.WordOf(model);
        bool exact = model is ModelKind.Linear or ModelKind.Ridge;
        (Option Option, string Why)[] networkOnly =
        [
            (_optimizer, "it is fitted by its own solver"),
            (_learningRate, "it is fitted by its own solver"),
            (_batchSize, "it is fitted on all the training rows at once"),
            (_hidden, "it has no hidden layers"),
            (_activation, "it has no hidden layers"),
            (_plot, "it has no epochs to draw"),
            (_checkpointDirectory, "it is fitted in one go, with no epochs to checkpoint"),
            (_resume, "it is fitted in one go, with no epochs to checkpoint"),
            (_memoryLimit, "it has no layers of activations for the limit to bound"),
            (_clipGradNorm, "it is fitted by its own solver, with no gradient steps to clip"),
            (_findLr, "it is fitted by its own solver, with no learning rate to search for"),
            (_diagnose, "it is fitted by its own solver, with no gradient steps to watch"),
            (_clipGradValue, "it is fitted by its own solver, with no gradient steps to clip"),
            (_weightDecay, "it is fitted by its own solver; its L2 penalty is --alpha"),
            .. _schedule.All.Select(option => (option, "it is fitted by its own solver, with no learning rate to schedule")),
            (_dropout, "it has no hidden layers"),
            (_batchNorm, "it has no hidden layers"),
            (_earlyStopping, "it is fitted to the optimum of its loss, with no epochs to stop early"),
            .. _runLog.All.Concat(_dashboard.All).Select(option => (option, "it is fitted by its own solver, with no epochs to log")),
            (_epochs, exact ? "it is solved exactly, with no iterations" : ""),
            (_alpha, model == ModelKind.Linear ? "ordinary least squares has no penalty (ridge has)" : ""),
        ];
        foreach (var (option, why) in networkOnly)
            if (why.Length > 0 && parse.GetResult(option) is { Implicit: false })
                throw new CommandInputException($"{option.Name} does not apply to --model {name}: {why}; leave it out, or use {instead}.");
    }

    /// <summary>
    /// Refuses, naming it, an option that does not fit federated averaging: its training is set by rounds and local epochs
    /// of plain SGD on each client, and a round has no epoch to checkpoint, stop early, schedule or diagnose.
    /// </summary>
    private void RefuseForFederated(ParseResult parse)
    {
        (Option Option, string Why)[] refused =
        [
            (_epochs, "--rounds and --local-epochs set how long it trains"),
            (_findLr, "it has no learning-rate finder; --lr sets the clients' step"),
            (_checkpointDirectory, "its rounds are not checkpointed"),
            (_resume, "its rounds are not checkpointed"),
            (_earlyStopping, "it runs every round"),
            (_clipGradNorm, "its clients take plain SGD steps"),
            (_clipGradValue, "its clients take plain SGD steps"),
            (_weightDecay, "its clients take plain SGD steps"),
            (_diagnose, "its gradients are the clients' own"),
            .. _runLog.All.Concat(_dashboard.All).Select(option => (option, "its rounds are not logged")),
            .. _schedule.All.Select(option => (option, "its clients' step size is constant")),
        ];
        foreach (var (option, why) in refused)
            if (parse.GetResult(option) is { Implicit: false })
                throw new CommandInputException($"{option.Name} does not apply with --federated: {why}; leave it out.");
        if (parse.GetValue(_learningRate) is { IsAuto: true })
            throw new CommandInputException("--lr auto does not apply with --federated: it has no learning-rate finder; give the clients' step, such as --lr 0.05.");
    }

    /// <summary>
    /// Refuses a model that does not fit <c>--text</c>: the text-only models without it, the models of numbers or
    /// images with it; and the text options without <c>--text</c>, or with a text model they do not shape.
    /// </summary>
    private void RequireTextFits(ParseResult parse, ModelKind model, bool text)
    {
        string name = TrainChoices.Model.WordOf(model);
        if (!text && TextModelSettings.IsTextOnly(model))
            throw new CommandInputException($"--model {name} classifies text: name the column of text with --text COLUMN (for example --text description), and --drop the other columns.");
        Option[] textOptions = [_maxLength, _vocabSize, _minFrequency, _embeddingDim, _layers, _bidirectional];
        if (!text)
        {
            if (textOptions.FirstOrDefault(option => parse.GetResult(option) is { Implicit: false }) is { } given)
                throw new CommandInputException($"{given.Name} shapes a text model; it needs --text COLUMN, the column of text to classify.");
            return;
        }
        if (model is ModelKind.Linear or ModelKind.Ridge or ModelKind.Mlp or ModelKind.Cnn)
            throw new CommandInputException($"--text trains a text classifier, which --model {name} is not; use --model lstm, gru, rnn, bow, logistic or svm.");
        bool recurrent = TextModelSettings.IsRecurrent(model);
        (Option Option, string Why)[] refused =
        [
            (_activation, "its layers have their own nonlinearities"),
            (_batchNorm, "it has no hidden linear layers to normalise"),
            (_impute, "its text cells must hold text; an empty one is an error"),
            (_hidden, recurrent ? "" : "it has no hidden layers"),
            (_layers, recurrent ? "" : "it has no recurrent layers"),
            (_bidirectional, recurrent ? "" : "it has no recurrent layers"),
            (_embeddingDim, model is ModelKind.Logistic or ModelKind.Svm ? "it weighs TF-IDF terms, with no embeddings" : ""),
            (_dropout, model is ModelKind.Logistic ? "it is one linear layer" : ""),
        ];
        foreach (var (option, why) in refused)
            if (why.Length > 0 && parse.GetResult(option) is { Implicit: false })
                throw new CommandInputException($"{option.Name} does not apply to --model {name} with --text: {why}; leave it out.");
    }

    /// <summary>The text columns and the text model's settings, each given or its default for <paramref name="model"/>.</summary>
    private TextModelSettings ReadText(ParseResult parse, ModelKind model, string[] columns)
    {
        int hidden = TextDefaults.HiddenSize;
        if (parse.GetResult(_hidden) is { Implicit: false })
        {
            int[] widths = ParseWidths("--hidden", parse.GetValue(_hidden)!);
            if (widths.Length != 1)
                throw new CommandInputException($"--hidden for --model {TrainChoices.Model.WordOf(model)} is the width of the recurrent state, one number such as 128; got {widths.Length} widths.");
            hidden = widths[0];
        }
        var settings = new TextModelSettings(
            Columns: columns,
            MaxLength: parse.GetValue(_maxLength) ?? (TextModelSettings.IsRecurrent(model) ? TextDefaults.RecurrentMaxLength : TextDefaults.BagMaxLength),
            VocabularySize: parse.GetValue(_vocabSize),
            MinFrequency: parse.GetValue(_minFrequency) ?? (model is ModelKind.Logistic or ModelKind.Svm ? TextDefaults.TfidfMinFrequency : TextDefaults.EmbeddingMinFrequency),
            EmbeddingDim: parse.GetValue(_embeddingDim) ?? TextDefaults.EmbeddingDim(model),
            HiddenSize: hidden,
            Layers: parse.GetValue(_layers) ?? 1,
            Bidirectional: parse.GetValue(_bidirectional));
        if (columns.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
            throw new CommandInputException("--text needs a column name, got an empty one.");
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Length)
            throw new CommandInputException($"--text names a column twice ({string.Join(", ", columns)}); give each text column once.");
        if (settings.MaxLength is < 1 or > Nabla.Text.TextOptions.MaxMaxLength)
            throw new CommandInputException($"--max-length must be a whole number from 1 to {Nabla.Text.TextOptions.MaxMaxLength}, got {settings.MaxLength}.");
        if (settings.VocabularySize is < 3)
            throw new CommandInputException($"--vocab-size must be at least 3 (<pad>, <unk> and one term), got {settings.VocabularySize}.");
        if (settings.MinFrequency < 1)
            throw new CommandInputException($"--min-frequency must be at least 1, got {settings.MinFrequency}.");
        if (settings.EmbeddingDim < 1)
            throw new CommandInputException($"--embedding-dim must be at least 1, got {settings.EmbeddingDim}.");
        if (settings.Layers < 1)
            throw new CommandInputException($"--layers must be at least 1, got {settings.Layers}.");
        return settings;
    }

    /// <summary>Refuses, naming it, an option that changes the layers of mlp: the CNN's architecture is fixed, with no dropout or normalisation layers.</summary>
    private void RefuseMlpOnlyOptions(ParseResult parse)
    {
        foreach (var option in new Option[] { _dropout, _batchNorm })
            if (parse.GetResult(option) is { Implicit: false })
                throw new CommandInputException($"{option.Name} does not apply to --model cnn: its architecture is fixed (two convolution and pooling stages, then one linear layer) and has no {(option == _dropout ? "dropout" : "batch normalisation")} layer; leave it out, or use --model mlp.");
    }

    /// <summary>The passes of the networks, or the most iterations of logistic's and svm's solvers; linear and ridge use none (1).</summary>
    private static int DefaultEpochsOf(ModelKind model) => model switch
    {
        ModelKind.Logistic => DefaultLogisticIterations,
        ModelKind.Svm => DefaultSvmIterations,
        ModelKind.Linear or ModelKind.Ridge => 1,
        _ => DefaultEpochs,
    };

    /// <summary>
    /// The step size each optimizer is customarily run with (Adam's doubled, see <see cref="DefaultLearningRate"/>; L-BFGS's full step);
    /// Adam's for a text model (<paramref name="textModel"/>) is the one chosen for it on the Debian descriptions.
    /// </summary>
    private static double DefaultLearningRateOf(OptimizerKind optimizer, ModelKind? textModel) => optimizer switch
    {
        OptimizerKind.Adam => textModel is { } model ? TextDefaults.LearningRate(model) : DefaultLearningRate,
        OptimizerKind.Rmsprop => 1e-3,
        OptimizerKind.Sgd or OptimizerKind.Momentum or OptimizerKind.Adagrad => 1e-2,
        OptimizerKind.Lbfgs => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(optimizer), optimizer, "unknown optimizer kind."),
    };

    private static void CheckRanges(TrainSettings settings)
    {
        var invariant = CultureInfo.InvariantCulture;
        if (settings.LearningRate is { } rate && (!(rate > 0) || double.IsInfinity(rate)))
            throw new CommandInputException(string.Create(invariant, $"--lr must be a finite number greater than 0, got {rate}."));
        if (settings.ClipGradNorm is { } clip && (!(clip > 0) || double.IsInfinity(clip)))
            throw new CommandInputException(string.Create(invariant, $"--clip-grad-norm must be a finite number greater than 0, got {clip}."));
        if (settings.ClipGradNorm is not null && settings.Optimizer == OptimizerKind.Lbfgs)
            throw new CommandInputException("--clip-grad-norm does not apply to --optimizer lbfgs: its line search needs the true gradients of the loss; leave it out, or choose another optimizer.");
        if (settings.FindLearningRate != LearningRateSearchMode.None && settings.Optimizer == OptimizerKind.Lbfgs)
            throw new CommandInputException($"{(settings.FindLearningRate == LearningRateSearchMode.Auto ? $"--lr {LearningRateArgument.AutoWord}" : "--find-lr")} does not apply to --optimizer lbfgs: it chooses its own step lengths by a line search, so there is no learning rate to search for; give --lr a number or leave it out, or choose another optimizer.");
        if (settings.ClipGradValue is { } value && (!(value > 0) || double.IsInfinity(value)))
            throw new CommandInputException(string.Create(invariant, $"--clip-grad-value must be a finite number greater than 0, got {value}."));
        if (!(settings.WeightDecay >= 0) || double.IsInfinity(settings.WeightDecay))
            throw new CommandInputException(string.Create(invariant, $"--weight-decay must be a finite number of at least 0, got {settings.WeightDecay}."));
        if (!(settings.Dropout >= 0 && settings.Dropout < 1))
            throw new CommandInputException(string.Create(invariant, $"--dropout must be a probability from 0 to less than 1, got {settings.Dropout}."));
        if (settings.EarlyStoppingPatience < 1)
            throw new CommandInputException($"--early-stopping must be a whole number of epochs of at least 1, got {settings.EarlyStoppingPatience}.");
        if (settings.Optimizer == OptimizerKind.Lbfgs)
        {
            string? refused = settings.ClipGradValue is not null ? "--clip-grad-value does not apply to --optimizer lbfgs: its line search needs the true gradients of the loss"
                : settings.WeightDecay != 0 ? "--weight-decay does not apply to --optimizer lbfgs: the library's L-BFGS has no weight decay"
                : settings.Dropout != 0 ? "--dropout does not apply to --optimizer lbfgs: its line search needs the same loss each time it measures it, and dropout draws new units each time"
                : null;
            if (refused is not null) throw new CommandInputException($"{refused}; leave it out, or choose another optimizer.");
        }
        if (settings.Epochs <= 0)
            throw new CommandInputException($"--epochs must be at least 1, got {settings.Epochs}.");
        if (settings.BatchSize <= 0)
            throw new CommandInputException($"--batch-size must be at least 1, got {settings.BatchSize}.");
        if (!(settings.Alpha >= 0) || double.IsInfinity(settings.Alpha))
            throw new CommandInputException(string.Create(invariant, $"--alpha must be a finite number of at least 0, got {settings.Alpha}."));
        if (settings.Model == ModelKind.Svm && settings.Alpha == 0)
            throw new CommandInputException("--alpha 0 leaves --model svm without a penalty, which its solver needs (C = 1/alpha must be finite); give an --alpha greater than 0.");
        if (!(settings.TestSplit > 0 && settings.TestSplit < 1))
            throw new CommandInputException(string.Create(invariant, $"--test-split must be between 0 and 1 (exclusive), got {settings.TestSplit}."));
        OutputPath.Check("--out", settings.OutPath);
        if (settings.CheckpointDirectory is { } checkpoints)
        {
            // Checked before training, not at the first checkpoint after an epoch's work.
            if (string.IsNullOrWhiteSpace(checkpoints))
                throw new CommandInputException("--checkpoint-dir needs a folder path, got an empty one.");
            if (File.Exists(checkpoints))
                throw new CommandInputException($"--checkpoint-dir '{checkpoints}' is a file; give a folder (it is created when missing).");
        }
        if (settings.PlotPath is { } plot)
        {
            if (!string.Equals(Path.GetExtension(plot), ".png", StringComparison.OrdinalIgnoreCase))
                throw new CommandInputException($"--plot writes a PNG picture: give a path ending in .png, got '{plot}'.");
            OutputPath.Check("--plot", plot);
        }
    }

    /// <summary>Parses "id,2" into column names or positions, refusing an empty item (a stray comma) by its place.</summary>
    internal static string[] ParseColumns(string option, string text)
    {
        string[] items = [.. text.Split(',').Select(item => item.Trim())];
        int empty = Array.IndexOf(items, "");
        if (empty >= 0)
            throw new CommandInputException(
                $"{option} must be column names or 0-based positions separated by commas, such as id,2; item {empty + 1} of '{text}' is empty.");
        return items;
    }

    /// <summary>Parses "128,64" into the hidden widths, each a whole number of at least 1.</summary>
    private static int[] ParseWidths(string option, string text)
    {
        string[] items = text.Split(',');
        var widths = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new CommandInputException(
                    $"{option} must be layer widths separated by commas, such as 128,64; item {i + 1} of '{text}' is {(item.Length == 0 ? "empty" : $"'{item}'")}, not a whole number of at least 1.");
        }
        return widths;
    }
}
