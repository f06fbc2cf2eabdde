using System.Diagnostics;
using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Models;

namespace Nabla.Cli;

/// <summary>
/// The work of <c>nabla train --model mf</c>: read the ratings (or interactions), hold out the test ones, fit the library's
/// <see cref="MatrixFactorization"/> or <see cref="ImplicitMatrixFactorization"/> with a line per epoch, score the held-out part
/// (RMSE and MAE of explicit ratings; precision, recall, MAP, NDCG and hit rate at 10 beside the popularity ranking) and write
/// the model file, with the id maps, and the plot.
/// </summary>
internal static class RecommenderJob
{
    /// <summary>Runs the whole job, showing its progress and result.</summary>
    /// <exception cref="CommandInputException">The data cannot be split as asked.</exception>
    /// <exception cref="InvalidDataException">The data file is malformed.</exception>
    public static void Run(TrainSettings settings, RecommenderSettings recommender)
    {
        var output = new RecommenderOutput(settings, recommender);
        var data = RatingsData.Load(settings, recommender);
        RequireMemory(settings, recommender, data);
        var split = Split(data, settings, recommender);
        int[] trainUsers = Pick(data.Users, split.Train), trainItems = Pick(data.Items, split.Train);
        double[] trainValues = Pick(data.Values, split.Train);
        output.WriteData(data, split);

        var clock = Stopwatch.StartNew();
        IRecommender model = Fit(settings, recommender, trainUsers, trainItems, trainValues, output);
        var trainingTime = clock.Elapsed;

        int[] testUsers = Pick(data.Users, split.Test), testItems = Pick(data.Items, split.Test);
        double[] testValues = Pick(data.Values, split.Test);
        var scores = Score(model, recommender, trainUsers, trainItems, testUsers, testItems, testValues);

        string modelPath = Path.GetFullPath(settings.OutPath);
        var summary = Summary(settings, recommender, data, split, trainingTime);
        string preprocessing = data.Preprocessor.ToJson();
        var file = model switch
        {
            MatrixFactorization explicitModel => new ModelFile(explicitModel, preprocessing, scores.ByKey, summary),
            ImplicitMatrixFactorization implicitModel => new ModelFile(implicitModel, preprocessing, scores.ByKey, summary),
            _ => throw new InvalidOperationException($"nabla train: no model file for a {model.GetType().Name}."),
        };
        file.Save(modelPath);
        string? plotPath = null;
        if (settings.PlotPath is { } plot)
            plotPath = LossCurvePlot.WriteCurve(plot, model.LossCurve, $"mf on {data.Name}", RecommenderOutput.LossName(recommender));
        output.WriteResult(model, scores, trainingTime, modelPath, plotPath, file.ParameterCount);
    }

    /// <summary>
    /// Refuses, before they are allocated, factor tables larger than <c>--memory-limit</c>: (users + items) rows of k factors and a
    /// bias, twice over (the model and the copy its file is written from), four times with adam (its gradient and two moments).
    /// </summary>
    /// <exception cref="CommandInputException">The tables would take more than the limit (exit code 2: the options ask for it).</exception>
    private static void RequireMemory(TrainSettings settings, RecommenderSettings recommender, RatingsData data)
    {
        int users = data.Users.Distinct().Count(), items = data.Items.Distinct().Count();
        int copies = recommender.Solver == RecommenderSolver.Adam ? 4 : 2;
        double bytes = (double)(users + items) * (recommender.Factors + 1.0) * sizeof(double) * copies;
        if (bytes > settings.MemoryLimit.Bytes)
            throw new CommandInputException(string.Create(CultureInfo.InvariantCulture,
                $"--factors {recommender.Factors}: {users:N0} users and {items:N0} items with that many factors each take {bytes / 1048576.0:N0} MB to train, more than the limit of {settings.MemoryLimit}; lower --factors, or raise --memory-limit."), ExitCodes.Usage);
    }

    /// <summary>The held-out interactions as <c>--split</c> asks; a split the data cannot give is the user's to fix.</summary>
    private static TrainTestSplit Split(RatingsData data, TrainSettings settings, RecommenderSettings recommender)
    {
        if (data.Users.Length < 2)
            throw new CommandInputException($"--data '{settings.DataPath}': it holds one (user, item) pair; a model needs some to learn from and some to test on.");
        try
        {
            return recommender.Split switch
            {
                RecommenderSplit.User => InteractionSplits.LeaveKOutPerUser(data.Users, 1, settings.Seed),
                RecommenderSplit.Time => InteractionSplits.ByTime(data.Times!, SplitSize.OfFraction(settings.TestSplit)),
                _ => TrainTestSplit.Create(data.Users.Length, SplitSize.OfFraction(settings.TestSplit), randomState: settings.Seed),
            };
        }
        catch (ArgumentException e)
        {
            throw new CommandInputException($"--split {RecommenderOptions.Splits.WordOf(recommender.Split)} on '{settings.DataPath}': {ErrorHandling.MessageOf(e)}");
        }
    }

    private static IRecommender Fit(TrainSettings settings, RecommenderSettings recommender, int[] users, int[] items, double[] values, RecommenderOutput output)
    {
        if (recommender.Implicit)
        {
            var implicitModel = new ImplicitMatrixFactorization(recommender.Factors, settings.Alpha, recommender.Confidence, settings.Epochs,
                recommender.Solver == RecommenderSolver.Bpr ? ImplicitSolver.Bpr : ImplicitSolver.Als, recommender.LearningRate, randomState: settings.Seed);
            implicitModel.EpochEnded += output.WriteEpoch;
            return output.Fitting(() => implicitModel.Fit(users, items, values));
        }
        var solver = recommender.Solver switch
        {
            RecommenderSolver.Sgd => MatrixFactorizationSolver.Sgd,
            RecommenderSolver.Adam => MatrixFactorizationSolver.Adam,
            _ => MatrixFactorizationSolver.Als,
        };
        var explicitModel = new MatrixFactorization(recommender.Factors, settings.Alpha, recommender.LearningRate, settings.Epochs, solver,
            randomState: settings.Seed, batchSize: recommender.BatchSize);
        explicitModel.EpochEnded += output.WriteEpoch;
        return output.Fitting(() => explicitModel.Fit(users, items, values));
    }

    /// <summary>
    /// The held-out scores: for explicit ratings, RMSE and MAE over every test rating, and the ranking scored with the test
    /// ratings in the top quarter of the training scale as the relevant items (4 and 5 on a 1–5 scale); for implicit feedback,
    /// the ranking with every held-out interaction relevant. The popularity ranking is scored the same way beside the model.
    /// </summary>
    private static RecommenderScores Score(IRecommender model, RecommenderSettings recommender, int[] trainUsers, int[] trainItems,
        int[] testUsers, int[] testItems, double[] testValues)
    {
        int k = RecommenderSettings.TopK;
        (double Rmse, double Mae)? errors = null;
        bool[]? relevant = null;
        double? threshold = null;
        if (model is MatrixFactorization ratings)
        {
            errors = RecommenderEvaluation.Errors(model, testUsers, testItems, testValues);
            threshold = RecommenderEvaluation.RelevantFrom(ratings);
            relevant = [.. testValues.Select(value => value >= threshold.Value)];
        }
        else if (recommender.RatingColumn is not null)
        {
            // An interaction of strength 0 was recorded but not chosen.
            relevant = [.. testValues.Select(value => value > 0)];
        }
        int coldRows = Enumerable.Range(0, testUsers.Length).Count(n => !model.IsKnownUser(testUsers[n]) || !model.IsKnownItem(testItems[n]));
        var ranking = RecommenderEvaluation.Ranking(model, testUsers, testItems, k, relevant);
        var popularity = RecommenderEvaluation.Ranking(new PopularityRanking(trainUsers, trainItems), model.NItems, testUsers, testItems, k, relevant);
        return new RecommenderScores(errors?.Rmse, errors?.Mae, ranking, popularity, threshold, coldRows, testUsers.Length);
    }

    /// <summary>What the model file records about how the model was trained.</summary>
    private static Dictionary<string, string> Summary(TrainSettings settings, RecommenderSettings recommender, RatingsData data, TrainTestSplit split, TimeSpan time)
    {
        var summary = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["model"] = "mf",
            ["seed"] = Text(settings.Seed),
            ["data"] = Path.GetFullPath(settings.DataPath!),
            ["user"] = recommender.UserColumn,
            ["item"] = recommender.ItemColumn,
            ["feedback"] = recommender.Implicit ? "implicit" : "explicit",
            ["solver"] = RecommenderOptions.Choices.WordOf(recommender.Solver),
            ["factors"] = Text(recommender.Factors),
            ["alpha"] = Text(settings.Alpha),
            ["epochs"] = Text(settings.Epochs),
            ["split"] = RecommenderOptions.Splits.WordOf(recommender.Split),
            ["train_samples"] = Text(split.Train.Count),
            ["test_samples"] = Text(split.Test.Count),
            ["seconds"] = Text(Math.Round(time.TotalSeconds, 3)),
        };
        if (recommender.RatingColumn is { } rating) summary["rating"] = rating;
        if (recommender.TimestampColumn is { } timestamp) summary["timestamp"] = timestamp;
        if (recommender.Solver != RecommenderSolver.Als) summary["learning_rate"] = Text(recommender.LearningRate);
        if (recommender.Solver == RecommenderSolver.Adam) summary["batch_size"] = Text(recommender.BatchSize);
        if (recommender.Implicit && recommender.Solver == RecommenderSolver.Als) summary["confidence"] = Text(recommender.Confidence);
        if (data.Repeats > 0) summary["repeated_pairs"] = Text(data.Repeats);
        return summary;
    }

    private static T[] Pick<T>(T[] values, IReadOnlyList<int> rows)
    {
        var picked = new T[rows.Count];
        for (int n = 0; n < picked.Length; n++) picked[n] = values[rows[n]];
        return picked;
    }

    private static string Text(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
