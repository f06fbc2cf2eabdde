using System.Text.Json;
using Nabla.Losses;

namespace Nabla.Tests.Losses;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Every loss, reduction and option against PyTorch's torch.nn losses, from Fixtures/torch_losses.json
/// (written by tools/fixtures/torch_losses.py): the value and the gradient with respect to the input,
/// in Float64 to 1e-10 and in Float32 (against PyTorch's float32) to 1e-5. The Float64 gradient is
/// checked twice: by a plain backward pass (the fused kernels) and by a recorded one (createGraph,
/// the tensor-op form of the same derivative).
/// </summary>
public class LossTorchReferenceTests
{
    private const double Float32Relative = 1e-5;
    private const double Float32Absolute = 1e-6;

    private static readonly string[] Losses = ["mse", "l1", "huber", "bce", "bce_logits", "cross_entropy", "nll", "multi_margin"];

    private static readonly Lazy<Fixture> s_fixture = new(Fixture.Load);

    public static TheoryData<string> CaseNames() => new(s_fixture.Value.Cases.Select(c => c.Name));

    [Fact]
    public void Fixture_CoversEveryLossAndReduction()
    {
        var cases = s_fixture.Value.Cases;
        Assert.Equal(Losses.Order(), cases.Select(c => c.Loss).Distinct().Order());
        foreach (var loss in Losses)
            Assert.Equal(["mean", "none", "sum"], cases.Where(c => c.Loss == loss).Select(c => c.Params.GetProperty("reduction").GetString()!).Distinct().Order());
        Assert.Equal(cases.Count, cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Float64_ValueAndGradient_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var input = Tensor.FromArray(c.Input.Values, c.Input.Shape).RequiresGradient();
        var loss = Build(c, DType.Float64).Forward(input, Target(c, DType.Float64));
        Assert.Equal(DType.Float64, loss.DType);
        c.Output.AssertClose($"{name}: loss", loss);

        var gradOutput = Tensor.FromArray(c.GradOutput.Values, c.GradOutput.Shape);
        var recorded = Autograd.Grad(loss, input, gradOutput, createGraph: true);
        c.Grad.AssertClose($"{name}: gradient with createGraph (tensor-op backward)", recorded);

        loss.Backward(gradOutput);
        c.Grad.AssertClose($"{name}: gradient by Backward", input.Grad!);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Float32_ValueAndGradient_MatchPyTorchFloat32(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var input = Tensor.FromArray(c.Input.Values, c.Input.Shape).To(DType.Float32).RequiresGradient();
        var loss = Build(c, DType.Float32).Forward(input, Target(c, DType.Float32));
        Assert.Equal(DType.Float32, loss.DType);
        c.Output32.AssertClose($"{name}: Float32 loss", loss, Float32Relative, Float32Absolute);

        loss.Backward(Tensor.FromArray(c.GradOutput.Values, c.GradOutput.Shape).To(DType.Float32));
        c.Grad32.AssertClose($"{name}: Float32 gradient", input.Grad!, Float32Relative, Float32Absolute);
    }

    private static Tensor Target(Case c, DType dtype) => c.Target.DType switch
    {
        "int64" => Tensor.FromArray(c.Target.Values.Select(v => checked((int)v)).ToArray(), c.Target.Shape),
        "float64" => Tensor.FromArray(c.Target.Values, c.Target.Shape).To(dtype),
        _ => throw new InvalidDataException($"Unknown target dtype {c.Target.DType} in the fixture."),
    };

    /// <summary>The Nabla loss for a fixture case, its weights in <paramref name="dtype"/>.</summary>
    private static Loss Build(Case c, DType dtype)
    {
        var p = c.Params;
        var reduction = p.GetProperty("reduction").GetString() switch
        {
            "mean" => Reduction.Mean,
            "sum" => Reduction.Sum,
            "none" => Reduction.None,
            var other => throw new InvalidDataException($"Unknown reduction {other} in the fixture."),
        };
        Tensor? Weight(string key)
        {
            if (!p.TryGetProperty(key, out var e) || e.ValueKind == JsonValueKind.Null) return null;
            var data = e.Deserialize<TensorData>(Fixture.Options)!;
            return Tensor.FromArray(data.Values, data.Shape).To(dtype);
        }
        double D(string key) => p.GetProperty(key).GetDouble();
        int I(string key) => p.GetProperty(key).GetInt32();

        return c.Loss switch
        {
            "mse" => new MseLoss(reduction),
            "l1" => new L1Loss(reduction),
            "huber" => new HuberLoss(D("delta"), reduction),
            "bce" => new BceLoss(Weight("weight"), reduction),
            "bce_logits" => new BceWithLogitsLoss(Weight("weight"), Weight("posWeight"), reduction),
            "cross_entropy" => new CrossEntropyLoss(Weight("weight"), I("ignoreIndex"), D("labelSmoothing"), reduction),
            "nll" => new NllLoss(Weight("weight"), I("ignoreIndex"), reduction),
            "multi_margin" => new MultiMarginLoss(I("p"), D("margin"), Weight("weight"), reduction),
            _ => throw new InvalidDataException($"The fixture names loss '{c.Loss}', which this test does not map to a Nabla loss."),
        };
    }

    private sealed record TargetData(string DType, int[] Shape, double[] Values);

    private sealed record Case(string Name, string Loss, JsonElement Params, TensorData Input, TargetData Target,
        TensorData GradOutput, TensorData Output, TensorData Grad, TensorData Output32, TensorData Grad32);

    private sealed record Fixture(List<Case> Cases)
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

        public static Fixture Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch_losses.json");
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Fixture>(stream, Options)
                ?? throw new InvalidDataException($"{path} holds no fixture.");
        }
    }
}
