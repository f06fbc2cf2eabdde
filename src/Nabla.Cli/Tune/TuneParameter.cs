using System.Globalization;
using Nabla.Optim;
using Nabla.Selection;

namespace Nabla.Cli;

/// <summary>
/// A setting <c>nabla tune</c> can search over, as <c>--space</c> names it: the models it applies to, what makes a
/// value valid (checked on every value a distribution can give before any trial runs, so that a typo fails at once,
/// not as a failed trial), and how a trial's value sets the option of <c>nabla train</c> it stands for.
/// </summary>
/// <param name="Name">The name in <c>--space</c>: "lr", "hidden", ...</param>
/// <param name="Option">The option of <c>nabla train</c> it sets, for messages and the command that refits.</param>
/// <param name="Models">The models it applies to.</param>
/// <param name="Problem">Why a value is not valid, or null when it is.</param>
/// <param name="Apply">The settings with the trial's value set.</param>
internal sealed record TuneParameter(string Name, string Option, IReadOnlyList<ModelKind> Models, Func<object, string?> Problem,
    Func<TrainSettings, TrialParameters, TrainSettings> Apply)
{
    private static readonly ModelKind[] Networks = [ModelKind.Mlp, ModelKind.Cnn];

    /// <summary>The optimizers a search may choose: any but L-BFGS, whose full-batch line search takes no batch size, rate schedule or dropout.</summary>
    private static readonly OptimizerKind[] Optimizers = [OptimizerKind.Adam, OptimizerKind.Sgd, OptimizerKind.Momentum, OptimizerKind.Rmsprop, OptimizerKind.Adagrad];

    /// <summary>The schedules a search may choose; "constant" is none.</summary>
    private static readonly string[] Schedules = ["constant", "cosine", "onecycle"];

    /// <summary>Every parameter, in the order the help lists them.</summary>
    public static readonly IReadOnlyList<TuneParameter> All =
    [
        new("lr", "--lr", Networks, value => Positive(value, 10),
            (settings, p) => settings with { LearningRate = p.Double("lr") }),
        new("hidden", "--hidden", [ModelKind.Mlp], Widths,
            (settings, p) => settings with { Hidden = p["hidden"] is int width ? [width] : p.Ints("hidden") }),
        new("activation", "--activation", [ModelKind.Mlp], value => Word(value, TrainChoices.Activation.Help.Split('|')),
            (settings, p) => settings with { Activation = TrainChoices.Activation.Parse("activation", p.String("activation")) }),
        new("dropout", "--dropout", [ModelKind.Mlp], value => Number(value) is >= 0 and < 1 ? null : "a probability from 0 to less than 1",
            (settings, p) => settings with { Dropout = p.Double("dropout") }),
        new("batch_norm", "--batch-norm", [ModelKind.Mlp], value => Word(value, ["true", "false"]),
            (settings, p) => settings with { BatchNorm = p.String("batch_norm") == "true" }),
        new("weight_decay", "--weight-decay", Networks, value => Number(value) is >= 0 and <= 1 ? null : "a number from 0 to 1",
            (settings, p) => settings with { WeightDecay = p.Double("weight_decay") }),
        new("batch_size", "--batch-size", Networks, value => value is int size && size is >= 1 and <= 1 << 20 ? null : "a whole number from 1 to 1048576",
            (settings, p) => settings with { BatchSize = p.Int("batch_size") }),
        new("optimizer", "--optimizer", Networks, value => Word(value, [.. Optimizers.Select(TrainChoices.Optimizer.WordOf)]),
            (settings, p) => settings with { Optimizer = TrainChoices.Optimizer.Parse("optimizer", p.String("optimizer")) }),
        new("schedule", "--lr-schedule", Networks, value => Word(value, Schedules),
            (settings, p) => settings with { Schedule = Schedule(p.String("schedule")) }),
        new("epochs", "--epochs", Networks, value => value is int epochs && epochs is >= 1 and <= 10_000 ? null : "a whole number from 1 to 10000",
            (settings, p) => settings with { Epochs = p.Int("epochs") }),
        new("alpha", "--alpha", [ModelKind.Ridge, ModelKind.Logistic, ModelKind.Svm], value => Positive(value, 1e6),
            (settings, p) => settings with { Alpha = p.Double("alpha") }),
    ];

    /// <summary>The parameter named <paramref name="name"/>, or null.</summary>
    public static TuneParameter? Named(string name) => All.FirstOrDefault(parameter => parameter.Name == name);

    /// <summary>The names of the parameters of <paramref name="model"/>, for messages.</summary>
    public static string NamesFor(ModelKind model) => string.Join(", ", All.Where(parameter => parameter.Models.Contains(model)).Select(parameter => parameter.Name));

    /// <summary>The learning-rate schedule a trial's word stands for, with PyTorch's defaults; null for "constant".</summary>
    private static LearningRateSchedule? Schedule(string word) => word switch
    {
        "cosine" => new LearningRateSchedule(LearningRateScheduleKind.Cosine) { MinLearningRate = 0 },
        "onecycle" => new LearningRateSchedule(LearningRateScheduleKind.Onecycle),
        _ => null,
    };

    private static double? Number(object value) => value switch { int whole => whole, double real => real, _ => null };

    private static string? Positive(object value, double most) => Number(value) is { } number && number > 0 && number <= most
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"a number greater than 0 and at most {most:G}");

    private static string? Widths(object value)
    {
        int[]? widths = value switch { int width => [width], int[] list => list, _ => null };
        return widths is { Length: > 0 } && widths.All(width => width is >= 1 and <= 1 << 16) ? null : "hidden widths: whole numbers from 1 to 65536, as [64;128,64]";
    }

    private static string? Word(object value, IReadOnlyList<string> words) =>
        value is string word && words.Contains(word) ? null : $"one of {string.Join(", ", words)}";
}
