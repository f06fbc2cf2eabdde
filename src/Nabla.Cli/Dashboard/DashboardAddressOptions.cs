using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace Nabla.Cli;

/// <summary>
/// <c>--host</c> and the port of a dashboard (<c>nabla dashboard --port</c>, <c>nabla train --dashboard [PORT]</c>):
/// parsed into a <see cref="DashboardAddress"/>, with one line naming what was wrong.
/// </summary>
internal static class DashboardAddressOptions
{
    /// <summary>The <c>--host</c> option.</summary>
    public static Option<IPAddress?> Host() => new("--host")
    {
        HelpName = "ADDRESS",
        Description = "The address the dashboard listens on: 127.0.0.1 by default, so only this machine sees it; 0.0.0.0 (or ::) for every network, "
            + "which shows the runs to anyone who can reach this machine (there is no password); or one of this machine's addresses. An IP address, or localhost.",
        CustomParser = ParseHost,
    };

    /// <summary>A port from 1 to 65535, or 0 for a free one; the option's value when it has no token (<c>--dashboard</c> alone) is 0.</summary>
    public static int? ParsePort(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return 0;
        string text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= IPEndPoint.MaxPort) return port;
        result.AddError($"{OptionName(result)} takes a port from 1 to {IPEndPoint.MaxPort} (0 or none for a free one), got '{text}'.");
        return null;
    }

    /// <summary>Prints the warning a dashboard open to other machines deserves, on standard error.</summary>
    public static void WarnIfOpen(DashboardAddress address, Uri page)
    {
        if (address.IsLoopback) return;
        Console.Error.WriteLine($"WARNING: the dashboard listens on {address.Host} (port {page.Port}), not only on this machine: anyone who can reach it sees these runs' "
            + "settings, data file names and curves, and there is no password. Leave out --host to keep it to this machine (127.0.0.1).");
    }

    private static IPAddress? ParseHost(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        // Brackets are how an IPv6 address is written in a URL: accept them.
        string bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (bare.Length > 0 && bare.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':') && IPAddress.TryParse(bare, out var address)) return address;
        result.AddError($"--host takes an IP address (127.0.0.1, 0.0.0.0 for every network, or one of this machine's) or localhost, got '{text}'.");
        return null;
    }

    private static string OptionName(ArgumentResult result) => result.Parent is OptionResult option ? option.Option.Name : "the port";
}
