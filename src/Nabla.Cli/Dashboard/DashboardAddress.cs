using System.Net;

namespace Nabla.Cli;

/// <summary>Where a dashboard listens: <c>--host</c> and the port, read and checked.</summary>
/// <param name="Host">The address; 127.0.0.1 unless <c>--host</c> said otherwise.</param>
/// <param name="Port">The port; 0 for a free one.</param>
internal sealed record DashboardAddress(IPAddress Host, int Port)
{
    /// <summary>Whether only this machine can reach it.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Host);
}
