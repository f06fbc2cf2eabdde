using System.Text;
using Microsoft.AspNetCore.Http;

namespace Nabla.Dashboard;

/// <summary>
/// <c>GET /api/stream?run=A&amp;run=B</c>: Server-Sent Events that keep the page live. At once the list of runs
/// (<c>runs</c>) and each asked-for run whole (<c>run</c>); then, whenever the folder changes, the list again if it
/// changed and each asked-for run's new events only.
/// </summary>
/// <remarks>
/// One stream carries every run the page shows, since a browser opens at most six connections to a host. When the
/// server stops (the training ended), each stream first sends what the last look at the folder found, so the page
/// ends with the run's last epoch and its end.
/// </remarks>
internal static class EventStream
{
    /// <summary>The most runs one stream follows: more curves than that on one chart are unreadable anyway.</summary>
    public const int MaxRuns = 32;

    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(15);
    private static readonly byte[] Ping = ": ping\n\n"u8.ToArray();

    /// <summary>Serves the stream until the page leaves or <paramref name="stopping"/> fires.</summary>
    public static async Task Serve(HttpContext context, RunWatcher watcher, string logDirectory, string? live, CancellationToken stopping)
    {
        var names = context.Request.Query["run"].Distinct(StringComparer.Ordinal).OfType<string>().ToList();
        if (names.Count > MaxRuns)
        {
            await DashboardResponses.Text(context, StatusCodes.Status400BadRequest, $"A stream follows at most {MaxRuns} runs; {names.Count} were asked for.");
            return;
        }
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        var sent = new Dictionary<string, (long Version, RunJson.Sent Count)>(StringComparer.Ordinal);
        byte[]? lastList = null;
        var token = context.RequestAborted;
        try
        {
            while (true)
            {
                var changed = watcher.Changed;
                var snapshot = watcher.Current;
                byte[] list = RunJson.Runs(snapshot, logDirectory, live);
                if (lastList is null || !list.AsSpan().SequenceEqual(lastList))
                {
                    await Send(response, "runs", list, token);
                    lastList = list;
                }
                foreach (string name in names)
                {
                    if (snapshot.Find(name) is not { } run) continue;
                    var before = sent.GetValueOrDefault(name, (-1, default));
                    if (before.Version == run.Version) continue;
                    byte[] update = RunJson.Update(run, before.Count, out var now);
                    await Send(response, "run", update, token);
                    sent[name] = (run.Version, now);
                }
                await response.Body.FlushAsync(token);
                if (stopping.IsCancellationRequested) return;
                // The page hears of a change as soon as the watcher sees it; a ping now and then keeps proxies from closing the stream.
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(token, stopping);
                var done = await Task.WhenAny(changed, Task.Delay(PingInterval, wait.Token));
                await wait.CancelAsync();
                if (done != changed && !stopping.IsCancellationRequested)
                {
                    await response.Body.WriteAsync(Ping, token);
                    await response.Body.FlushAsync(token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The page went away.
        }
    }

    private static async Task Send(HttpResponse response, string kind, byte[] json, CancellationToken token)
    {
        // The JSON is one line (compact, control characters escaped), as a data field must be.
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {kind}\ndata: "), token);
        await response.Body.WriteAsync(json, token);
        await response.Body.WriteAsync("\n\n"u8.ToArray(), token);
    }
}
