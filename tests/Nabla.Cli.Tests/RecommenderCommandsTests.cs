using System.Globalization;
using System.Text;
using System.Text.Json;
using Nabla.Tests;

namespace Nabla.Cli.Tests;

/// <summary>
/// Recommenders as a user runs them, each step a separate <c>nabla</c> process: <c>train --model mf</c> on the shipped ratings
/// (explicit and implicit, every split), then <c>info</c>, <c>recommend</c>, <c>similar</c>, <c>predict</c> and <c>evaluate</c>,
/// which must agree with one another; ids that are text; and every bad input refused with one line naming what and where.
/// </summary>
public sealed class RecommenderCommandsTests : TemporaryFolder
{
    private static readonly string Ratings = Path.Combine(RepositoryLayout.Root, "examples", "data", "ratings.csv");

    private static ProgramRun Nabla(params string[] args) => ProgramRun.Start(RepositoryLayout.CliAssembly, args);

    private string[] TrainArgs(string data, params string[] more) =>
        ["train", "--model", "mf", "--data", data, "--user", "user", "--item", "item", "--out", PathOf("mf.safetensors"), .. more];

    private string Write(string name, string contents) => WriteBytes(name, Encoding.UTF8.GetBytes(contents));

    private static void Succeeded(ProgramRun run) => Assert.True(run.ExitCode == 0, run.ToString());

    /// <summary>Runs a command that must fail with exit code 1 and one line on standard error holding <paramref name="expected"/>.</summary>
    private static void Refused(ProgramRun run, string expected)
    {
        Assert.True(run.ExitCode == 1, run.ToString());
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains(expected, line);
    }

    [Fact]
    public void ExplicitRatings_TrainInfoRecommendPredictEvaluate_Agree()
    {
        string model = PathOf("mf.safetensors");
        var train = Nabla(TrainArgs(Ratings, "--rating", "rating", "--json"));
        Succeeded(train);
        using var trained = JsonDocument.Parse(train.StandardOutput);
        var test = trained.RootElement.GetProperty("test");
        // The file was drawn with rating noise 0.5 (SyntheticRatings, seed 17): a model that recovered the low-rank part
        // is near it (measured: 0.59); predicting every rating by the mean would be off by about 0.8.
        Assert.InRange(test.GetProperty("rmse").GetDouble(), 0.5, 0.65);
        double ndcg = test.GetProperty("ndcg_at_10").GetDouble();
        double popular = trained.RootElement.GetProperty("baseline").GetProperty("popularity").GetProperty("ndcg_at_10").GetDouble();
        Assert.True(ndcg > popular, $"NDCG@10 {ndcg} should beat the popularity ranking's {popular}");
        Assert.Equal(30_000, trained.RootElement.GetProperty("data").GetProperty("pairs").GetInt32());
        // Measured: 0.41 against the popularity ranking's 0.20.
        Assert.True(ndcg > 1.5 * popular, $"NDCG@10 {ndcg} should be well above the popularity ranking's {popular}");
        Assert.Equal(15, trained.RootElement.GetProperty("history").GetArrayLength());   // als's default alternations

        var info = Nabla("info", model);
        Succeeded(info);
        Assert.Contains("matrix_factorization", info.StandardOutput);

        var recommend = Nabla("recommend", "--model", model, "--user", "7", "--top", "5", "--json");
        Succeeded(recommend);
        using var recommended = JsonDocument.Parse(recommend.StandardOutput);
        var user = Assert.Single(recommended.RootElement.GetProperty("users").EnumerateArray());
        Assert.Equal(7, user.GetProperty("user").GetInt32());
        Assert.False(user.GetProperty("coldStart").GetBoolean());
        var list = user.GetProperty("recommendations").EnumerateArray().Select(r => (Item: r.GetProperty("item").GetInt32(), Score: r.GetProperty("score").GetDouble())).ToArray();
        Assert.Equal(5, list.Length);
        Assert.Equal(5, list.Select(r => r.Item).Distinct().Count());
        Assert.Equal(list.Select(r => r.Score).OrderDescending(), list.Select(r => r.Score));
        Assert.All(list, r => Assert.InRange(r.Score, 1, 5));

        // predict on those (user, item) pairs gives the scores recommend ranked them by.
        string pairs = Write("pairs.csv", "user,item\n" + string.Concat(list.Select(r => $"7,{r.Item}\n")));
        var predict = Nabla("predict", "--model", model, "--data", pairs, "--json");
        Succeeded(predict);
        using var predicted = JsonDocument.Parse(predict.StandardOutput);
        double[] values = [.. predicted.RootElement.GetProperty("predictions").EnumerateArray().Select(v => v.GetDouble())];
        for (int n = 0; n < list.Length; n++) Assert.Equal(list[n].Score, values[n], 12);

        // A pair of an item never rated is predicted all the same, and said so.
        var unseen = Nabla("predict", "--model", model, "--data", Write("unseen.csv", "user,item\n7,3\n7,100000\n"));
        Succeeded(unseen);
        Assert.Equal(3, unseen.OutputLines.Length);
        Assert.Contains("unseen.csv: 1 of the 2 rows name an item not seen in training (the first: line 3, item 100000)", Assert.Single(unseen.ErrorLines));

        var evaluate = Nabla("evaluate", "--model", model, "--data", Ratings, "--json");
        Succeeded(evaluate);
        using var evaluated = JsonDocument.Parse(evaluate.StandardOutput);
        // On every rating, most of which it learnt from, the model does better than on the held-out fifth.
        var metrics = evaluated.RootElement.GetProperty("metrics");
        Assert.True(metrics.GetProperty("rmse").GetDouble() < test.GetProperty("rmse").GetDouble());
        Assert.InRange(metrics.GetProperty("ndcg_at_10").GetDouble(), 0, 1);

        var similar = Nabla("similar", "--model", model, "--item", list[0].Item.ToString(CultureInfo.InvariantCulture), "--top", "3");
        Succeeded(similar);
        Assert.Equal("rank,item,similarity", similar.OutputLines[0]);
        Assert.Equal(4, similar.OutputLines.Length);
        Assert.DoesNotContain(similar.OutputLines.Skip(1), line => line.Split(',')[1] == list[0].Item.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("als", "random")]
    [InlineData("bpr", "user")]
    public void ImplicitFeedback_RanksAbovePopularity(string solver, string split)
    {
        var train = Nabla(TrainArgs(Ratings, "--implicit", "--solver", solver, "--split", split, "--json"));
        Succeeded(train);
        using var trained = JsonDocument.Parse(train.StandardOutput);
        var test = trained.RootElement.GetProperty("test");
        Assert.False(test.TryGetProperty("rmse", out _));
        double ndcg = test.GetProperty("ndcg_at_10").GetDouble();
        double popular = trained.RootElement.GetProperty("baseline").GetProperty("popularity").GetProperty("ndcg_at_10").GetDouble();
        Assert.True(ndcg > popular, $"{solver}: NDCG@10 {ndcg} should beat the popularity ranking's {popular}");
    }

    [Fact]
    public void TextIds_ComeBackAsTheDataWroteThem_AndANewUserGetsTheColdStartList()
    {
        var rows = new StringBuilder("who,what,stars,when\n");
        var random = new Random(3);
        for (int u = 0; u < 40; u++)
            foreach (int i in Enumerable.Range(0, 12).OrderBy(_ => random.Next()).Take(6))
                rows.Append(CultureInfo.InvariantCulture, $"user-{u},\"film, part {i}\",{1 + (u + i) % 5},2024-01-{1 + (u * 7 + i) % 28:00}\n");
        string data = Write("films.csv", rows.ToString());
        string model = PathOf("films.safetensors");
        Succeeded(Nabla("train", "--model", "mf", "--data", data, "--user", "who", "--item", "what", "--rating", "stars", "--timestamp", "when", "--factors", "4", "--out", model, "--plot", PathOf("loss.png"), "--quiet"));
        Assert.True(new FileInfo(PathOf("loss.png")).Length > 1000);
        var info = Nabla("info", model);
        Succeeded(info);
        Assert.Contains("CSV columns who (user ids, 40 labels) and what (item ids, 12 labels), target 'stars'", info.StandardOutput);

        var recommend = Nabla("recommend", "--model", model, "--user", "user-3", "--top", "3", "--json");
        Succeeded(recommend);
        using var json = JsonDocument.Parse(recommend.StandardOutput);
        var user = json.RootElement.GetProperty("users")[0];
        Assert.Equal("user-3", user.GetProperty("user").GetString());
        Assert.All(user.GetProperty("recommendations").EnumerateArray(), r => Assert.StartsWith("film, part ", r.GetProperty("item").GetString()));

        var stranger = Nabla("recommend", "--model", model, "--user", "nobody", "--top", "3");
        Succeeded(stranger);
        Assert.Equal("user,rank,item,score,cold_start", stranger.OutputLines[0]);
        Assert.All(stranger.OutputLines.Skip(1), line => Assert.EndsWith(",true", line));
        Assert.Contains("\"film, part ", stranger.OutputLines[1]);
        Assert.Contains("user nobody was not seen in training", Assert.Single(stranger.ErrorLines));

        string users = Write("users.csv", "who\nuser-1\nuser-2\nnobody\n");
        var many = Nabla("recommend", "--model", model, "--users", users, "--top", "2");
        Succeeded(many);
        Assert.Equal(1 + 3 * 2, many.OutputLines.Length);

        var similar = Nabla("similar", "--model", model, "--item", "film, part 2", "--top", "20", "--json");
        Succeeded(similar);
        using var neighbours = JsonDocument.Parse(similar.StandardOutput);
        Assert.Equal(11, neighbours.RootElement.GetProperty("similar").GetArrayLength());
        Refused(Nabla("similar", "--model", model, "--item", "film, part 99"), "the item 'film, part 99' was not seen in training");
    }

    [Theory]
    [InlineData("user,item,rating\n", "bad.csv: there are no data rows after the header")]
    [InlineData("user,product,rating\n1,2,3\n", "line 1: there is no column 'item' (--item); the columns are user, product, rating")]
    [InlineData("user,item,rating\n1,2,3\n1,3,four\n", "line 3, column 'rating': \"four\" is not a number")]
    [InlineData("user,item,rating\n1,2,3\n1,3,\n", "line 3, column 'rating': the cell is missing")]
    [InlineData("user,item,rating\n1,2,3\n1.5,3,4\n", "line 3, column 'user': 1.5 is not a whole number id")]
    public void BadRatingsFile_IsOneLineNamingFileLineAndColumn(string contents, string expected)
    {
        string data = Write("bad.csv", contents);
        var run = Nabla(TrainArgs(data, "--rating", "rating"));
        Refused(run, expected);
        Assert.False(File.Exists(PathOf("mf.safetensors")));
    }

    [Theory]
    [InlineData(new[] { "--rating", "rating", "--solver", "bpr" }, "--solver bpr ranks implicit feedback")]
    [InlineData(new[] { "--implicit", "--solver", "adam" }, "--solver adam fits ratings")]
    [InlineData(new string[0], "--model mf needs --rating COLUMN")]
    [InlineData(new[] { "--rating", "rating", "--split", "time" }, "--split time needs --timestamp COLUMN")]
    [InlineData(new[] { "--rating", "rating", "--hidden", "8" }, "--hidden does not apply to --model mf")]
    [InlineData(new[] { "--rating", "rating", "--lr", "0.1" }, "--lr does not apply to --solver als")]
    [InlineData(new[] { "--rating", "rating", "--factors", "0" }, "--factors must be at least 1, got 0")]
    [InlineData(new[] { "--rating", "user" }, "must name different columns")]
    public void BadOptions_AreRefusedByName(string[] options, string expected) => Refused(Nabla(TrainArgs(Ratings, options)), expected);

    [Theory]
    [InlineData("2000000000", "--memory-limit", "1GB")]
    [InlineData("100000", "--memory-limit", "100MB")]
    public void FactorTablesPastTheMemoryLimit_AreRefusedBeforeTraining(string factors, string option, string limit)
    {
        var run = Nabla(TrainArgs(Ratings, "--rating", "rating", "--factors", factors, option, limit));
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"--factors {factors}: 300 users and 200 items with that many factors each take", Assert.Single(run.ErrorLines));
        Assert.Contains("more than the limit of", run.StandardError);
        Assert.False(File.Exists(PathOf("mf.safetensors")));
    }

    [Fact]
    public void RepeatedPairs_KeepTheLastRating_AndImplicitStrengthsAddUp()
    {
        var rows = new StringBuilder("user,item,rating\n");
        for (int u = 0; u < 30; u++)
            for (int i = 0; i < 10; i++)
                if ((u + i) % 3 != 0) rows.Append(CultureInfo.InvariantCulture, $"{u},{i},{1 + (u * i) % 5}\n");
        rows.Append("0,1,5\n0,1,1\n");
        string data = Write("repeats.csv", rows.ToString());
        var train = Nabla(TrainArgs(data, "--rating", "rating", "--json"));
        Succeeded(train);
        using var json = JsonDocument.Parse(train.StandardOutput);
        Assert.Equal(2, json.RootElement.GetProperty("data").GetProperty("repeatedPairs").GetInt32());

        Refused(Nabla(TrainArgs(Write("negative.csv", "user,item,plays\n1,2,3\n2,2,-1\n"), "--implicit", "--rating", "plays")),
            "line 3, column 'plays': -1 is negative");
    }

    [Fact]
    public void TimeSplit_ReadsIsoDates_AndRefusesABadOne()
    {
        string data = Write("dated.csv", "user,item,rating,ts\n1,2,3,2024-01-01\n1,3,4,2024-01-02\n2,2,5,yesterday\n");
        Refused(Nabla(TrainArgs(data, "--rating", "rating", "--timestamp", "ts")), "line 4, column 'ts': \"yesterday\" is not a time");
    }

    [Fact]
    public void Recommend_RefusesWhatItCannotAnswer()
    {
        string model = PathOf("mf.safetensors");
        Succeeded(Nabla(TrainArgs(Ratings, "--rating", "rating", "--epochs", "2", "--quiet")));
        Refused(Nabla("recommend", "--model", model, "--user", "ann"), "'ann' is not a user id; the users of");
        Refused(Nabla("recommend", "--model", model, "--user", "1", "--top", "0"), "--top must be at least 1, got 0");
        Refused(Nabla("similar", "--model", model, "--item", "100000"), "the item '100000' was not seen in training");
        var neither = Nabla("recommend", "--model", model);
        Assert.Equal(2, neither.ExitCode);

        string network = PathOf("net.safetensors");
        Succeeded(Nabla("train", "--epochs", "1", "--out", network, "--quiet"));
        Refused(Nabla("recommend", "--model", network, "--user", "1"), "not a recommender");
    }
}
