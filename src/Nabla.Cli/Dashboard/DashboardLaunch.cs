using Nabla.Dashboard;

namespace Nabla.Cli;

/// <summary>Starts a dashboard for a command, turning what stops it into the command's one-line errors.</summary>
internal static class DashboardLaunch
{
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
