using System.Text.Json;

namespace Nabla.Tests.Optim;

/// <summary>
/// Fixtures/torch_optim.json, written by tools/fixtures/torch_optim.py: PyTorch's trajectories on
/// a fixed problem, learning-rate sequences, and clipping results.
/// </summary>
internal sealed record OptimFixture(Problem Problem, List<OptimizerCase> Optimizers, List<SchedulerCase> Schedulers,
    double[] Metrics, ClippingData Clipping)
{
    private static readonly Lazy<OptimFixture> s_value = new(Load);

    public static OptimFixture Value => s_value.Value;

    private static OptimFixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch_optim.json");
        var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<OptimFixture>(stream, options) ?? throw new InvalidDataException($"{path} holds no fixture.");
    }
}

/// <summary>
/// The loss 0.5·Σ(A·X·v − y)² + 0.3·Σ tanh(X)² + 0.05·Σ v⁴ with X [2, 3] and v [3], and an unused
/// parameter u [2] whose gradient stays null.
/// </summary>
internal sealed record Problem(double[] A, double[] Y, double[] X, double[] V, double[] U)
{
    /// <summary>Fresh parameters X, v, u at the fixture's initial values, in <paramref name="dtype"/>.</summary>
    public Tensor[] Parameters(DType dtype) =>
        [Make(X, dtype, 2, 3).RequiresGradient(), Make(V, dtype, 3).RequiresGradient(), Make(U, dtype, 2).RequiresGradient()];

    /// <summary>The loss at X = parameters[0], v = parameters[1].</summary>
    public Tensor Loss(Tensor[] parameters)
    {
        var (x, v) = (parameters[0], parameters[1]);
        var r = Make(A, x.DType, 4, 2).MatMul(x).MatMul(v) - Make(Y, x.DType, 4);
        return 0.5 * r.Pow(2).Sum() + 0.3 * x.Tanh().Pow(2).Sum() + 0.05 * v.Pow(4).Sum();
    }

    /// <summary>ZeroGrad, loss, Backward: PyTorch's closure.</summary>
    public Tensor Closure(Nabla.Optim.Optimizer optimizer, Tensor[] parameters)
    {
        optimizer.ZeroGrad();
        var loss = Loss(parameters);
        loss.Backward();
        return loss;
    }

    private static Tensor Make(double[] values, DType dtype, params int[] shape) => dtype == DType.Float64
        ? Tensor.FromArray(values, shape)
        : Tensor.FromArray(values.Select(v => (float)v).ToArray(), shape);
}

internal sealed record OptimizerCase(string Name, string Optimizer, string DType, JsonElement Options, int Steps,
    double[][] Trajectory, double[] Losses)
{
    public override string ToString() => Name;
}

internal sealed record SchedulerCase(string Name, string Scheduler, string Optimizer, double Momentum, JsonElement Options,
    double[] Lrs, double[] Momenta);

internal sealed record ClippingCase(string Name, string Kind, JsonElement Options, double? Norm, double[][] Grads);

internal sealed record ClippingData(double[] G1, double[] G2, List<ClippingCase> Cases);
