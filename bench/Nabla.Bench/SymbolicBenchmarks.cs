using BenchmarkDotNet.Attributes;
using Nabla.Symbolic;

namespace Nabla.Bench;

/// <summary>
/// A symbolic derivative evaluated a million times: the compiled delegate against walking the
/// tree, over the same points. Also the one-off costs: differentiating and compiling.
/// </summary>
[MemoryDiagnoser]
public class SymbolicBenchmarks
{
    private const int Points = 1_000_000;
    private static readonly Expr s_expression = Expr.Parse("x^2*sin(x)");
    private static readonly Expr s_derivative = s_expression.Differentiate("x");   // x^2*cos(x) + 2*x*sin(x)
    private static readonly Func<double, double> s_compiled = s_derivative.Compile("x");

    /// <summary>The compiled derivative at a million points; the figure is per call.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Points)]
    public double Compiled()
    {
        double sum = 0;
        for (int i = 0; i < Points; i++) sum += s_compiled(i * 1e-6);
        return sum;
    }

    /// <summary>The same through <see cref="Expr.Evaluate(IReadOnlyDictionary{string, double})"/>; per call.</summary>
    [Benchmark(OperationsPerInvoke = Points)]
    public double TreeWalk()
    {
        var at = new Dictionary<string, double> { ["x"] = 0 };
        double sum = 0;
        for (int i = 0; i < Points; i++)
        {
            at["x"] = i * 1e-6;
            sum += s_derivative.Evaluate(at);
        }
        return sum;
    }

    /// <summary>Parsing, differentiating and simplifying the expression.</summary>
    [Benchmark]
    public Expr Differentiate() => Expr.Parse("x^2*sin(x)").Differentiate("x");

    /// <summary>Compiling the derivative to a delegate.</summary>
    [Benchmark]
    public Func<double, double> Compile() => s_derivative.Compile("x");
}
