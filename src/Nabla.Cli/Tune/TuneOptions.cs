using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Nabla.Data;
using Nabla.Models;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>
/// The options of <c>nabla tune</c>: the data options of <c>nabla train</c> (the same data, split the same way), and the
/// search's own; read into one checked <see cref="TuneSettings"/>. Values that do not parse are usage errors (exit 2), as are a
/// <c>--space</c> that does not fit the models; values out of range are <see cref="CommandInputException"/>s naming the option.
/// </summary>
internal sealed class TuneOptions
{
    /// <summary>The folds when <c>--cv</c> is not given, as scikit-learn's searches.</summary>
    public const int DefaultFolds = 5;

    /// <summary>The state folder when <c>--state</c> is not given, in the current folder.</summary>
    public const string DefaultState = "tune-state";

    private readonly Option<string?> _data = new("--data") { Description = "A CSV file (with a header row) or a folder of IDX files to tune on, as nabla train takes it; by default the built-in digits.", HelpName = "PATH" };
    private readonly Option<string?> _target = new("--target") { Description = "The column of the CSV file to predict, by name or 0-based position; by default the last column.", HelpName = "COLUMN" };
    private readonly Option<string?> _drop = new("--drop") { Description = "Columns of the CSV file to leave out of the features, comma-separated, by name or 0-based position.", HelpName = "COLUMNS" };
    private readonly Option<string> _task = new("--task") { Description = "Classification or regression; auto decides from the target.", HelpName = TrainChoices.Task.Help, DefaultValueFactory = _ => TrainChoices.Task.WordOf(null) };
    private readonly Option<string> _model = new("--model") { Description = "The model to tune: auto tries logistic, svm and mlp for classes, ridge and mlp for numbers (the cheap linear models first, --trials split 1 : 1 : 3); or one of them, or cnn for images.", HelpName = TuneChoices.Model.Help, DefaultValueFactory = _ => TuneChoices.Model.WordOf(null) };
    private readonly Option<string> _search = new("--search") { Description = "How settings are chosen: tpe (the tree-structured Parzen estimator, Optuna's default: random at first, then like the best so far), random, grid (every combination, five points a range), halving (successive halving: many settings on a ninth of the budget, the best third go on with three times as much; a network's budget is epochs, a linear model's a share of the rows) or hyperband (brackets of halving).", HelpName = TuneChoices.Search.Help, DefaultValueFactory = _ => TuneChoices.Search.WordOf(SearchKind.Tpe) };
    private readonly Option<int?> _trials = new("--trials") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"How many settings to try, split among the models of auto (for halving, how many start; grid refuses a grid larger than this); by default {TuneFamily.DefaultTrials}, or as many as --time-budget allows when only it is given." };
    private readonly Option<TimeSpan?> _timeBudget = new("--time-budget") { CustomParser = TimeBudgetArgument.Parse, HelpName = "DURATION", Description = "The wall time the search may take, such as 90s, 10m or 1h: no trial starts after it, and those running stop; the best model found is then refitted (which takes one more training) and saved." };
    private readonly Option<int> _cv = new("--cv") { CustomParser = InvariantNumber.ParseWhole<int>, HelpName = "K", Description = "Score each trial by K-fold cross-validation of the training rows (stratified for classes), the mean and standard deviation over the folds; at least 2. The test rows are used once, by the final model.", DefaultValueFactory = _ => DefaultFolds };
    private readonly Option<string?> _metric = new("--metric") { HelpName = TuneMetric.Help, Description = "The score to compare trials by, on each fold's held-out rows: accuracy (default for classes), f1_macro, precision_macro, recall_macro, f1_weighted; r2 (default for numbers), rmse, mae, mse (smaller is better)." };
    private readonly Option<string?> _space = new("--space") { HelpName = "SPACE", Description = "Settings to search, replacing the defaults they name: name=low..high (add :log for a log scale, :int for whole numbers), name={a;b;c}, hidden=[64;128,64], or name=value to fix one. Settings: lr, hidden, activation, dropout, batch_norm, weight_decay, batch_size, optimizer, schedule (constant, cosine, onecycle), epochs (mlp; cnn takes lr, weight_decay, batch_size, optimizer, schedule, epochs); alpha (ridge, logistic, svm). Example: \"lr=1e-4..1e-1:log,hidden=[64;128,64]\"." };
    private readonly Option<int?> _epochs = new("--epochs") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "N", Description = $"The epochs of a network's full budget (what halving hands out in parts); by default {TrainOptions.DefaultEpochs}, as nabla train." };
    private readonly Option<string?> _parallel = new("--parallel") { HelpName = "N|auto", Description = "How many trials run at once, each with its share of the cores; auto runs up to 4 (no more than the cores) when the data are small, one otherwise. The trials tried depend on it, as a batch of trials sees only the batches before it." };
    private readonly Option<double> _testSplit = new("--test-split") { CustomParser = InvariantNumber.Parse, Description = "Share of the CSV rows held out for the final test, stratified by class for classification; between 0 and 1.", DefaultValueFactory = _ => TrainOptions.DefaultTestSplit };
    private readonly Option<string> _impute = new("--impute") { Description = "Missing cells in the CSV's feature columns: none makes them an error, mean fills each with its column's training mean.", HelpName = TrainChoices.Impute.Help, DefaultValueFactory = _ => TrainChoices.Impute.WordOf(MissingValuePolicy.Error) };
    private readonly Option<ulong> _seed = new("--seed") { CustomParser = InvariantNumber.ParseWhole<ulong>, Description = "Seeds the split, the folds, the search and every trial's weights: the same options give the same trials.", DefaultValueFactory = _ => 0UL };
    private readonly Option<string> _out = new("--out") { Description = "Where to write the best model, refitted on all the training rows (.safetensors); its folder must exist.", HelpName = "PATH", DefaultValueFactory = _ => TrainOptions.DefaultOut };
    private readonly Option<string> _state = new("--state") { Description = "The folder where the search keeps its trials after each batch, so that --resume can continue it; created when missing. A new search clears what an earlier one left there.", HelpName = "DIR", DefaultValueFactory = _ => DefaultState };
    private readonly Option<bool> _resume = new("--resume") { Description = "Continue the search saved in --state, with the same options: its trials are not run again, and it ends as a search never stopped would (a new --time-budget may be given)." };
    private readonly Option<string?> _plot = new("--plot") { Description = "Also draw each trial's score, and the best so far, to this PNG file.", HelpName = "PATH" };
    private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object with every trial, the best, and the test scores instead of text." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print only the summary, no header or trials." };
    private readonly RunLogOptions _runLog = new(
        $"Write the search's events (its settings, then each trial as it ends: its number, model, settings, outcome, score ± std over the folds and seconds; then how the search ended) to DIR/NAME/{Training.RunLog.FileName}, "
        + $"one JSON object a line, forced to disk after each trial so a killed search keeps its finished trials. {RunLogOptions.FolderRule} The trials and the refit write no log of their own.",
        $"The search's folder in --logdir: {RunLogOptions.NameRule} (a resumed search needs a new one; its log holds every trial, those of the search resumed first). "
        + "By default the start time and tune, such as 20261207-0712-tune (with -2, -3... when taken).");

    // --dashboard and --host: the live page of the run log.
    private readonly LiveDashboardOptions _dashboard = new();
    private readonly Option<MemoryLimit> _memoryLimit = MemoryLimitOption.ForTraining();
    private readonly CsvLimitOptions _csvLimits = new();

    /// <summary>Adds the options to <paramref name="command"/>, with the checks that involve two options.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _data, _target, _drop, _task, _model, _search, _trials, _timeBudget, _cv, _metric, _space, _epochs, _parallel,
                     _testSplit, _impute, _seed, _out, _state, _resume, _plot, _json, _quiet, _memoryLimit })
            command.Options.Add(option);
        _runLog.AddTo(command);
        _dashboard.AddTo(command);
        _csvLimits.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(_target) is { Implicit: false } && result.GetResult(_data) is null)
                result.AddError("--target needs --data PATH: the file whose column it names.");
            if (result.GetResult(_drop) is { Implicit: false } && result.GetResult(_data) is null)
                result.AddError("--drop needs --data PATH: the file whose columns it names.");
            if (result.GetResult(_data) is null && _csvLimits.FirstGiven(result.GetResult) is { } limit)
                result.AddError($"{limit} needs --data PATH: the CSV file it bounds.");
        });
    }

    /// <summary>Reads and checks every option.</summary>
    /// <exception cref="CommandInputException">A value is out of range, or the space does not parse.</exception>
    public TuneSettings Read(ParseResult parse)
    {
        var invariant = CultureInfo.InvariantCulture;
        int? trials = parse.GetValue(_trials);
        if (trials is < 1 or > TuneFamily.UnboundedTrials)
            throw new CommandInputException(string.Create(invariant, $"--trials must be a whole number from 1 to {TuneFamily.UnboundedTrials}, got {trials}."));
        int folds = parse.GetValue(_cv);
        if (folds < 2)
            throw new CommandInputException($"--cv must be a whole number of folds of at least 2, got {folds}.");
        int epochs = parse.GetValue(_epochs) ?? TrainOptions.DefaultEpochs;
        if (epochs is < 1 or > 10_000)
            throw new CommandInputException($"--epochs must be a whole number from 1 to 10000, got {epochs}.");
        double testSplit = parse.GetValue(_testSplit);
        if (!(testSplit > 0 && testSplit < 1))
            throw new CommandInputException(string.Create(invariant, $"--test-split must be between 0 and 1 (exclusive), got {testSplit}."));
        var model = TuneChoices.Model.Parse("--model", parse.GetValue(_model)!);
        var search = TuneChoices.Search.Parse("--search", parse.GetValue(_search)!);
        if (search == SearchKind.Hyperband && trials is not null)
            throw new CommandInputException("--trials does not apply to --search hyperband, whose brackets decide how many settings start (from --epochs); leave it out, or use --search halving, which starts --trials settings.", ExitCodes.Usage);
        SearchSpace? space = null;
        if (parse.GetValue(_space) is { } text)
        {
            try
            {
                space = SearchSpace.Parse(text);
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new CommandInputException($"--space: {ErrorHandling.MessageOf(e)}", ExitCodes.Usage);
            }
        }
        string outPath = parse.GetValue(_out)!;
        OutputPath.Check("--out", outPath);
        string? plot = parse.GetValue(_plot);
        if (plot is not null)
        {
            if (!string.Equals(Path.GetExtension(plot), ".png", StringComparison.OrdinalIgnoreCase))
                throw new CommandInputException($"--plot writes a PNG picture: give a path ending in .png, got '{plot}'.");
            OutputPath.Check("--plot", plot);
        }
        string state = parse.GetValue(_state)!;
        if (string.IsNullOrWhiteSpace(state)) throw new CommandInputException("--state needs a folder path, got an empty one.");
        var data = parse.GetValue(_data);
        if (data is not null && Directory.Exists(data)) _csvLimits.RefuseFor(parse, $"--data '{data}', a folder of IDX files");
        var train = new TrainSettings(
            DataPath: data,
            TargetColumn: parse.GetValue(_target),
            DropColumns: parse.GetValue(_drop) is { } drop ? TrainOptions.ParseColumns("--drop", drop) : [],
            Model: model ?? ModelKind.Mlp,
            Task: TrainChoices.Task.Parse("--task", parse.GetValue(_task)!),
            Hidden: [.. TrainOptions.DefaultHidden.Split(',').Select(width => int.Parse(width, invariant))],
            Activation: Activation.Relu,
            Optimizer: OptimizerKind.Adam,
            LearningRate: TrainOptions.DefaultLearningRate,
            BatchSize: TrainOptions.DefaultBatchSize,
            Epochs: epochs,
            TestSplit: testSplit,
            Impute: TrainChoices.Impute.Parse("--impute", parse.GetValue(_impute)!),
            Alpha: TrainOptions.DefaultAlpha,
            Seed: parse.GetValue(_seed),
            OutPath: outPath,
            PlotPath: null,
            CheckpointDirectory: null,
            Resume: false,
            Json: false,
            Quiet: true,
            CsvLimits: _csvLimits.Read(parse))
        {
            MemoryLimit = parse.GetValue(_memoryLimit)!,
        };
        string? runLog = _runLog.Read(parse, outPath, TuneRunLog.DefaultNameEnd, DateTimeOffset.Now);
        return new TuneSettings(train, model, search, trials, parse.GetValue(_timeBudget), folds,
            parse.GetValue(_metric) is { } metric ? TuneMetric.Parse(metric) : null, space, ReadParallel(parse.GetValue(_parallel)),
            state, parse.GetValue(_resume), plot, parse.GetValue(_json), parse.GetValue(_quiet))
        {
            RunLogDirectory = runLog,
            Dashboard = _dashboard.Read(parse, runLog),
        };
    }

    /// <summary>The number of trials at once, or null for auto.</summary>
    private static int? ReadParallel(string? text)
    {
        if (text is null || string.Equals(text.Trim(), "auto", StringComparison.OrdinalIgnoreCase)) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int parallel) && parallel is >= 1 and <= 256) return parallel;
        throw new CommandInputException($"--parallel must be auto or a whole number of trials from 1 to 256, got '{text}'.");
    }
}
