using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Nabla.Dashboard;

/// <summary>
/// A live dashboard of run logs: a small web server whose page draws the runs of a log folder (loss and metric curves,
/// learning rate, samples per second, time left, per-layer gradient norms, settings; a tune job's trials), several
/// overlaid, and follows the ones still training through Server-Sent Events. The page and its chart library are in
/// this assembly: nothing is fetched from the network.
/// </summary>
/// <remarks>
/// <para>Security: it listens on 127.0.0.1 unless told otherwise; it answers only requests addressed to it by that
/// address or <c>localhost</c> (a web page elsewhere cannot reach it by renaming its own host to 127.0.0.1, DNS
/// rebinding); it serves the page's own files and the runs it found in the log folder by name, never a path from a
/// request; every string from a log reaches the page as JSON that the page shows as text; the page may run no script
/// or style but its own (Content-Security-Policy).</para>
/// <para>It only reads: logs are opened for reading, shared with the training that appends to them.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var dashboard = await DashboardServer.StartAsync(new DashboardOptions("runs"));
/// Console.WriteLine($"Dashboard: {dashboard.Address}");
/// </code>
/// </example>
public sealed class DashboardServer : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly RunWatcher _watcher;
    private readonly CancellationTokenSource _stopping;
    private bool _stopped, _disposed;

    private DashboardServer(WebApplication app, RunWatcher watcher, CancellationTokenSource stopping, Uri address)
    {
        (_app, _watcher, _stopping, Address) = (app, watcher, stopping, address);
    }

    /// <summary>The page's address, such as http://127.0.0.1:41234/, with the port taken when 0 was asked for.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving <paramref name="options"/>' log folder.</summary>
    /// <param name="options">The folder, address and port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="DirectoryNotFoundException">The log folder does not exist.</exception>
    /// <exception cref="IOException">The address and port cannot be listened on (taken by another program, or not this machine's).</exception>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.LogDirectory);
        string logDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.LogDirectory));
        if (!Directory.Exists(logDirectory))
            throw new DirectoryNotFoundException($"Dashboard: the log folder '{options.LogDirectory}' does not exist.");
        var assets = new PageAssets();
        var watcher = new RunWatcher(logDirectory, options.PollInterval);
        var stopping = new CancellationTokenSource();

        // The empty builder reads no configuration (no appsettings.json from the working folder, no ASPNETCORE_URLS from
        // the environment) and logs nothing: the address is the one asked for, and the command's output stays its own.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Host, options.Port);
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        app.Use(async (context, next) =>
        {
            DashboardResponses.Secure(context.Response);
            if (allowedHosts.Count > 0 && !allowedHosts.Contains(context.Request.Host.Value ?? ""))
            {
                await DashboardResponses.Text(context, StatusCodes.Status421MisdirectedRequest,
                    $"This dashboard answers only at {string.Join(" or ", allowedHosts.Select(host => $"http://{host}/"))}.");
                return;
            }
            await next(context);
        });
        app.MapGet("/", context => Asset(context, assets, PageAssets.IndexName));
        app.MapGet("/assets/{name}", context => Asset(context, assets, (string)context.Request.RouteValues["name"]!));
        // Browsers ask for it on their own: an empty answer keeps their console free of a 404.
        app.MapGet("/favicon.ico", context =>
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapGet("/api/runs", context => DashboardResponses.Json(context, RunJson.Runs(watcher.Current, logDirectory, options.LiveRun)));
        app.MapGet("/api/run", context =>
        {
            string? name = context.Request.Query["name"];
            return name is not null && watcher.Current.Find(name) is { } run
                ? DashboardResponses.Json(context, RunJson.Update(run, default, out _))
                : DashboardResponses.Text(context, StatusCodes.Status404NotFound, "No run of that name in the log folder.");
        });
        app.MapGet("/api/stream", context => EventStream.Serve(context, watcher, logDirectory, options.LiveRun, stopping.Token));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await app.DisposeAsync();
            stopping.Dispose();
            throw new IOException($"Dashboard: cannot listen on {Endpoint(options.Host, options.Port)}: {e.Message}", e);
        }
        watcher.Start();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        address = new UriBuilder(address) { Path = "/" }.Uri;
        if (IPAddress.IsLoopback(options.Host))
        {
            allowedHosts.Add($"{Endpoint(options.Host, address.Port)}");
            allowedHosts.Add($"localhost:{address.Port}");
        }
        return new DashboardServer(app, watcher, stopping, address);
    }

    /// <summary>
    /// Stops serving, once the pages open now were sent what the log folder holds at this moment (a run's last epoch
    /// and its end). Waits at most a few seconds for them.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        _watcher.Refresh();
        await _stopping.CancelAsync();
        using var timeout = new CancellationTokenSource(StopTimeout);
        await _app.StopAsync(timeout.Token);
        _watcher.Dispose();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    /// <summary>Stops serving (<see cref="StopAsync"/>) and frees the server, blocking until done: for callers that are not asynchronous.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static Task Asset(HttpContext context, PageAssets assets, string name) =>
        assets.TryGet(name, out byte[] content, out string contentType)
            ? DashboardResponses.File(context, content, contentType)
            : DashboardResponses.Text(context, StatusCodes.Status404NotFound, "No such file.");

    private static string Endpoint(IPAddress host, int port) =>
        host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]:{port}" : $"{host}:{port}";
}
