using System.CommandLine;
using System.Net;

namespace Nabla.Cli;

/// <summary>
/// <c>--dashboard [PORT]</c> and <c>--host</c> of a command that writes a run log: serve the live page of the log
/// folder while the command runs.
/// </summary>
internal sealed class LiveDashboardOptions
{
    /// <summary>The <c>--dashboard</c> option; its value is 0 (a free port) when given without one.</summary>
    public Option<int?> Dashboard { get; } = new("--dashboard")
    {
        HelpName = "PORT",
        Arity = ArgumentArity.ZeroOrOne,
        Description = "Serve a live page of the run log (and of the other runs beside it in --logdir) at http://127.0.0.1:PORT/ while this runs, printed at the start; "
            + "by default a free port. The page stops when this ends; nabla dashboard shows past runs.",
        CustomParser = DashboardAddressOptions.ParsePort,
    };

    /// <summary>The <c>--host</c> option.</summary>
    public Option<IPAddress?> Host { get; } = DashboardAddressOptions.Host();

    /// <summary>Both options.</summary>
    public Option[] All => [Dashboard, Host];

    /// <summary>Adds the options to <paramref name="command"/>, with the check that <c>--host</c> comes with <c>--dashboard</c>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Dashboard);
        command.Options.Add(Host);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Host) is { Implicit: false } && result.GetResult(Dashboard) is null)
                result.AddError("--host sets the address of the page that --dashboard serves; give --dashboard too.");
        });
    }

    /// <summary>Where to serve the page; null without <c>--dashboard</c>.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="runLogDirectory">The run's log folder, null when there is to be no log.</param>
    /// <exception cref="CommandInputException"><c>--dashboard</c> with no run log to show.</exception>
    public DashboardAddress? Read(ParseResult parse, string? runLogDirectory)
    {
        if (parse.GetResult(Dashboard) is not { Implicit: false }) return null;
        if (runLogDirectory is null)
            throw new CommandInputException($"--dashboard shows the run log, and this run writes none (--logdir {RunLogOptions.NoneWord}, or --out a device); leave out --logdir {RunLogOptions.NoneWord}, or --dashboard.");
        return new DashboardAddress(parse.GetValue(Host) ?? IPAddress.Loopback, parse.GetValue(Dashboard) ?? 0);
    }
}
