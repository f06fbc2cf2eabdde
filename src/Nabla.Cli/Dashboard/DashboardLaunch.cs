using Nabla.Dashboard;

namespace Nabla.Cli;

/// <summary>Starts a dashboard for a command, turning what stops it into the command's one-line errors.</summary>
internal static class DashboardLaunch
{
    /// <summary>
    /// The live page of a command's run log (<c>--dashboard</c>), or null when none was asked for: serves the log folder
    /// the run is in, so the runs before it can be overlaid, opening on this run; warns when other machines can see it,
    /// and says where it is whatever the output (the user needs it to open the page: <c>--quiet</c> prints it too, and
    /// <c>--json</c> on standard error, keeping standard output one JSON object).
    /// </summary>
    /// <param name="address">Where to listen, or null for no page.</param>
    /// <param name="runDirectory">The run's own folder, inside the log folder.</param>
    /// <param name="json">Whether standard output is for JSON only.</param>
    /// <exception cref="CommandInputException">The address cannot be listened on.</exception>
    public static DashboardServer? StartLive(DashboardAddress? address, string runDirectory, bool json)
    {
        if (address is null) return null;
        string run = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        string folder = Directory.CreateDirectory(Path.GetDirectoryName(run)!).FullName;
        var server = Start(folder, address, Path.GetFileName(run), "--dashboard PORT");
        DashboardAddressOptions.WarnIfOpen(address, server.Address);
        var writer = new TerminalWriter(json ? Console.Error : Console.Out);
        writer.WriteLine($"Dashboard: {server.Address}");
        writer.Flush();
        return server;
    }

    /// <summary>Serves <paramref name="logDirectory"/> at <paramref name="address"/>, <paramref name="liveRun"/> the run training now.</summary>
    /// <param name="logDirectory">The folder of run logs.</param>
    /// <param name="address">Where to listen.</param>
    /// <param name="liveRun">The run the page opens on, or null.</param>
    /// <param name="portOption">The option that gave the port, for the message when it is taken.</param>
    /// <exception cref="CommandInputException">The folder is missing, or the address cannot be listened on.</exception>
    public static DashboardServer Start(string logDirectory, DashboardAddress address, string? liveRun, string portOption)
    {
        var options = new DashboardOptions(logDirectory) { Host = address.Host, Port = address.Port, LiveRun = liveRun };
        try
        {
            return DashboardServer.StartAsync(options).GetAwaiter().GetResult();
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CommandInputException($"--logdir: {e.Message}");
        }
        catch (IOException e)
        {
            string taken = address.Port == 0 ? "" : $" (is port {address.Port} taken by another program? give another with {portOption}, or leave it out for a free one)";
            throw new CommandInputException($"{e.Message}{taken}");
        }
    }
}
