using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Nabla.Calculus;
using Nabla.Tests.Calculus;

namespace Nabla.Bench;

/// <summary>
/// A plain runner comparing <see cref="Integrate.Adaptive"/> with SciPy's <c>quad</c> on the integrals
/// of the test fixture (tests/Nabla.Tests/Fixtures/scipy_quad.json): evaluations, time per integral
/// and error against the exact value, side by side. SciPy's figures come from bench/scipy_quad_anchor.py,
/// run as a child process with /usr/bin/python3 in the same run.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- integrate [--quick]</c>. Nabla's
/// time per integral is the median of 7 batches (3 with <c>--quick</c>) of about 50 ms each, after a
/// warm-up that reaches the optimised JIT code, the same scheme as the anchor's.
/// </remarks>
public static class IntegrationComparison
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs the SciPy anchor, times Nabla on the same integrals and prints the table.</summary>
    public static void Run(string[] args)
    {
        bool quick = false;
        foreach (var arg in args)
        {
            if (arg == "--quick") quick = true;
            else throw new ArgumentException($"integrate: unknown argument '{arg}'; expected --quick.");
        }
        int repeats = quick ? 3 : 7;

        string root = RepositoryRoot();
        var cases = QuadratureCases.Load(Path.Combine(root, "tests", "Nabla.Tests", "Fixtures", "scipy_quad.json"));
        if (RunAnchor(Path.Combine(root, "bench", "scipy_quad_anchor.py"), repeats) is not { } anchor)
        {
            Environment.Exit(1);
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"Adaptive quadrature: Nabla Integrate.Adaptive vs SciPy {anchor.Version} quad (QUADPACK), epsrel {cases[0].RelativeTolerance:G}, epsabs {cases[0].AbsoluteTolerance:G}");
        Console.WriteLine($"time per integral: median of {repeats} batches of ~50 ms; error = |value − exact| (exact from SymPy)");
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"{"case",-24} {"SciPy n",8} {"Nabla n",8} {"SciPy µs",9} {"Nabla µs",9} {"Nabla/SciPy",11} {"SciPy error",11} {"Nabla error",11}  converged"));
        var ratios = new List<double>();
        foreach (var c in cases)
        {
            var scipy = anchor.Cases[c.Name];
            var result = Integrate.Adaptive(c.F, c.A, c.B, c.RelativeTolerance, c.AbsoluteTolerance);
            double us = MicrosecondsPerCall(() => Integrate.Adaptive(c.F, c.A, c.B, c.RelativeTolerance, c.AbsoluteTolerance), repeats);
            double ratio = us / scipy.Microseconds;
            if (c.ScipyConverged && result.Converged) ratios.Add(ratio);
            Console.WriteLine(string.Create(inv,
                $"{c.Name,-24} {scipy.Evaluations,8} {result.Evaluations,8} {scipy.Microseconds,9:F2} {us,9:F2} {ratio,11:F3} {Math.Abs(scipy.Value - c.Exact),11:G2} {Math.Abs(result.Value - c.Exact),11:G2}  {(c.ScipyConverged ? "both" : result.Converged ? "Nabla only" : "neither")}"));
        }
        double geometricMean = Math.Exp(ratios.Average(Math.Log));
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"geometric mean of Nabla/SciPy time over the {ratios.Count} integrals both converge on: {geometricMean:F3} ({1 / geometricMean:F1}× faster)"));
    }

    private sealed record AnchorCase(double Value, int Evaluations, double Microseconds);

    private sealed record Anchor(string Version, Dictionary<string, AnchorCase> Cases);

    /// <summary>Runs the SciPy anchor script; null (after saying why on stderr) when Python or SciPy is missing.</summary>
    private static Anchor? RunAnchor(string script, int repeats)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--repeats");
        start.ArgumentList.Add(repeats.ToString(CultureInfo.InvariantCulture));
        Console.Error.WriteLine($"integrate: timing SciPy's quad ({Python} {Path.GetFileName(script)}) ...");
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            Console.Error.WriteLine($"integrate: cannot run {Python} ({e.Message}); the SciPy anchor needs Python 3 with SciPy and SymPy: sudo apt-get install -y python3-scipy python3-sympy");
            return null;
        }
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"integrate: the SciPy anchor failed (exit code {process.ExitCode}):");
            Console.Error.WriteLine(stderr.Result.TrimEnd());
            return null;
        }

        using var doc = JsonDocument.Parse(stdout);
        var cases = doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(
            c => c.GetProperty("name").GetString()!,
            c => new AnchorCase(c.GetProperty("value").GetDouble(), c.GetProperty("neval").GetInt32(), c.GetProperty("us_per_call").GetDouble()));
        return new Anchor(doc.RootElement.GetProperty("scipy").GetString()!, cases);
    }

    private static double MicrosecondsPerCall(Action call, int repeats)
    {
        // Warm up past tiered compilation, then size a batch to about 50 ms.
        var clock = Stopwatch.StartNew();
        int calls = 0;
        while (clock.ElapsedMilliseconds < 300 || calls < 3)
        {
            call();
            calls++;
        }
        int batch = Math.Max(1, (int)(calls * 0.05 / clock.Elapsed.TotalSeconds));
        var perCall = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < batch; i++) call();
            perCall[r] = (double)(Stopwatch.GetTimestamp() - t0) / Stopwatch.Frequency / batch * 1e6;
        }
        Array.Sort(perCall);
        return perCall[repeats / 2];
    }

    /// <summary>The folder holding Nabla.slnx, searched upwards from the working directory and from the program's folder.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Nabla.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException("integrate: cannot find the repository (Nabla.slnx) above the working directory; run from inside the repository.");
    }
}
