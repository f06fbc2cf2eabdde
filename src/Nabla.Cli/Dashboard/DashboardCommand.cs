using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Nabla.Dashboard;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla dashboard --logdir runs</c>: serves the page of the runs in a log folder (the ones still training follow
/// live) until Ctrl-C.
/// </summary>
internal static class DashboardCommand
{
    /// <summary>Where <c>nabla train</c> writes its run logs by default, and so where this looks by default.</summary>
    private const string DefaultLogDirectory = "runs";

    public static Command Create(Option<bool> verbose)
    {
        var logDirectory = new Option<string>("--logdir")
        {
            HelpName = "DIR",
            Description = $"The folder of run logs: each run a folder holding events.jsonl (nabla train writes them to '{DefaultLogDirectory}' beside --out); runs one and two levels down are found. By default '{DefaultLogDirectory}'.",
            DefaultValueFactory = _ => DefaultLogDirectory,
        };
        var port = new Option<int?>("--port")
        {
            HelpName = "PORT",
            Description = $"The port to listen on, 1 to {IPEndPoint.MaxPort}; by default a free one, printed.",
            CustomParser = DashboardAddressOptions.ParsePort,
        };
        var host = DashboardAddressOptions.Host();
        var command = new Command("dashboard",
            "Serve a page of the runs in a log folder: loss and metric curves, learning rate, samples/s, gradient norms, settings, tune trials; several runs overlaid; runs still training update live. Ctrl-C stops it.")
        {
            logDirectory, port, host,
        };
        command.SetAction(parse => ErrorHandling.Run(parse.GetValue(verbose), () =>
        {
            string folder = parse.GetValue(logDirectory)!;
            if (string.IsNullOrWhiteSpace(folder)) throw new CommandInputException("--logdir needs a folder path, got an empty one.");
            if (File.Exists(folder)) throw new CommandInputException($"--logdir '{folder}' is a file; give the folder of run logs (such as {DefaultLogDirectory}).");
            if (!Directory.Exists(folder))
                throw new CommandInputException($"--logdir '{folder}' does not exist; nabla train writes its run logs to '{DefaultLogDirectory}' beside --out, or where --logdir says.");
            var address = new DashboardAddress(parse.GetValue(host) ?? IPAddress.Loopback, parse.GetValue(port) ?? 0);
            return Serve(folder, address);
        }));
        return command;
    }

    private static int Serve(string folder, DashboardAddress address)
    {
        using var stop = new ManualResetEventSlim();
        // Ctrl-C and SIGTERM (a service manager) stop the server cleanly instead of killing the process mid-answer.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var server = DashboardLaunch.Start(folder, address, liveRun: null, "--port");
        try
        {
            DashboardAddressOptions.WarnIfOpen(address, server.Address);
            TerminalWriter.Out.WriteLine($"Dashboard of {Path.GetFullPath(folder)}: {server.Address}");
            Console.Out.WriteLine("Press Ctrl-C to stop.");
            Console.Out.Flush();
            stop.Wait();
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return ExitCodes.Success;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
    }
}
