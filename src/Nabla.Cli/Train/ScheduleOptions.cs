using System.CommandLine;
using System.Globalization;
using Nabla.Optim;

namespace Nabla.Cli;

/// <summary>
/// The learning-rate schedule options of <c>nabla train</c>: <c>--lr-schedule</c> and its parameters,
/// read into one <see cref="LearningRateSchedule"/>. A parameter without <c>--lr-schedule</c>, one the
/// schedule does not use, or one the schedule needs and is not given is a usage error (exit 2); a value
/// out of range is a <see cref="CommandInputException"/> (exit 1) naming the option and the value.
/// </summary>
internal sealed class ScheduleOptions
{
    private readonly Option<string?> _schedule = new("--lr-schedule")
    {
        HelpName = TrainChoices.Schedule.Help,
        Description = "Change the learning rate as training goes, with PyTorch's scheduler of that name and its defaults; by default it stays at --lr. "
            + "step: times --lr-gamma (0.1) every --lr-step epochs; multistep: times --lr-gamma (0.1) after each of --lr-milestones; "
            + "exponential: times --lr-gamma every epoch; cosine: a half cosine from --lr down to --lr-min (0) at the last epoch; "
            + "cosine-restarts: that half cosine over --lr-step epochs, again and again; "
            + "onecycle: stepped each batch, up from --lr/25 to --lr over the first 30% of the batches, then down to --lr-min (--lr/250000), the momentum of adam and momentum cycling against it (0.95 down to 0.85 and back); "
            + "plateau: times --lr-gamma (0.1) once the validation loss has not fallen for --lr-patience (10) epochs, never below --lr-min (0). "
            + "For mlp and cnn, with any optimizer but lbfgs.",
    };

    private readonly Option<int?> _step = new("--lr-step")
    {
        CustomParser = InvariantNumber.ParseOptionalWhole<int>,
        HelpName = "N",
        Description = "Epochs between the cuts of --lr-schedule step (PyTorch's step_size), or of each cosine of cosine-restarts (T_0); at least 1, and needed by both.",
    };

    private readonly Option<string?> _milestones = new("--lr-milestones")
    {
        HelpName = "EPOCHS",
        Description = "The epochs after which --lr-schedule multistep cuts the rate, comma-separated and increasing, such as 10,20; needed by multistep.",
    };

    private readonly Option<double?> _gamma = new("--lr-gamma")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "G",
        Description = "The factor of --lr-schedule step, multistep and exponential (greater than 0; by default 0.1, needed by exponential), and of plateau (between 0 and 1; 0.1 by default).",
    };

    private readonly Option<double?> _min = new("--lr-min")
    {
        CustomParser = InvariantNumber.ParseOptional,
        HelpName = "LR",
        Description = "The lowest learning rate of --lr-schedule cosine, cosine-restarts and plateau (PyTorch's eta_min and min_lr, by default 0), or the last one of onecycle (by default --lr/250000, PyTorch's div_factor 25 and final_div_factor 10⁴); less than --lr.",
    };

    private readonly Option<int?> _patience = new("--lr-patience")
    {
        CustomParser = InvariantNumber.ParseOptionalWhole<int>,
        HelpName = "N",
        Description = "Epochs without a lower validation loss that --lr-schedule plateau waits before it cuts the rate; at least 0, by default 10 (PyTorch's).",
    };

    /// <summary>Every option, <c>--lr-schedule</c> first: for refusing them by name where there is no learning rate to schedule.</summary>
    public IReadOnlyList<Option> All => [_schedule, _step, _milestones, _gamma, _min, _patience];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The schedule the options ask for, or null when <c>--lr-schedule</c> is not given.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="learningRate">The learning rate the schedule starts from (or peaks at, for onecycle); null when <c>--lr auto</c> finds it later.</param>
    /// <param name="optimizer">The optimizer it schedules.</param>
    /// <param name="epochs">The epochs of the run, which milestones must not pass.</param>
    /// <exception cref="CommandInputException">The options do not fit together (exit 2) or a value is out of range (exit 1).</exception>
    public LearningRateSchedule? Read(ParseResult parse, double? learningRate, OptimizerKind optimizer, int epochs)
    {
        var given = All.Skip(1).Where(option => parse.GetResult(option) is { Implicit: false }).ToList();
        if (parse.GetValue(_schedule) is not { } word)
        {
            if (given.Count > 0)
                throw new CommandInputException($"{given[0].Name} needs --lr-schedule: it is a parameter of a learning-rate schedule; add one, such as --lr-schedule {ScheduleOf(given[0])}.", ExitCodes.Usage);
            return null;
        }
        var kind = TrainChoices.Schedule.Parse("--lr-schedule", word);
        string name = TrainChoices.Schedule.WordOf(kind);
        if (optimizer == OptimizerKind.Lbfgs)
            throw new CommandInputException("--lr-schedule does not apply to --optimizer lbfgs: its line search chooses the length of each step; leave it out, or choose another optimizer.");
        foreach (var option in given)
            if (!Uses(kind, option))
                throw new CommandInputException($"{option.Name} is for --lr-schedule {ScheduleOf(option)}, not {name}; leave it out.", ExitCodes.Usage);
        Option? needed = kind switch
        {
            LearningRateScheduleKind.Step or LearningRateScheduleKind.CosineRestarts => _step,
            LearningRateScheduleKind.Multistep => _milestones,
            LearningRateScheduleKind.Exponential => _gamma,
            _ => null,
        };
        if (needed is not null && !given.Contains(needed))
            throw new CommandInputException($"--lr-schedule {name} needs {needed.Name}: PyTorch's scheduler has no default for it.", ExitCodes.Usage);

        var invariant = CultureInfo.InvariantCulture;
        int? step = parse.GetValue(_step);
        if (step < 1)
            throw new CommandInputException($"--lr-step must be a whole number of at least 1, got {step}.");
        double? gamma = parse.GetValue(_gamma);
        if (gamma is { } g && (!(g > 0) || double.IsInfinity(g) || (kind == LearningRateScheduleKind.Plateau && !(g < 1))))
            throw new CommandInputException(string.Create(invariant,
                $"--lr-gamma must be a finite number greater than 0{(kind == LearningRateScheduleKind.Plateau ? " and less than 1 for --lr-schedule plateau, which cuts the rate" : "")}, got {g}."));
        double? min = parse.GetValue(_min);
        if (min is { } m && (!(m >= 0) || double.IsInfinity(m) || (kind == LearningRateScheduleKind.Onecycle && m == 0)))
            throw new CommandInputException(string.Create(invariant,
                $"--lr-min must be {(kind == LearningRateScheduleKind.Onecycle ? "greater than 0" : "at least 0")} and less than the learning rate, got {m}."));
        int? patience = parse.GetValue(_patience);
        if (patience < 0)
            throw new CommandInputException($"--lr-patience must be a whole number of at least 0, got {patience}.");

        bool factor = kind is LearningRateScheduleKind.Step or LearningRateScheduleKind.Multistep or LearningRateScheduleKind.Plateau;
        var schedule = new LearningRateSchedule(kind)
        {
            StepSize = step,
            Milestones = parse.GetValue(_milestones) is { } milestones ? ParseMilestones(milestones, epochs) : null,
            Gamma = gamma ?? (factor ? LearningRateSchedule.DefaultGamma : null),
            MinLearningRate = kind switch
            {
                // onecycle's default last rate follows the peak (LearningRateSchedule.LastRate), which --lr auto finds later.
                LearningRateScheduleKind.Onecycle => min,
                LearningRateScheduleKind.Cosine or LearningRateScheduleKind.CosineRestarts or LearningRateScheduleKind.Plateau => min ?? 0,
                _ => null,
            },
            Patience = kind == LearningRateScheduleKind.Plateau ? patience ?? LearningRateSchedule.DefaultPatience : null,
        };
        if (learningRate is { } rate) schedule.RequireBelow(rate, "--lr");
        return schedule;
    }

    /// <summary>Whether the schedule <paramref name="kind"/> takes the parameter <paramref name="option"/>.</summary>
    private bool Uses(LearningRateScheduleKind kind, Option option) => SchedulesOf(option).Contains(kind);

    /// <summary>The schedules that take <paramref name="option"/>, for the message that names them: "step or cosine-restarts".</summary>
    private string ScheduleOf(Option option) => string.Join(" or ", SchedulesOf(option).Select(TrainChoices.Schedule.WordOf));

    private LearningRateScheduleKind[] SchedulesOf(Option option) =>
        option == _step ? [LearningRateScheduleKind.Step, LearningRateScheduleKind.CosineRestarts]
        : option == _milestones ? [LearningRateScheduleKind.Multistep]
        : option == _gamma ? [LearningRateScheduleKind.Step, LearningRateScheduleKind.Multistep, LearningRateScheduleKind.Exponential, LearningRateScheduleKind.Plateau]
        : option == _min ? [LearningRateScheduleKind.Cosine, LearningRateScheduleKind.CosineRestarts, LearningRateScheduleKind.Onecycle, LearningRateScheduleKind.Plateau]
        : option == _patience ? [LearningRateScheduleKind.Plateau]
        : throw new ArgumentOutOfRangeException(nameof(option), option.Name, "not a parameter of a schedule.");

    /// <summary>Parses "10,20" into increasing epochs, each from 1 to the last epoch, refusing any other item by its place.</summary>
    private static int[] ParseMilestones(string text, int epochs)
    {
        string[] items = text.Split(',');
        var milestones = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out milestones[i]) || milestones[i] < 1 || milestones[i] >= epochs)
                throw new CommandInputException(
                    $"--lr-milestones must be epochs from 1 to {epochs - 1} (the last epoch before --epochs {epochs}) separated by commas, such as 10,20; item {i + 1} of '{text}' is {(item.Length == 0 ? "empty" : $"'{item}'")}.");
            if (i > 0 && milestones[i] <= milestones[i - 1])
                throw new CommandInputException($"--lr-milestones must increase, such as 10,20; in '{text}' {milestones[i]} comes after {milestones[i - 1]}.");
        }
        return milestones;
    }
}
