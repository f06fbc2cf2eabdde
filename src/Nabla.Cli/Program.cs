using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Nabla.Cli;
using Nabla.Distributed;

// mpirun hands each rank a pseudo-terminal and merges what they print: .NET would start each rank's output with the
// terminal's keypad codes (ESC [?1h ESC =), which end up inside --json output, and live progress bars from several
// processes would draw over each other. As a plain terminal, every rank writes plain lines.
if (Communicator.LaunchedByMpirun) Environment.SetEnvironmentVariable("TERM", "dumb");

var verbose = new Option<bool>("--verbose")
{
    Description = "On an error, show the full details (stack trace) as well as the message.",
    Recursive = true,
};
var root = new RootCommand("nabla: calculus-powered machine learning: tensors, automatic differentiation, gradient descent.")
{
    verbose,
    TrainCommand.Create(verbose),
    TuneCommand.Create(verbose),
    PredictCommand.Create(verbose),
    EvaluateCommand.Create(verbose),
    ExplainCommand.Create(verbose),
    ExportCommand.Create(verbose),
    RecommendCommand.Create(verbose),
    SimilarCommand.Create(verbose),
    InfoCommand.Create(verbose),
    ImportCommand.Create(verbose),
    DiffCommand.Create(verbose),
    IntegrateCommand.Create(verbose),
    LimitCommand.Create(verbose),
    DatasetsCommand.Create(verbose),
    DashboardCommand.Create(verbose),
};
VersionInfo.Install(root);

var parseResult = root.Parse(args);
if (parseResult.Action is ParseErrorAction)
{
    // Usage errors get exit code 2 (bad input and failures get 1), as most Unix tools do.
    foreach (var error in parseResult.Errors)
        Console.Error.WriteLine($"error: {TerminalText.Escape(error.Message)}");
    // The full path of the command the error is in: "nabla datasets export", not "nabla export".
    var names = new List<string>();
    for (var result = parseResult.CommandResult; result is not null; result = result.Parent as CommandResult)
        names.Insert(0, result.Command == root ? "nabla" : result.Command.Name);
    string name = string.Join(' ', names);
    Console.Error.WriteLine($"Run '{name} --help' for usage.");
    return ExitCodes.Usage;
}
return parseResult.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
