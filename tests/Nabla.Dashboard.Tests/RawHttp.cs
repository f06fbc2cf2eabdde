using System.Net.Sockets;
using System.Text;

namespace Nabla.Dashboard.Tests;

/// <summary>
/// One HTTP request written byte for byte: the request target exactly as given (HttpClient would resolve "..", as a
/// browser does, but an attacker's own client sends what it likes), and any Host header.
/// </summary>
internal static class RawHttp
{
    /// <summary>Sends GET <paramref name="target"/> with <paramref name="host"/> as the Host header; returns the status code and the body.</summary>
    public static async Task<(int Status, string Text)> Get(Uri server, string target, string? host = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        string request = $"GET {target} HTTP/1.1\r\nHost: {host ?? $"{server.Host}:{server.Port}"}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string response = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string statusLine = response[..response.IndexOf("\r\n", StringComparison.Ordinal)];
        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }
}
