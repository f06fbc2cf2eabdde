using System.Globalization;

namespace Nabla.Bench;

/// <summary>The options the side-by-side runners share: <c>--runs N</c>, <c>--data DIR</c>, <c>--quick</c>, <c>--json</c>.</summary>
/// <param name="Runs">Runs per figure (the median is reported).</param>
/// <param name="Data">The Fashion-MNIST folder, or null for the default next to the repository.</param>
/// <param name="Quick">The anchors' cut-down sizes.</param>
/// <param name="Json">One JSON line instead of a table.</param>
internal sealed record RunnerOptions(int Runs, string? Data, bool Quick, bool Json)
{
    /// <summary>Reads <paramref name="args"/>; <paramref name="runner"/> names the runner in errors.</summary>
    /// <exception cref="ArgumentException">An unknown argument, or --runs below 1.</exception>
    public static RunnerOptions Parse(string runner, string[] args)
    {
        var options = new RunnerOptions(3, null, false, false);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length:
                    int runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    if (runs < 1) throw new ArgumentException($"{runner}: --runs must be at least 1, got {runs}.");
                    options = options with { Runs = runs };
                    break;
                case "--data" when i + 1 < args.Length:
                    options = options with { Data = args[++i] };
                    break;
                case "--quick":
                    options = options with { Quick = true };
                    break;
                case "--json":
                    options = options with { Json = true };
                    break;
                default:
                    throw new ArgumentException($"{runner}: unknown argument '{args[i]}'; expected --runs N, --data DIR, --quick or --json.");
            }
        }
        return options;
    }
}
