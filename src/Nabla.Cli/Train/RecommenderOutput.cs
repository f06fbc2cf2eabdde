using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Nabla.Data;
using Nabla.Estimators;

namespace Nabla.Cli;

/// <summary>
/// How <c>nabla train --model mf</c> shows itself: the data and model lines, a line per epoch, and the held-out scores beside the
/// popularity ranking's; only the scores with <c>--quiet</c>; one JSON object and nothing else with <c>--json</c>.
/// </summary>
internal sealed class RecommenderOutput(TrainSettings settings, RecommenderSettings recommender)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Where the values of the summary lines start, so that they line up.</summary>
    private const int Column = 17;

    private readonly TextWriter _out = TerminalWriter.Out;
    private readonly JsonArray _history = [];
    private readonly Stopwatch _epochClock = new();
    private RatingsData? _data;
    private TrainTestSplit? _split;

    private bool ShowsProgress => !settings.Quiet && !settings.Json;

    /// <summary>What the solver's loss curve holds, per epoch: the training RMSE of ratings, the weighted loss of implicit ALS, BPR's loss.</summary>
    public static string LossName(RecommenderSettings recommender) =>
        !recommender.Implicit ? "training RMSE" : recommender.Solver == RecommenderSolver.Bpr ? "BPR loss" : "weighted loss";

    /// <summary>Says what is about to be trained on: the interactions, their users and items, and the split.</summary>
    public void WriteData(RatingsData data, TrainTestSplit split)
    {
        (_data, _split) = (data, split);
        if (!ShowsProgress) return;
        int users = data.Users.Distinct().Count(), items = data.Items.Distinct().Count();
        string what = recommender.Implicit ? "interactions" : "ratings";
        string values = recommender.Implicit
            ? recommender.RatingColumn is { } strength ? $"implicit feedback, strength {strength}" : "implicit feedback, each row once"
            : string.Create(Invariant, $"ratings {data.Values.Min():G6} to {data.Values.Max():G6} ({recommender.RatingColumn})");
        double density = (double)data.Users.Length / users / items;
        _out.WriteLine(string.Create(Invariant, $"Data:      {data.Name}, {data.Users.Length:N0} {what} of {users:N0} users × {items:N0} items (density {density:P2}), {values}"));
        if (data.Repeats > 0)
            _out.WriteLine(string.Create(Invariant,
                $"           {data.Repeats:N0} rows repeated an earlier (user, item) pair: {(recommender.Implicit ? "their strengths were added up" : "the last rating of each was kept")}"));
        _out.WriteLine(string.Create(Invariant, $"           {split.Train.Count:N0} train, {split.Test.Count:N0} test ({SplitText()})"));
        _out.WriteLine(string.Create(Invariant, $"Model:     mf, {recommender.Factors} factors{(recommender.Implicit && recommender.Solver == RecommenderSolver.Als ? "" : " + biases")}, {(recommender.Implicit ? "implicit feedback" : "explicit ratings")}"));
        _out.WriteLine($"Solver:    {SolverText()}");
        _out.WriteLine();
        _out.Flush();
    }

    /// <summary>Runs the fit, timing each epoch for its line.</summary>
    public IRecommender Fitting(Func<IRecommender> fit)
    {
        _epochClock.Restart();
        return fit();
    }

    /// <summary>Shows one epoch's loss (a line, or an entry of the JSON's history).</summary>
    public void WriteEpoch(int epoch, double loss)
    {
        double seconds = _epochClock.Elapsed.TotalSeconds;
        _epochClock.Restart();
        _history.Add(new JsonObject { ["epoch"] = epoch, ["loss"] = double.IsFinite(loss) ? loss : null, ["seconds"] = Math.Round(seconds, 4) });
        if (!ShowsProgress) return;
        int width = settings.Epochs.ToString(Invariant).Length;
        _out.WriteLine(string.Create(Invariant, $"Epoch {epoch.ToString(Invariant).PadLeft(width)}/{settings.Epochs}  {LossName(recommender)} {loss:F4}  {seconds:F2} s"));
        _out.Flush();
    }

    /// <summary>Writes the result: the held-out scores beside the popularity ranking's, the time and the files; or the JSON object.</summary>
    public void WriteResult(IRecommender model, RecommenderScores scores, TimeSpan time, string modelPath, string? plotPath, long parameters)
    {
        if (settings.Json)
        {
            Console.Out.WriteLine(Json(model, scores, time, modelPath, plotPath, parameters).ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            return;
        }
        if (ShowsProgress) _out.WriteLine();
        if (scores.Rmse is { } rmse) _out.WriteLine($"{"Test RMSE:".PadRight(Column)}{ModelText.Metric(rmse)}");
        if (scores.Mae is { } mae) _out.WriteLine($"{"Test MAE:".PadRight(Column)}{ModelText.Metric(mae)}");
        if (scores.ColdRows > 0)
            _out.WriteLine(string.Create(Invariant,
                $"                 ({scores.ColdRows:N0} of the {scores.TestRows:N0} test rows have a user or item not seen in training: {(model.IsImplicit ? "they rank by popularity" : "their ratings come from the biases")})"));
        if (scores.Ranking is { } ranking)
        {
            _out.WriteLine($"{"".PadRight(Column)}{"model",-10}popularity");
            var baseline = scores.Popularity is { } popular ? RecommenderEvaluation.Named(popular).ToArray() : null;
            string[] labels = ["Precision", "Recall", "MAP", "NDCG", "Hit rate", "Coverage"];
            var named = RecommenderEvaluation.Named(ranking).ToArray();
            for (int m = 0; m < named.Length; m++)
                _out.WriteLine($"{$"{labels[m]}@{ranking.K}:".PadRight(Column)}{ModelText.Metric(named[m].Value),-10}{(baseline is null ? "" : ModelText.Metric(baseline[m].Value))}");
            string relevant = scores.RelevantFrom is { } from ? string.Create(Invariant, $"held-out ratings of {from:G6} or more") : "every held-out interaction";
            _out.WriteLine(string.Create(Invariant, $"                 (the top {ranking.K} of {ranking.Users:N0} users, their training items left out; relevant: {relevant})"));
        }
        else
        {
            _out.WriteLine("Ranking:         not scored: no held-out user seen in training has a relevant held-out item.");
        }
        _out.WriteLine(string.Create(Invariant, $"{"Training time:".PadRight(Column)}{time.TotalSeconds:F2} s"));
        _out.WriteLine($"Model saved to:  {modelPath}");
        if (plotPath is not null) _out.WriteLine($"Plot saved to:   {plotPath}");
    }

    private JsonObject Json(IRecommender model, RecommenderScores scores, TimeSpan time, string modelPath, string? plotPath, long parameters)
    {
        var data = _data!;
        var test = new JsonObject();
        foreach (var (key, value) in scores.ByKey.Where(pair => !pair.Key.StartsWith("popularity_", StringComparison.Ordinal)))
            test[key] = value;
        var popularity = new JsonObject();
        if (scores.Popularity is { } popular)
            foreach (var (name, value) in RecommenderEvaluation.Named(popular)) popularity[name] = value;
        return new JsonObject
        {
            ["command"] = "train",
            ["data"] = new JsonObject
            {
                ["name"] = data.Name,
                ["rows"] = data.Rows,
                ["pairs"] = data.Users.Length,
                ["repeatedPairs"] = data.Repeats,
                ["users"] = model.NUsers,
                ["items"] = model.NItems,
                ["trainRows"] = _split!.Train.Count,
                ["testRows"] = _split.Test.Count,
                ["coldTestRows"] = scores.ColdRows,
            },
            ["model"] = new JsonObject { ["kind"] = "mf", ["feedback"] = recommender.Implicit ? "implicit" : "explicit", ["factors"] = recommender.Factors, ["parameters"] = parameters },
            ["settings"] = new JsonObject
            {
                ["user"] = recommender.UserColumn,
                ["item"] = recommender.ItemColumn,
                ["rating"] = recommender.RatingColumn,
                ["timestamp"] = recommender.TimestampColumn,
                ["solver"] = RecommenderOptions.Choices.WordOf(recommender.Solver),
                ["alpha"] = settings.Alpha,
                ["confidence"] = recommender.Implicit && recommender.Solver == RecommenderSolver.Als ? recommender.Confidence : null,
                ["learningRate"] = settings.LearningRate,
                ["batchSize"] = settings.BatchSize,
                ["epochs"] = settings.Epochs,
                ["split"] = RecommenderOptions.Splits.WordOf(recommender.Split),
                ["testSplit"] = recommender.Split == RecommenderSplit.User ? null : settings.TestSplit,
                ["seed"] = settings.Seed,
                ["k"] = RecommenderSettings.TopK,
                ["relevantFrom"] = scores.RelevantFrom,
            },
            ["history"] = _history,
            ["test"] = test,
            ["baseline"] = new JsonObject { ["popularity"] = popularity },
            ["rankedUsers"] = scores.Ranking?.Users ?? 0,
            ["modelPath"] = modelPath,
            ["plotPath"] = plotPath,
            ["seconds"] = Math.Round(time.TotalSeconds, 3),
        };
    }

    private string SplitText() => recommender.Split switch
    {
        RecommenderSplit.User => string.Create(Invariant, $"one interaction of every user with more than one held out, seed {settings.Seed}"),
        RecommenderSplit.Time => string.Create(Invariant, $"the latest {settings.TestSplit:P0} by {recommender.TimestampColumn}"),
        _ => string.Create(Invariant, $"random, seed {settings.Seed}"),
    };

    private string SolverText()
    {
        string solver = RecommenderOptions.Choices.WordOf(recommender.Solver);
        string epochs = string.Create(Invariant, $"{settings.Epochs} {(recommender.Solver == RecommenderSolver.Als ? "alternations" : "epochs")}");
        return recommender.Solver switch
        {
            RecommenderSolver.Als when recommender.Implicit => string.Create(Invariant, $"{solver} (weighted, confidence 1 + {recommender.Confidence:G6}·r), alpha {settings.Alpha:G6}, {epochs}"),
            RecommenderSolver.Als => string.Create(Invariant, $"{solver}, alpha {settings.Alpha:G6}, {epochs}"),
            RecommenderSolver.Adam => string.Create(Invariant, $"{solver}, lr {recommender.LearningRate:G6}, batch {recommender.BatchSize}, alpha {settings.Alpha:G6}, {epochs}"),
            _ => string.Create(Invariant, $"{solver}, lr {recommender.LearningRate:G6}, alpha {settings.Alpha:G6}, {epochs}"),
        };
    }
}
