using System.Globalization;
using Nabla.Data;
using Nabla.NN;
using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>
/// One model's search within <c>nabla tune</c>: the model, its space, how many trials it may run, and its share of a
/// time budget. <c>--model auto</c> runs several in turn, the cheap linear models first.
/// </summary>
/// <param name="Name">What the leaderboard and the state folder call it: "logistic", "mlp", "mlp-defaults".</param>
/// <param name="Model">The model it trains.</param>
/// <param name="Space">The settings it searches.</param>
/// <param name="Trials">How many settings it tries (for halving, how many start).</param>
/// <param name="TimeWeight">Its share of a time budget, relative to the families after it.</param>
internal sealed record TuneFamily(string Name, ModelKind Model, SearchSpace Space, int Trials, double TimeWeight)
{
    /// <summary>How many trials each family gets when only a time budget bounds the search.</summary>
    public const int UnboundedTrials = 100_000;

    /// <summary>The most trials a linear model's one-parameter space is worth when only a time budget bounds the search.</summary>
    private const int LinearTrialsUnderTimeBudget = 12;

    /// <summary>Whether the family trains a network, whose budget is epochs; a linear model's budget is a share of the rows.</summary>
    public bool IsNetwork => !TrainSettings.IsLinear(Model);

    /// <summary>
    /// The searches <paramref name="settings"/> asks for, in the order they run. <c>--model auto</c> tries logistic, svm and mlp for
    /// classes, ridge and mlp for numbers, splitting <c>--trials</c> 1 : 1 : 3 (1 : 3); a search of mlp starts with one trial of
    /// <c>nabla train</c>'s defaults (unless <c>--space</c> is given), so that tuning never does worse than not tuning by more than
    /// noise. A user's <c>--space</c> replaces the entries it names and keeps the defaults of the rest.
    /// </summary>
    /// <exception cref="CommandInputException">A <c>--space</c> entry names a parameter no searched model has, or a value that parameter cannot take.</exception>
    public static IReadOnlyList<TuneFamily> For(TuneSettings settings, TrainingData data)
    {
        var models = settings.Model is { } model ? [model]
            : data.Task == ModelTask.Classification ? new[] { ModelKind.Logistic, ModelKind.Svm, ModelKind.Mlp }
            : [ModelKind.Ridge, ModelKind.Mlp];
        RequireSpaceFits(settings.Space, models);
        if (settings.Search is SearchKind.Halving or SearchKind.Hyperband && settings.Space?.Parameters.Any(entry => entry.Key == "epochs") == true)
            throw new CommandInputException($"--space: epochs is the budget --search {TuneChoices.Search.WordOf(settings.Search)} hands out (up to --epochs); leave it out of the space, or use --search tpe or random.", ExitCodes.Usage);
        if (settings.Trials is { } asked && asked < models.Length && settings.Search is not (SearchKind.Grid or SearchKind.Hyperband))
            throw new CommandInputException(
                $"--trials {asked} is fewer than the {models.Length} models --model auto searches here ({string.Join(", ", models.Select(TrainChoices.Model.WordOf))}), which need one trial each; give --trials {models.Length} or more, or name one --model.");
        bool onlyTime = settings.Trials is null && settings.TimeBudget is not null;
        int trials = settings.Trials ?? DefaultTrials;
        double weights = models.Sum(Weight);
        var families = new List<TuneFamily>();
        int given = 0;
        foreach (var kind in models)
        {
            bool last = kind == models[^1];
            int share = onlyTime ? (TrainSettings.IsLinear(kind) ? LinearTrialsUnderTimeBudget : UnboundedTrials)
                : last ? trials - given
                : Math.Max(1, (int)Math.Round(trials * Weight(kind) / weights));
            given += share;
            string name = TrainChoices.Model.WordOf(kind);
            if (kind == ModelKind.Mlp && settings.Space is null && settings.Search is SearchKind.Random or SearchKind.Tpe && share > 1)
            {
                families.Add(new TuneFamily($"{name}-defaults", kind, DefaultsSpace(), 1, 0));
                share--;
            }
            families.Add(new TuneFamily(name, kind, SpaceFor(kind, settings.Space), share, Weight(kind)));
        }
        return families;
    }

    /// <summary>The trials of a search when neither <c>--trials</c> nor <c>--time-budget</c> is given.</summary>
    public const int DefaultTrials = 20;

    /// <summary>A network's share of the time is three times a linear model's: its trials are slower and its space larger.</summary>
    private static double Weight(ModelKind model) => TrainSettings.IsLinear(model) ? 1 : 3;

    /// <summary>The default space of <paramref name="model"/>, with the user's entries in place of the defaults they name.</summary>
    private static SearchSpace SpaceFor(ModelKind model, SearchSpace? user)
    {
        var defaults = SearchSpace.Parse(model switch
        {
            ModelKind.Mlp => "lr=1e-4..3e-2:log,hidden=[64;128;256;128,64;256,128;128,64,32],activation={relu;tanh;gelu},dropout=0..0.4,weight_decay=1e-6..1e-2:log,batch_size={32;64;128},schedule={constant;cosine}",
            ModelKind.Cnn => "lr=1e-4..1e-2:log,weight_decay=1e-6..1e-2:log,batch_size={32;64;128},schedule={constant;cosine}",
            ModelKind.Ridge => "alpha=1e-4..1e3:log",
            _ => "alpha=1e-4..1e2:log", // logistic and svm: scikit-learn's C from 1e-2 to 1e4
        });
        var space = new SearchSpace();
        foreach (var (name, distribution) in defaults.Parameters)
            space.Add(name, user?.Parameters.FirstOrDefault(entry => entry.Key == name).Value ?? distribution);
        if (user is not null)
            foreach (var (name, distribution) in user.Parameters)
                if (space.Parameters.All(entry => entry.Key != name) && TuneParameter.Named(name)!.Models.Contains(model)) space.Add(name, distribution);
        return space;
    }

    /// <summary><c>nabla train</c>'s defaults for mlp, as a space of one point.</summary>
    private static SearchSpace DefaultsSpace() => SearchSpace.Parse(string.Create(CultureInfo.InvariantCulture,
        $"lr={TrainOptions.DefaultLearningRate:R},hidden=[{TrainOptions.DefaultHidden}],activation={TrainChoices.Activation.WordOf(Activation.Relu)},batch_size={TrainOptions.DefaultBatchSize}"));

    /// <summary>Refuses a <c>--space</c> entry that no searched model takes, or a value its parameter cannot take.</summary>
    private static void RequireSpaceFits(SearchSpace? space, IReadOnlyList<ModelKind> models)
    {
        if (space is null) return;
        string searched = string.Join(", ", models.Select(TrainChoices.Model.WordOf));
        foreach (var (name, distribution) in space.Parameters)
        {
            if (TuneParameter.Named(name) is not { } parameter || !parameter.Models.Any(models.Contains))
                throw new CommandInputException(
                    $"--space: '{name}' is not a setting of {searched}; the settings are: {string.Join("; ", models.Select(model => $"{TrainChoices.Model.WordOf(model)}: {TuneParameter.NamesFor(model)}"))}.", ExitCodes.Usage);
            foreach (object value in distribution.BoundingValues)
                if (parameter.Problem(value) is { } problem)
                    throw new CommandInputException(
                        $"--space: {name}={distribution} can give {Text(value)}, but {name} ({parameter.Option}) must be {problem}.", ExitCodes.Usage);
        }
    }

    private static string Text(object value) => value switch
    {
        int[] list => $"[{string.Join(',', list)}]",
        double[] list => $"[{string.Join(',', list.Select(number => number.ToString("R", CultureInfo.InvariantCulture)))}]",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}
