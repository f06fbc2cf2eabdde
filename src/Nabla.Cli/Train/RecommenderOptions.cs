using System.CommandLine;

namespace Nabla.Cli;

/// <summary>The options of <c>nabla train</c> that only <c>--model mf</c> takes, and their checks.</summary>
internal sealed class RecommenderOptions
{
    private readonly Option<string?> _user = new("--user") { HelpName = "COLUMN", Description = "For --model mf: the column of user ids (whole numbers, or any text such as u-17)." };
    private readonly Option<string?> _item = new("--item") { HelpName = "COLUMN", Description = "For --model mf: the column of item ids (whole numbers, or any text)." };
    private readonly Option<string?> _rating = new("--rating") { HelpName = "COLUMN", Description = "For --model mf: the column of ratings (needed unless --implicit). With --implicit, the strength of each interaction (a count of plays, say), at least 0; without it every row counts once. A (user, item) pair given twice keeps its last rating; with --implicit, its strengths add up." };
    private readonly Option<bool> _implicit = new("--implicit") { Description = "For --model mf: the rows are interactions (clicks, plays, purchases), not ratings; the model ranks items by preference instead of predicting ratings." };
    private readonly Option<int?> _factors = new("--factors") { CustomParser = InvariantNumber.ParseOptionalWhole<int>, HelpName = "K", Description = $"For --model mf: the latent factors per user and item, at least 1; by default {RecommenderDefaults.Factors}." };
    private readonly Option<string?> _solver = new("--solver") { HelpName = Choices.Help, Description = "For --model mf: als (alternating least squares; weighted, on implicit feedback: the default), sgd or adam (explicit ratings), bpr (Bayesian personalised ranking, implicit feedback)." };
    private readonly Option<double?> _confidence = new("--confidence") { CustomParser = InvariantNumber.ParseOptional, HelpName = "ALPHA", Description = $"For --model mf --implicit --solver als: α of the confidence 1 + α·r an interaction of strength r gets (Hu, Koren and Volinsky), at least 0; by default {RecommenderDefaults.Confidence}." };
    private readonly Option<string?> _split = new("--split") { HelpName = Splits.Help, Description = "For --model mf: how the test interactions are held out: random (a --test-split share of the rows), user (one interaction of every user with more than one), time (the latest --test-split share by --timestamp). By default time with --timestamp, random without." };
    private readonly Option<string?> _timestamp = new("--timestamp") { HelpName = "COLUMN", Description = "For --model mf: the column of times (numbers, such as seconds since 1970, or ISO 8601 dates), for --split time." };

    /// <summary><c>--solver</c>'s words.</summary>
    public static readonly OptionChoices<RecommenderSolver> Choices = OptionChoices.ForEnum<RecommenderSolver>();

    /// <summary><c>--split</c>'s words.</summary>
    public static readonly OptionChoices<RecommenderSplit> Splits = OptionChoices.ForEnum<RecommenderSplit>();

    private Option[] All => [_user, _item, _rating, _implicit, _factors, _solver, _confidence, _split, _timestamp];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>Refuses, naming it, any of these options given to a model other than mf.</summary>
    public void RefuseFor(ParseResult parse, string model)
    {
        if (All.FirstOrDefault(option => parse.GetResult(option) is { Implicit: false }) is { } given)
            throw new CommandInputException($"{given.Name} applies to --model mf, the recommender, not to --model {model}.");
    }

    /// <summary>Reads and checks the recommender's settings; <paramref name="learningRate"/> and <paramref name="batchSize"/> are the common options' values when given.</summary>
    /// <exception cref="CommandInputException">A column is missing or named twice, a value is out of range, or an option does not fit the solver.</exception>
    public RecommenderSettings Read(ParseResult parse, double? learningRate, int? batchSize, bool testSplitGiven)
    {
        string user = parse.GetValue(_user) ?? throw new CommandInputException("--model mf needs --user COLUMN and --item COLUMN: the columns of user and item ids.");
        string item = parse.GetValue(_item) ?? throw new CommandInputException("--model mf needs --item COLUMN: the column of item ids.");
        bool implicitFeedback = parse.GetValue(_implicit);
        string? rating = parse.GetValue(_rating);
        if (rating is null && !implicitFeedback)
            throw new CommandInputException("--model mf needs --rating COLUMN, the column of ratings; or --implicit when the rows are interactions (clicks, plays) without ratings.");
        string? timestamp = parse.GetValue(_timestamp);
        string[] columns = [user, item, .. rating is null ? Array.Empty<string>() : [rating], .. timestamp is null ? Array.Empty<string>() : [timestamp]];
        if (columns.FirstOrDefault(string.IsNullOrWhiteSpace) is not null)
            throw new CommandInputException("--user, --item, --rating and --timestamp each need a column name, got an empty one.");
        if (columns.Distinct(StringComparer.Ordinal).Count() != columns.Length)
            throw new CommandInputException($"--user, --item, --rating and --timestamp must name different columns, got {string.Join(", ", columns)}.");

        var solver = parse.GetValue(_solver) is { } word ? Choices.Parse("--solver", word) : RecommenderSolver.Als;
        string solverWord = Choices.WordOf(solver);
        if (implicitFeedback && solver is RecommenderSolver.Sgd or RecommenderSolver.Adam)
            throw new CommandInputException($"--solver {solverWord} fits ratings; with --implicit use --solver als (weighted ALS) or bpr.");
        if (!implicitFeedback && solver == RecommenderSolver.Bpr)
            throw new CommandInputException("--solver bpr ranks implicit feedback; give --implicit, or use --solver als, sgd or adam for ratings.");
        if (parse.GetResult(_confidence) is { Implicit: false } && !(implicitFeedback && solver == RecommenderSolver.Als))
            throw new CommandInputException("--confidence weighs implicit interactions in weighted ALS; it applies to --implicit --solver als only.");
        if (learningRate is not null && solver == RecommenderSolver.Als)
            throw new CommandInputException("--lr does not apply to --solver als, which solves each half-step exactly; leave it out, or use --solver sgd, adam or bpr.");
        if (batchSize is not null && solver != RecommenderSolver.Adam)
            throw new CommandInputException($"--batch-size applies to --solver adam only; --solver {solverWord} takes {(solver == RecommenderSolver.Als ? "all the ratings in each half-step" : "one interaction per step")}.");

        var split = parse.GetValue(_split) is { } splitWord ? Splits.Parse("--split", splitWord) : timestamp is null ? RecommenderSplit.Random : RecommenderSplit.Time;
        if (split == RecommenderSplit.Time && timestamp is null)
            throw new CommandInputException("--split time needs --timestamp COLUMN, the column of times to hold out the latest interactions by.");
        if (split != RecommenderSplit.Time && timestamp is not null)
            throw new CommandInputException($"--timestamp orders the rows for --split time; it does nothing with --split {Splits.WordOf(split)}: leave it out, or use --split time.");
        if (split == RecommenderSplit.User && testSplitGiven)
            throw new CommandInputException("--test-split does not apply to --split user, which holds out one interaction of every user with more than one.");

        var settings = new RecommenderSettings(user, item, rating, implicitFeedback,
            Factors: parse.GetValue(_factors) ?? RecommenderDefaults.Factors,
            Solver: solver,
            Confidence: parse.GetValue(_confidence) ?? RecommenderDefaults.Confidence,
            Split: split,
            TimestampColumn: timestamp,
            LearningRate: learningRate ?? RecommenderDefaults.LearningRate(solver),
            BatchSize: batchSize ?? RecommenderDefaults.BatchSize);
        if (settings.Factors < 1)
            throw new CommandInputException($"--factors must be at least 1, got {settings.Factors}.");
        if (!(settings.Confidence >= 0) || double.IsInfinity(settings.Confidence))
            throw new CommandInputException(FormattableString.Invariant($"--confidence must be a finite number of at least 0, got {settings.Confidence}."));
        return settings;
    }
}
