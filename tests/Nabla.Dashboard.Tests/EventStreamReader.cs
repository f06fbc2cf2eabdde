using System.Text;
using System.Text.Json;

namespace Nabla.Dashboard.Tests;

/// <summary>Reads a Server-Sent Events stream as a browser's EventSource does: each event's name and its data, parsed as JSON.</summary>
internal sealed class EventStreamReader(Stream stream) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The next event: its name and data; null when the server closed the stream.</summary>
    /// <exception cref="TimeoutException">No whole event came within half a minute.</exception>
    public async Task<(string Kind, JsonElement Data)?> Next()
    {
        using var timeout = new CancellationTokenSource(Patience);
        string kind = "message";
        var data = new StringBuilder();
        try
        {
            while (await _reader.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length == 0) continue;
                    return (kind, JsonDocument.Parse(data.ToString()).RootElement.Clone());
                }
                if (line.StartsWith(':')) continue;
                if (line.StartsWith("event: ", StringComparison.Ordinal)) kind = line["event: ".Length..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line["data: ".Length..]);
                else throw new InvalidDataException($"Not a line of an event stream: '{line}'.");
            }
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No whole event came within {Patience.TotalSeconds} s.");
        }
    }

    /// <summary>The next event named <paramref name="kind"/>, skipping others.</summary>
    public async Task<JsonElement> NextOf(string kind)
    {
        while (await Next() is { } next)
            if (next.Kind == kind) return next.Data;
        throw new EndOfStreamException($"The stream ended before an event '{kind}'.");
    }

    public void Dispose() => _reader.Dispose();
}
