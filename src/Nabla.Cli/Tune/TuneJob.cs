using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Distributed;
using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>
/// The work of <c>nabla tune</c>: load and split the data as <c>nabla train</c> does; search each model's settings, every
/// trial scored by cross-validation on the training rows alone; then refit the best settings on all the training rows
/// (exactly as <c>nabla train</c> with them would), and score that one model, once, on the test rows.
/// </summary>
internal static class TuneJob
{
    /// <summary>Steps of a network's learning curve before the pruner may stop it: the first epochs say little.</summary>
    private const int PrunerWarmupEpochs = 3;

    /// <summary>Cells of training data up to which trials are small enough to run several at once.</summary>
    private const long SmallTrialCells = 2_000_000;

    /// <summary>The most combinations a grid may have without <c>--trials</c> allowing more.</summary>
    private const int MostGridTrials = 1000;

    /// <summary>Runs the search and the refit, showing them through <paramref name="output"/>.</summary>
    /// <exception cref="CommandInputException">The options do not fit the data, the saved search cannot be resumed, or no trial completed.</exception>
    /// <exception cref="InvalidDataException">The data file is malformed.</exception>
    public static TuneResult Run(TuneSettings settings, TuneOutput output)
    {
        var data = TrainingData.Load(settings.Base);
        var metric = settings.Metric ?? TuneMetric.DefaultFor(data.Task);
        metric.RequireFits(data);
        if (settings.Model is { } model)
        {
            ModelFactory.RequireTaskFits(model, data);
            if (model == ModelKind.Cnn && data.ImageShape is null)
                throw new CommandInputException($"--model cnn needs images (a folder of IDX files, or the built-in digits), but the rows of {data.Name} are plain features; use --model mlp or auto.");
        }
        var families = TuneFamily.For(settings, data);
        if (settings.Search == SearchKind.Grid) RequireGridFits(settings, families);
        int parallel = settings.Parallel ?? (data.XTrain.Length <= SmallTrialCells && settings.Model != ModelKind.Cnn ? Math.Min(Environment.ProcessorCount, 4) : 1);
        var folds = Folds(settings, data);
        var state = TuneStateFolder.Open(settings, families, Fingerprint(settings, metric, families, parallel));
        using var log = TuneRunLog.Begin(settings, data, metric, families, parallel);
        using var dashboard = log is null ? null : DashboardLaunch.StartLive(settings.Dashboard, settings.RunLogDirectory!, settings.Json);
        output.WriteHeader(data, metric, families, parallel, folds[0].Train.Length + folds[0].Test.Length);

        var trials = new List<TunedTrial>();
        var results = new List<(TuneFamily Family, SearchResult Result)>();
        var clock = Stopwatch.StartNew();
        var activity = new TrialActivity();
        bool finished = true, interrupted = false;
        try
        {
            using (var stop = new SearchStop(settings.TimeBudget))
            {
                output.Follow(metric, () =>
                {
                    for (int i = 0; i < families.Count && finished; i++)
                    {
                        var family = families[i];
                        using var familyStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Search);
                        // Each model gets its share of the time that is left; what a quick one leaves goes to those after it.
                        if (stop.Remaining is { } left && family.TimeWeight > 0)
                            familyStop.CancelAfter(left * (family.TimeWeight / families.Skip(i).Sum(f => f.TimeWeight)));
                        var objective = new TuneObjective(settings, family, data, folds, metric, stop.Trials, activity);
                        // Trials are numbered across the searches: a search's own numbers follow those of the searches before it.
                        int first = trials.Count;
                        var search = Search(settings, family, parallel, metric.Direction, state.SearchFile(family), record =>
                        {
                            var trial = new TunedTrial(family, record, first + record.Number);
                            trials.Add(trial);
                            // Logged before it is shown: a search killed now keeps it.
                            log?.Trial(trial);
                            output.TrialEnded(trial);
                        });
                        SearchResult result;
                        try
                        {
                            result = search.Run(family.Space, objective.Run, familyStop.Token);
                        }
                        catch (InvalidDataException e)
                        {
                            throw new CommandInputException($"--resume: {e.Message}; run without --resume to start afresh.");
                        }
                        results.Add((family, result));
                        finished = result.IsFinished || !stop.Search.IsCancellationRequested;
                    }
                });
                interrupted = stop.Interrupted;
            }
            var searchTime = clock.Elapsed;

            var (best, top) = Best(settings, results, trials) ?? throw NoTrialCompleted(trials, interrupted);
            var bestSettings = TuneObjective.SettingsFor(settings, best.Family, best.Record.Parameters, best.Record.Budget);
            output.WriteRefitting(best, data);
            var refit = TrainJob.Run(bestSettings, data, new TrainOutput(bestSettings with { Quiet = true, Json = false }), new SingleProcessCommunicator())!;
            string? plot = settings.PlotPath is { } path ? TrialsPlot.Write(path, trials, metric, data.Name) : null;
            log?.End(settings, finished, interrupted);
            return new TuneResult
            {
                Settings = settings,
                Data = data,
                Metric = metric,
                Families = families,
                Parallel = parallel,
                Trials = trials,
                Best = best,
                Top = top,
                BestSettings = bestSettings,
                TrainCommand = TrainCommandLine.For(settings, best),
                Refit = refit,
                SearchTime = searchTime,
                TrialTime = activity.Any,
                SummedTrialTime = activity.Summed,
                Finished = finished,
                Interrupted = interrupted,
                PlotPath = plot,
                RunLogPath = log?.Path,
            };
        }
        catch (Exception e)
        {
            log?.Fail(e, interrupted);
            throw;
        }
    }

    /// <summary>The full budget of a family's trials: <c>--epochs</c> for a network, all the rows for a linear model.</summary>
    public static int MaxBudget(TuneSettings settings, TuneFamily family) => family.IsNetwork ? settings.Base.Epochs : TuneObjective.FullRowShare;

    private static HyperparameterSearch Search(TuneSettings settings, TuneFamily family, int parallel, SearchDirection direction, string statePath, Action<TrialRecord> trialEnded)
    {
        int maxBudget = MaxBudget(settings, family);
        // Halving's first rung: a ninth of the budget, so that three rungs of η = 3 reach it.
        int minBudget = Math.Max(1, maxBudget / 9);
        var pruner = family.IsNetwork && family.Trials > 1 ? new MedianPruner { WarmupSteps = PrunerWarmupEpochs } : null;
        ulong seed = settings.Base.Seed;
        return settings.Search switch
        {
            SearchKind.Random => new RandomSearch(family.Trials) { Direction = direction, Seed = seed, DegreeOfParallelism = parallel, MaxBudget = maxBudget, Pruner = pruner, StatePath = statePath, TrialEnded = trialEnded },
            SearchKind.Tpe => new TpeSearch(family.Trials) { Direction = direction, Seed = seed, DegreeOfParallelism = parallel, MaxBudget = maxBudget, Pruner = pruner, StatePath = statePath, TrialEnded = trialEnded },
            SearchKind.Grid => new GridSearch { Direction = direction, Seed = seed, DegreeOfParallelism = parallel, MaxBudget = maxBudget, Pruner = pruner, StatePath = statePath, TrialEnded = trialEnded },
            SearchKind.Halving => new SuccessiveHalving { Candidates = family.Trials, MinBudget = minBudget, Direction = direction, Seed = seed, DegreeOfParallelism = parallel, MaxBudget = maxBudget, StatePath = statePath, TrialEnded = trialEnded },
            _ => new Hyperband { MinBudget = minBudget, Direction = direction, Seed = seed, DegreeOfParallelism = parallel, MaxBudget = maxBudget, StatePath = statePath, TrialEnded = trialEnded },
        };
    }

    /// <summary>
    /// The folds of the training rows, shuffled with <c>--seed</c>: stratified by class for classification, as scikit-learn's
    /// <c>cross_validate</c> does for a classifier.
    /// </summary>
    private static IReadOnlyList<Fold> Folds(TuneSettings settings, TrainingData data)
    {
        int rows = data.XTrain.Size(0);
        try
        {
            return data.Task == ModelTask.Classification
                ? new StratifiedKFold(settings.Folds, shuffle: true, randomState: settings.Base.Seed).Split(rows, data.YTrain.ToArray<int>())
                : new KFold(settings.Folds, shuffle: true, randomState: settings.Base.Seed).Split(rows);
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException($"--cv {settings.Folds}: the {rows} training rows of {data.Name} cannot be cut into {settings.Folds} folds: {ErrorHandling.MessageOf(e)}");
        }
    }

    /// <summary>
    /// The trial to refit: of each search's best, those with the full budget first (a score on fewer epochs or rows does not
    /// compare), then by score; but when several models were searched, the simplest model whose best is within one standard
    /// error of the top score (the one-standard-error rule, Hastie, Tibshirani and Friedman, The Elements of Statistical
    /// Learning, §7.10): the top of many noisy trials of a large space is partly luck, and a linear model within the noise of
    /// it tests as well on new rows and costs less. The standard error is the top trial's standard deviation over the folds
    /// over √K. Also returns the top-scoring trial, which differs from the chosen one when the rule chose a simpler model.
    /// </summary>
    private static (TunedTrial Chosen, TunedTrial Top)? Best(TuneSettings settings, IReadOnlyList<(TuneFamily Family, SearchResult Result)> results, IReadOnlyList<TunedTrial> trials)
    {
        var candidates = results.Where(r => r.Result.Best is not null).Select(r => trials.Single(t => t.Family == r.Family && t.Record == r.Result.Best)).ToList();
        if (candidates.Count == 0) return null;
        var ranked = BestFirst(settings, candidates, results[0].Result.Direction).ToList();
        var top = ranked[0];
        int sign = results[0].Result.Direction == SearchDirection.Maximize ? -1 : 1;
        double standardError = (top.Record.Std ?? 0) / Math.Sqrt(settings.Folds);
        var chosen = ranked
            .Where(trial => trial.Record.Budget == top.Record.Budget && -sign * (top.Record.Score!.Value - trial.Record.Score!.Value) <= standardError)
            .OrderBy(trial => trial.Family.IsNetwork)
            .First();
        return (chosen, top);
    }

    /// <summary>
    /// Completed trials, best first: those with their search's full budget before the others (a score on fewer epochs or
    /// rows does not compare), then by score in <paramref name="direction"/>; trials that tie keep their order.
    /// </summary>
    public static IEnumerable<TunedTrial> BestFirst(TuneSettings settings, IEnumerable<TunedTrial> complete, SearchDirection direction)
    {
        int sign = direction == SearchDirection.Maximize ? -1 : 1;
        return complete
            .OrderByDescending(trial => trial.Record.Budget >= MaxBudget(settings, trial.Family))
            .ThenBy(trial => sign * trial.Record.Score!.Value);
    }

    private static CommandInputException NoTrialCompleted(IReadOnlyList<TunedTrial> trials, bool interrupted)
    {
        if (trials.FirstOrDefault(trial => trial.Record.State == TrialState.Failed) is { } failed)
            return new CommandInputException($"no trial completed, so there is no model to save; trial {failed.Number} ({failed.Family.Name}: {failed.Record.Parameters}) failed: {failed.Record.Error}");
        return new CommandInputException(interrupted
            ? "the search was stopped before any trial completed, so there is no model to save; run it again with --resume to go on."
            : "no trial completed within the time budget, so there is no model to save; give a larger --time-budget, or fewer --cv folds or --epochs.");
    }

    /// <summary>Refuses a grid larger than <c>--trials</c> (or, without it, than <see cref="MostGridTrials"/>).</summary>
    private static void RequireGridFits(TuneSettings settings, IReadOnlyList<TuneFamily> families)
    {
        int most = settings.Trials ?? MostGridTrials;
        foreach (var family in families)
        {
            long size = new GridSearch().Combinations(family.Space);
            if (size > most)
                throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                    $"--search grid: the grid over {family.Name}'s space has {size:N0} combinations (5 points a range: {string.Join(", ", family.Space.Parameters.Select(p => p.Key))}), more than {(settings.Trials is null ? $"{MostGridTrials:N0}" : $"--trials {most}")}; narrow it with --space (a fixed value such as dropout=0 counts once), raise --trials, or use --search tpe."), ExitCodes.Usage);
        }
    }

    /// <summary>What decides what the trials measure, as the state folder records it for <c>--resume</c>.</summary>
    private static Dictionary<string, string> Fingerprint(TuneSettings settings, TuneMetric metric, IReadOnlyList<TuneFamily> families, int parallel)
    {
        var train = settings.Base;
        string data = train.DataPath is { } path ? Path.GetFullPath(path) : $"built-in {TrainingData.BuiltInName}";
        string size = train.DataPath is { } file && File.Exists(file) ? new FileInfo(file).Length.ToString(CultureInfo.InvariantCulture) : "";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["data"] = data,
            ["data_bytes"] = size,
            ["target"] = train.TargetColumn ?? "",
            ["drop"] = string.Join(',', train.DropColumns),
            ["task"] = TrainChoices.Task.WordOf(train.Task),
            ["test_split"] = train.TestSplit.ToString("R", CultureInfo.InvariantCulture),
            ["impute"] = TrainChoices.Impute.WordOf(train.Impute),
            ["seed"] = train.Seed.ToString(CultureInfo.InvariantCulture),
            ["cv"] = settings.Folds.ToString(CultureInfo.InvariantCulture),
            ["metric"] = metric.Key,
            ["epochs"] = train.Epochs.ToString(CultureInfo.InvariantCulture),
            ["search"] = TuneChoices.Search.WordOf(settings.Search),
            ["model"] = TuneChoices.Model.WordOf(settings.Model),
            ["space"] = settings.Space?.ToString() ?? "",
            ["trials"] = string.Join(',', families.Select(family => $"{family.Name}:{family.Trials}")),
            // Trials in a batch see only earlier batches, so how many run at once changes which settings are tried.
            ["parallel"] = parallel.ToString(CultureInfo.InvariantCulture),
        };
    }
}
