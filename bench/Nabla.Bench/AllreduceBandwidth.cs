using System.Diagnostics;
using System.Globalization;
using Nabla.Distributed;
using Nabla.Estimators;

namespace Nabla.Bench;

/// <summary>
/// The time of one float allreduce (sum) through <see cref="MpiCommunicator"/>, for messages of
/// 1 KB to 64 MB (powers of 4), and the cost model t(n) = α + β·n fitted to it: α the latency of
/// one call, 1/β the bandwidth that large messages approach. Run under mpirun; rank 0 prints.
/// </summary>
/// <remarks>
/// Run with <c>mpirun -np 2 dotnet Nabla.Bench.dll allreduce-bandwidth [--seconds S]</c>
/// (bench/allreduce-bandwidth.sh runs it over shared memory and over TCP). Each size is first run
/// twice untimed, then in batches of calls between barriers, as many as fill about S seconds
/// (default 0.3) a batch; each batch's time per call is the slowest rank's. The table shows the
/// median and the fastest of 5 batches; the bandwidth (the algorithm bandwidth, message bytes /
/// time, as nccl-tests report it) and the fit use the fastest, which on a machine shared with
/// other work is the one least slowed by it.
/// <para>
/// The fit is least squares on relative error (each size's residual divided by its time): plain
/// least squares would let the 64 MB times decide α too, which is then only noise around zero.
/// </para>
/// </remarks>
public static class AllreduceBandwidth
{
    /// <summary>Runs the measurement on every rank and prints the table and the fit on rank 0.</summary>
    public static void Run(string[] args)
    {
        double seconds = 0.3;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--seconds" && i + 1 < args.Length) seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else throw new ArgumentException($"allreduce-bandwidth: unknown argument '{args[i]}'; expected --seconds S.");
        }
        if (!Communicator.LaunchedByMpirun)
            throw new InvalidOperationException("allreduce-bandwidth: run it under mpirun, e.g. mpirun -np 2 dotnet Nabla.Bench.dll allreduce-bandwidth.");

        using var comm = new MpiCommunicator();
        var sizes = new List<long>();
        for (long bytes = 1 << 10; bytes <= 64 << 20; bytes *= 4) sizes.Add(bytes);
        var batches = sizes.Select(bytes => TimesPerCall(comm, (int)(bytes / sizeof(float)), seconds)).ToArray();
        if (!comm.IsRoot) return;

        double[] best = [.. batches.Select(b => b[0])];
        Console.WriteLine($"ranks: {comm.Size}");
        Console.WriteLine($"{"size",10} {"median µs",12} {"best µs",12} {"algbw GB/s",11}");
        for (int i = 0; i < sizes.Count; i++)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Size(sizes[i]),10} {batches[i][batches[i].Length / 2] * 1e6,12:F1} {best[i] * 1e6,12:F1} {sizes[i] / best[i] / 1e9,11:F2}"));
        var (alpha, beta) = FitRelative(sizes, best);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fit t(n) = α + β·n: α = {alpha * 1e6:F1} µs, 1/β = {1 / beta / 1e9:F2} GB/s"));
    }

    /// <summary>Each batch's time of one allreduce of <paramref name="count"/> floats, the slowest rank's, sorted (fastest first).</summary>
    private static double[] TimesPerCall(Communicator comm, int count, double seconds)
    {
        var values = new float[count];
        comm.AllReduce(values);
        comm.AllReduce(values);
        // Rank 0's estimate of the calls that fill a batch, shared so every rank makes the same number of calls.
        var clock = Stopwatch.StartNew();
        comm.AllReduce(values);
        double[] callsPerBatch = [Math.Clamp(Math.Ceiling(seconds / Math.Max(clock.Elapsed.TotalSeconds, 1e-7)), 1, 100_000)];
        comm.Broadcast(callsPerBatch);
        var batches = new double[5];
        for (int b = 0; b < batches.Length; b++)
        {
            comm.Barrier();
            clock.Restart();
            for (int c = 0; c < callsPerBatch[0]; c++) comm.AllReduce(values);
            double[] perCall = [clock.Elapsed.TotalSeconds / callsPerBatch[0]];
            comm.AllReduce(perCall, ReduceOperation.Max);
            batches[b] = perCall[0];
        }
        Array.Sort(batches);
        return batches;
    }

    /// <summary>α and β of t = α + β·n by least squares on t's relative error: 1 ≈ α·(1/t) + β·(n/t), without intercept.</summary>
    private static (double Alpha, double Beta) FitRelative(IReadOnlyList<long> bytes, double[] times)
    {
        var x = new double[times.Length * 2];
        for (int i = 0; i < times.Length; i++) (x[2 * i], x[2 * i + 1]) = (1 / times[i], bytes[i] / times[i]);
        var fit = new LinearRegression(fitIntercept: false).Fit(Tensor.FromArray(x, times.Length, 2), Tensor.FromArray(Enumerable.Repeat(1.0, times.Length).ToArray()));
        double[] coef = fit.Coef.ToDoubleArray();
        return (coef[0], coef[1]);
    }

    private static string Size(long bytes) => bytes >= 1 << 20 ? $"{bytes >> 20} MB" : $"{bytes >> 10} KB";
}
