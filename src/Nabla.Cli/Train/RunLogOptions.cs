using System.CommandLine;
using System.Globalization;
using Nabla.IO;
using Nabla.Training;

namespace Nabla.Cli;

/// <summary>
/// <c>--logdir</c> and <c>--run-name</c> of <c>nabla train</c> and <c>nabla tune</c>: where the run's <see cref="RunLog"/>
/// goes, checked before any work. By default <c>runs/&lt;name&gt;/events.jsonl</c> beside <c>--out</c>, the name made from the
/// start time and the model (<c>20261207-0712-mlp</c>; a search's <c>20261207-0712-tune</c>); <c>--logdir none</c> writes none,
/// as <c>--lr-schedule none</c> schedules none.
/// </summary>
/// <remarks>
/// A name the user gives that already holds a log is refused: they will look for this run under that name, and a silent
/// <c>-2</c> would leave the other run there. A name made here is the user's by no choice, so it takes the first free
/// suffix instead (two runs started in the same minute). With <c>--out</c> a device (<c>/dev/null</c>: the model is not
/// kept) there is no default log either, since its folder is the system's.
/// </remarks>
internal sealed class RunLogOptions
{
    /// <summary>The word of <c>--logdir</c> that turns the log off.</summary>
    public const string NoneWord = "none";

    /// <summary>The folder of run logs beside <c>--out</c> when <c>--logdir</c> is not given.</summary>
    public const string DefaultFolder = "runs";

    /// <summary>The longest run name, well within a file name's 255 bytes.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// The batches between two step events of <c>nabla train</c>'s log when <c>--log-steps</c> is not given: PyTorch
    /// Lightning's default, so that an epoch of many batches (Fashion-MNIST's 1,875) shows its loss falling long before
    /// it ends, at one short line per 50 batches.
    /// </summary>
    public const int DefaultStepInterval = 50;

    // Two runs started in the same minute are common (a script); a hundred are not, and past it the folder is refused.
    private const int MaxSuffix = 99;

    /// <summary>The options of <c>nabla train</c>, whose log holds the epochs.</summary>
    public RunLogOptions()
        : this("Write the run's events (settings, then each epoch's losses, accuracies, learning rate, samples/s and, with --diagnose, gradient norms; then how it ended) to "
            + $"DIR/NAME/{RunLog.FileName}, one JSON object a line, forced to disk after each epoch so a killed run keeps its finished epochs. {FolderRule} For mlp, cnn and the text models trained by gradient steps.",
            $"The run's folder in --logdir: {NameRule} (a resumed run needs a new one). By default the start time and the model, such as 20261207-0712-mlp (with -2, -3... when taken).")
    {
        StepInterval = new("--log-steps")
        {
            HelpName = "N",
            Description = $"Also log the batch loss and learning rate every N batches (optimizer steps), which the dashboard charts by step; by default {DefaultStepInterval}, 0 for none. Under mpirun the loss is rank 0's share of the batch.",
            CustomParser = InvariantNumber.ParseOptionalWhole<int>,
        };
    }

    /// <summary>The options of a command whose log holds other events, described by <paramref name="logDescription"/> and <paramref name="nameDescription"/>.</summary>
    /// <param name="logDescription">The help of <c>--logdir</c>: what the log holds, then <see cref="FolderRule"/>.</param>
    /// <param name="nameDescription">The help of <c>--run-name</c>, with <see cref="NameRule"/> and the default name.</param>
    public RunLogOptions(string logDescription, string nameDescription)
    {
        LogDirectory = new("--logdir") { HelpName = "DIR", Description = logDescription };
        RunName = new("--run-name") { HelpName = "NAME", Description = nameDescription };
    }

    /// <summary>Where the runs go, for the help of <c>--logdir</c>.</summary>
    public static string FolderRule => $"DIR is created when missing, its parent must exist; by default '{DefaultFolder}' beside --out; '{NoneWord}' writes no log.";

    /// <summary>What a run's name may be, for the help of <c>--run-name</c>.</summary>
    public static string NameRule => $"letters, digits and punctuation but no path separator, at most {MaxNameLength} characters; a name that already holds a log is refused";

    /// <summary>The <c>--logdir</c> option.</summary>
    public Option<string?> LogDirectory { get; }

    /// <summary>The <c>--run-name</c> option.</summary>
    public Option<string?> RunName { get; }

    /// <summary>The <c>--log-steps</c> option of <c>nabla train</c>; null for a command whose log holds no steps.</summary>
    public Option<int?>? StepInterval { get; }

    /// <summary>Every option.</summary>
    public Option[] All => StepInterval is null ? [LogDirectory, RunName] : [LogDirectory, RunName, StepInterval];

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>The batches between two step events (<c>--log-steps</c>), 0 for none; checked against <paramref name="directory"/>, the log's folder.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="directory">What <see cref="Read"/> returned: null when there is no log.</param>
    /// <exception cref="CommandInputException">The value is negative, or given for a run that writes no log.</exception>
    public int ReadStepInterval(ParseResult parse, string? directory)
    {
        if (StepInterval is null || parse.GetValue(StepInterval) is not { } interval) return directory is null ? 0 : DefaultStepInterval;
        if (interval < 0)
            throw new CommandInputException($"--log-steps must be 0 (no step events) or more batches; got {interval}.");
        if (directory is null)
            throw new CommandInputException($"--log-steps sets how often the run log records a batch, and this run writes no log (--logdir {NoneWord}, or --out a device); leave one of them out.");
        return interval;
    }

    /// <summary>The run's folder, checked and free of another run's log; null when there is to be no log.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="outPath">The model file (<c>--out</c>), beside which the default folder goes.</param>
    /// <param name="model">The model's word (or the command's, "tune"), the end of a default name.</param>
    /// <param name="start">When the run starts, the beginning of a default name.</param>
    /// <exception cref="CommandInputException">A value is empty or malformed, a folder is missing or is a file, or the name holds a log already.</exception>
    public string? Read(ParseResult parse, string outPath, string model, DateTimeOffset start)
    {
        string? folder = parse.GetValue(LogDirectory);
        string? name = parse.GetValue(RunName);
        if (folder == NoneWord)
            return name is null ? null : throw new CommandInputException($"--run-name names the run log that --logdir {NoneWord} turns off; leave one of them out.");
        if (folder is null)
        {
            // The model is thrown away: there is no folder of the user's to put the log beside.
            if (SpecialFile.Is(Path.GetFullPath(outPath))) return name is null ? null
                : throw new CommandInputException($"--run-name: --out '{outPath}' is a device, beside which no log is written; give --logdir DIR too.");
            folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, DefaultFolder);
        }
        else
        {
            CheckFolder(folder);
        }
        if (name is not null)
        {
            CheckName(name);
            return Free(folder, name) ?? throw new CommandInputException(
                $"--run-name '{name}': '{Path.Combine(folder, name, RunLog.FileName)}' already holds the log of another run, which a run never writes over; choose another name, or remove that folder.");
        }
        string made = string.Create(CultureInfo.InvariantCulture, $"{start:yyyyMMdd-HHmm}-{model}");
        for (int suffix = 1; suffix <= MaxSuffix; suffix++)
            if (Free(folder, suffix == 1 ? made : string.Create(CultureInfo.InvariantCulture, $"{made}-{suffix}")) is { } free) return free;
        throw new CommandInputException($"--logdir '{folder}' already holds {MaxSuffix} runs named {made}; give --run-name NAME.");
    }

    /// <summary>The run's folder when it holds no log yet; null when it does.</summary>
    private static string? Free(string folder, string name)
    {
        string run = Path.Combine(folder, name), log = Path.Combine(run, RunLog.FileName);
        if (File.Exists(run) || SpecialFile.Is(run))
            throw new CommandInputException($"--run-name '{name}': '{run}' is a file; the run's log needs a folder there.");
        if (SpecialFile.Is(log) || Directory.Exists(log))
            throw new CommandInputException($"--run-name '{name}': '{log}' is not a file a log can be appended to (a device, a pipe or a folder); choose another name.");
        return File.Exists(log) ? null : run;
    }

    private static void CheckFolder(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder))
            throw new CommandInputException($"--logdir needs a folder path, or '{NoneWord}' for no log; got an empty one.");
        string full = Path.GetFullPath(folder);
        if (File.Exists(full) || SpecialFile.Is(full))
            throw new CommandInputException($"--logdir '{folder}' is a file; give a folder (it is created when missing), or '{NoneWord}' for no log.");
        if (Path.GetDirectoryName(full) is { } parent && !Directory.Exists(parent))
            throw new CommandInputException($"--logdir '{folder}': the folder '{parent}' does not exist; create it first.");
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new CommandInputException("--run-name needs a name, got an empty one.");
        if (name.Length > MaxNameLength)
            throw new CommandInputException($"--run-name is {name.Length} characters long; give at most {MaxNameLength}.");
        if (name.IndexOfAny(['/', '\\']) is int separator and >= 0)
            throw new CommandInputException($"--run-name '{name}' holds the path separator '{name[separator]}' at character {separator + 1}; a run name is one folder's name, inside --logdir.");
        if (name is "." or "..")
            throw new CommandInputException($"--run-name '{name}' names a folder that is not the run's own; give a name such as first-try.");
        if (name.Any(char.IsControl))
            throw new CommandInputException("--run-name holds a control character; give a name of printable characters.");
    }
}
