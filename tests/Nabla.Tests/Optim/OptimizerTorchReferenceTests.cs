using System.Text.Json;
using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>
/// Every optimizer and option against PyTorch 1.13: the parameter trajectory over the fixture's
/// steps on a problem with a non-trivial Hessian, to 1e-6 relative in Float64 (a looser tolerance
/// in Float32), with an unused parameter that must never move.
/// </summary>
public class OptimizerTorchReferenceTests
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in OptimFixture.Value.Optimizers) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void Fixture_CoversEveryOptimizerInBothTypes()
    {
        var cases = OptimFixture.Value.Optimizers;
        string[] kinds = ["sgd", "adagrad", "rmsprop", "adam", "adamw", "lbfgs"];
        foreach (var dtype in new[] { "float64", "float32" })
            Assert.Equal(kinds.Order(), cases.Where(c => c.DType == dtype).Select(c => c.Optimizer).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Trajectory_MatchesPyTorch(string name)
    {
        var c = OptimFixture.Value.Optimizers.Single(c => c.Name == name);
        var problem = OptimFixture.Value.Problem;
        var dtype = c.DType == "float64" ? DType.Float64 : DType.Float32;
        var (relative, absolute) = dtype == DType.Float64 ? (1e-6, 1e-9) : (2e-4, 2e-5);
        var parameters = problem.Parameters(dtype);
        var optimizer = Create(c.Optimizer, c.Options, parameters);

        for (int step = 0; step < c.Steps; step++)
        {
            if (optimizer is Lbfgs lbfgs)
            {
                double loss = lbfgs.Step(() => problem.Closure(optimizer, parameters));
                AssertClose($"{name}: loss returned by step {step + 1}", c.Losses[step], loss, relative, absolute);
            }
            else
            {
                problem.Closure(optimizer, parameters);
                optimizer.Step();
            }
            double[] actual = [.. parameters[0].ToDoubleArray(), .. parameters[1].ToDoubleArray()];
            for (int i = 0; i < actual.Length; i++)
                AssertClose($"{name}: element {i} after step {step + 1}", c.Trajectory[step][i], actual[i], relative, absolute);
            Assert.Null(parameters[2].Grad);
        }
        var initialU = problem.U.Select(v => dtype == DType.Float32 ? (float)v : v);
        Assert.Equal(initialU, parameters[2].ToDoubleArray());
    }

    private static void AssertClose(string what, double expected, double actual, double relative, double absolute) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected) + absolute,
            $"{what}: Nabla {actual:R}, PyTorch {expected:R} (difference {actual - expected:E2})");

    /// <summary>The Nabla optimizer for a fixture case, PyTorch's option names mapped to ours (PyTorch's defaults where absent).</summary>
    internal static Optimizer Create(string kind, JsonElement options, Tensor[] parameters)
    {
        double D(string key, double fallback) => options.TryGetProperty(key, out var e) ? e.GetDouble() : fallback;
        int I(string key, int fallback) => options.TryGetProperty(key, out var e) ? e.GetInt32() : fallback;
        bool B(string key) => options.TryGetProperty(key, out var e) && e.GetBoolean();
        double Beta(int index, double fallback) => options.TryGetProperty("betas", out var e) ? e[index].GetDouble() : fallback;

        return kind switch
        {
            "sgd" => new Sgd(parameters, D("lr", 1e-3), D("momentum", 0), D("dampening", 0), D("weight_decay", 0), B("nesterov"), B("maximize")),
            "adagrad" => new Adagrad(parameters, D("lr", 1e-2), D("lr_decay", 0), D("weight_decay", 0), D("initial_accumulator_value", 0), D("eps", 1e-10), B("maximize")),
            "rmsprop" => new RmsProp(parameters, D("lr", 1e-2), D("alpha", 0.99), D("eps", 1e-8), D("weight_decay", 0), D("momentum", 0), B("centered"), B("maximize")),
            "adam" => new Adam(parameters, D("lr", 1e-3), Beta(0, 0.9), Beta(1, 0.999), D("eps", 1e-8), D("weight_decay", 0), B("amsgrad"), B("maximize")),
            "adamw" => new AdamW(parameters, D("lr", 1e-3), Beta(0, 0.9), Beta(1, 0.999), D("eps", 1e-8), D("weight_decay", 1e-2), B("amsgrad"), B("maximize")),
            "lbfgs" => new Lbfgs(parameters, D("lr", 1), I("max_iter", 20), null, D("tolerance_grad", 1e-7), D("tolerance_change", 1e-9),
                I("history_size", 100), options.TryGetProperty("line_search_fn", out _) ? LineSearch.StrongWolfe : LineSearch.None),
            _ => throw new InvalidDataException($"The fixture names optimizer '{kind}', which this test does not map."),
        };
    }
}
