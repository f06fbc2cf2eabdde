using System.Globalization;
using Nabla.Data;
using Nabla.Estimators;
using Nabla.Kernels;

namespace Nabla.Bench;

/// <summary>
/// Where <see cref="LogisticRegression"/>'s fit time goes on the anchors' Fashion-MNIST workload:
/// one evaluation of its loss and gradient (<see cref="LogisticLoss"/>, the work of every L-BFGS
/// step) against the whole fit (100 iterations), at 1 and 2 threads.
/// </summary>
/// <remarks>
/// Run with <c>dotnet run -c Release --project bench/Nabla.Bench -- logistic-profile [--quick] [--runs N] [--data DIR]</c>.
/// The evaluation's figures are the minimum and median of 20·N calls at a fixed point near the
/// start of the fit; the fit's is the median of N fits after an untimed one. The fit divided by
/// the median evaluation says how many evaluations' worth of time it took: a little above the
/// number of evaluations the solver made (about 114 for 100 iterations here), the rest being the
/// L-BFGS directions and line search over the 7,850 parameters.
/// </remarks>
public static class LogisticProfile
{
    private const int Features = 784, Classes = 10, MaxIter = 100;

    /// <summary>Runs the measurement and prints one line per thread count and figure.</summary>
    public static void Run(string[] args)
    {
        var (runs, data, quick, _) = RunnerOptions.Parse("logistic-profile", args);
        var fashion = FashionMnist.Load(data);
        int images = quick ? 6_400 : fashion.TrainImages.Shape[0];
        var x = fashion.TrainImages.Slice(0, 0, images);
        var y = fashion.TrainLabels.Slice(0, 0, images);
        var design = new DesignMatrix(x.ToDoubleArray(), images, Features);
        var weights = new double[images];
        Array.Fill(weights, 1.0);
        var loss = new LogisticLoss(design, y.ToArray<int>(), Classes, weights, l2: 1.0, fitIntercept: true);
        var parameters = new double[loss.ParameterCount];
        var random = new Random(0);
        for (int i = 0; i < parameters.Length; i++) parameters[i] = (random.NextDouble() - 0.5) * 1e-3;
        var gradient = new double[loss.ParameterCount];

        Console.WriteLine($"LogisticRegression (lbfgs, {MaxIter} iterations) on {images:N0} Fashion-MNIST images, {Classes} classes; CPU {Environment.ProcessorCount} cores, GEMM path {Gemm.ActivePath}");
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                // One untimed call of each first: the first full-size fit still runs some code at the JIT's first tier.
                loss.Evaluate(parameters, gradient);
                var evaluations = Timing.Sorted(20 * runs, () => loss.Evaluate(parameters, gradient));
                new LogisticRegression(maxIter: MaxIter).Fit(x, y);
                var fits = Timing.Sorted(runs, () => new LogisticRegression(maxIter: MaxIter).Fit(x, y));
                double evaluation = evaluations[evaluations.Length / 2], fit = fits[fits.Length / 2];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"threads {threads}: evaluation min {evaluations[0] * 1e3:F2} ms, median {evaluation * 1e3:F2} ms; fit median {fit:F3} s = {fit / evaluation:F0} median evaluations"));
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
        if (File.Exists("/proc/loadavg"))
            Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
}
