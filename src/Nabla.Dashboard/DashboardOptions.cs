using System.Net;

namespace Nabla.Dashboard;

/// <summary>What <see cref="DashboardServer"/> serves, and where.</summary>
/// <param name="LogDirectory">The folder of run logs: each run is a folder holding <see cref="Training.RunLog.FileName"/>,
/// found in this folder itself, its subfolders and theirs (a tune job's trials). Nothing outside it is ever read.</param>
public sealed record DashboardOptions(string LogDirectory)
{
    /// <summary>The address to listen on: <see cref="IPAddress.Loopback"/> by default, so only this machine can see the page.
    /// Any other address (<see cref="IPAddress.Any"/> for every network) shows the runs' settings and curves to whoever can reach it.</summary>
    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>The port; 0 (the default) takes a free one, which <see cref="DashboardServer.Address"/> then tells.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is outside 0..65535.</exception>
    public int Port
    {
        get;
        init => field = value is >= IPEndPoint.MinPort and <= IPEndPoint.MaxPort ? value
            : throw new ArgumentOutOfRangeException(nameof(Port), value, $"Dashboard: a port is a number from 1 to {IPEndPoint.MaxPort} (0 for a free one), got {value}.");
    }

    /// <summary>The run that is training now, by its name on the page (its folder relative to <see cref="LogDirectory"/>,
    /// '/'-separated): the page opens on it. Null when the dashboard shows past runs.</summary>
    public string? LiveRun { get; init; }

    /// <summary>How often the logs are looked at for new events: every quarter second by default.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is not between a millisecond and a minute.</exception>
    public TimeSpan PollInterval
    {
        get;
        init => field = value >= TimeSpan.FromMilliseconds(1) && value <= TimeSpan.FromMinutes(1) ? value
            : throw new ArgumentOutOfRangeException(nameof(PollInterval), value, $"Dashboard: the poll interval must be between 1 ms and 1 minute, got {value}.");
    } = TimeSpan.FromMilliseconds(250);
}
