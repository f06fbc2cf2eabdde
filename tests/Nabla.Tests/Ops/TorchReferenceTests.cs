using System.Text.Json;

namespace Nabla.Tests.Ops;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Every differentiable op against PyTorch in Float64: the forward values and the gradient of
/// sum(output ⊙ gradOutput) with respect to each input, from Fixtures/torch_ops.json, which
/// tools/fixtures/torch_ops.py wrote. One theory row per fixture case.
/// </summary>
public class TorchReferenceTests
{
    /// <summary>The op names the fixture may use, each mapped to a Nabla call in <see cref="Apply"/>.</summary>
    private static readonly string[] MappedOps =
    [
        "add", "sub", "mul", "div", "add_scalar", "scalar_add", "sub_scalar", "scalar_sub", "mul_scalar",
        "scalar_mul", "div_scalar", "scalar_div", "neg", "exp", "log", "sqrt", "pow_scalar", "pow_tensor", "abs",
        "sin", "cos", "tanh", "erf", "sigmoid", "relu", "leaky_relu", "softplus", "gelu", "softmax", "log_softmax",
        "sum", "mean", "amax", "amin", "var", "matmul", "clamp", "maximum", "minimum", "where", "reshape",
        "transpose", "permute", "squeeze", "unsqueeze", "narrow", "cat", "stack", "gather", "index_select",
    ];

    private static readonly Lazy<Fixture> s_fixture = new(Fixture.Load);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in s_fixture.Value.Cases) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void Fixture_CoversEveryMappedOp_AndNothingElse()
    {
        var inFixture = s_fixture.Value.Cases.Select(c => c.Op).ToHashSet();
        Assert.Equal(MappedOps.Order(), inFixture.Order());
        Assert.Equal(s_fixture.Value.Cases.Count, s_fixture.Value.Cases.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardAndGradients_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var inputs = c.Inputs.Select(ToTensor).ToArray();
        var differentiable = inputs.Where(t => t.RequiresGrad).ToArray();

        var y = Apply(c, inputs);
        Assert.Equal(DType.Float64, y.DType);
        AssertClose($"{name}: output", c.Output, y);

        var gradOutput = Tensor.FromArray(c.GradOutput.Values, c.GradOutput.Shape);
        var expected = c.Grads.Where(g => g is not null).ToArray();

        // Returned gradients (Autograd.Grad), keeping the graph for the second pass.
        var returned = Autograd.Grad([y], differentiable, [gradOutput], retainGraph: true);
        for (int i = 0; i < differentiable.Length; i++)
            AssertClose($"{name}: Autograd.Grad for input {i}", expected[i]!, returned[i]!);
        Assert.All(differentiable, t => Assert.Null(t.Grad));

        // Accumulated gradients (Backward into .Grad).
        y.Backward(gradOutput);
        for (int i = 0; i < differentiable.Length; i++)
            AssertClose($"{name}: Backward .Grad of input {i}", expected[i]!, differentiable[i].Grad!);
    }

    [Fact]
    public void Hessian_OfSumOfSquaredTanh_MatchesPyTorch()
    {
        var h = s_fixture.Value.Hessian;
        var w = Tensor.FromArray(h.W.Values, h.W.Shape);
        var x = Tensor.FromArray(h.X.Values, h.X.Shape).RequiresGradient();
        int n = x.Length;

        var f = w.MatMul(x).Tanh().Pow(2).Sum();
        AssertClose("f(x)", new TensorData([], [h.Value]), f);

        var gradient = Autograd.Grad(f, x, createGraph: true);
        AssertClose("∇f", h.Gradient, gradient);
        Assert.True(gradient.RequiresGrad, "with createGraph the gradient must itself be differentiable");

        var rows = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            var unit = new double[n];
            unit[i] = 1;
            var row = Autograd.Grad(gradient, x, Tensor.FromArray(unit), retainGraph: true);
            row.ToArray<double>().CopyTo(rows, i * n);
        }
        AssertClose("Hessian", h.Hessian, Tensor.FromArray(rows, n, n));

        var hvp = Autograd.Grad(gradient, x, Tensor.FromArray(h.V.Values, h.V.Shape), retainGraph: true);
        AssertClose("Hessian-vector product", h.Hvp, hvp);
        Assert.Null(x.Grad);
    }

    private static Tensor ToTensor(InputData input) => input.DType switch
    {
        "float64" => Tensor.FromArray(input.Values, input.Shape).RequiresGradient(),
        "int64" or "bool" => Tensor.FromArray(input.Values.Select(v => checked((int)v)).ToArray(), input.Shape),
        _ => throw new InvalidDataException($"Unknown input dtype {input.DType} in the fixture."),
    };

    /// <summary>The Nabla call for one fixture op.</summary>
    private static Tensor Apply(Case c, Tensor[] x)
    {
        var p = c.Params;
        double D(string key) => p.GetProperty(key).GetDouble();
        int I(string key) => p.GetProperty(key).GetInt32();
        bool B(string key) => p.GetProperty(key).GetBoolean();
        int? OptI(string key) => p.GetProperty(key).ValueKind == JsonValueKind.Null ? null : I(key);
        double? OptD(string key) => p.GetProperty(key).ValueKind == JsonValueKind.Null ? null : D(key);
        int[] Ints(string key) => p.GetProperty(key).EnumerateArray().Select(e => e.GetInt32()).ToArray();

        return c.Op switch
        {
            "add" => x[0] + x[1],
            "sub" => x[0] - x[1],
            "mul" => x[0] * x[1],
            "div" => x[0] / x[1],
            "add_scalar" => x[0] + D("scalar"),
            "scalar_add" => D("scalar") + x[0],
            "sub_scalar" => x[0] - D("scalar"),
            "scalar_sub" => D("scalar") - x[0],
            "mul_scalar" => x[0] * D("scalar"),
            "scalar_mul" => D("scalar") * x[0],
            "div_scalar" => x[0] / D("scalar"),
            "scalar_div" => D("scalar") / x[0],
            "neg" => -x[0],
            "exp" => x[0].Exp(),
            "log" => x[0].Log(),
            "sqrt" => x[0].Sqrt(),
            "pow_scalar" => x[0].Pow(D("exponent")),
            "pow_tensor" => Tensor.Pow(x[0], x[1]),
            "abs" => x[0].Abs(),
            "sin" => x[0].Sin(),
            "cos" => x[0].Cos(),
            "tanh" => x[0].Tanh(),
            "erf" => x[0].Erf(),
            "sigmoid" => x[0].Sigmoid(),
            "relu" => x[0].Relu(),
            "leaky_relu" => x[0].LeakyRelu(D("negativeSlope")),
            "softplus" => x[0].Softplus(),
            "gelu" => x[0].Gelu(),
            "softmax" => x[0].Softmax(I("axis")),
            "log_softmax" => x[0].LogSoftmax(I("axis")),
            "sum" => x[0].Sum(OptI("axis"), B("keepDims")),
            "mean" => x[0].Mean(OptI("axis"), B("keepDims")),
            "amax" => x[0].Max(OptI("axis"), B("keepDims")),
            "amin" => x[0].Min(OptI("axis"), B("keepDims")),
            "var" => x[0].Var(OptI("axis"), B("keepDims"), I("correction")),
            "matmul" => x[0].MatMul(x[1]),
            "clamp" => x[0].Clamp(OptD("min"), OptD("max")),
            "maximum" => Tensor.Maximum(x[0], x[1]),
            "minimum" => Tensor.Minimum(x[0], x[1]),
            "where" => Tensor.Where(x[0], x[1], x[2]),
            "reshape" => x[0].Reshape(Ints("shape")),
            "transpose" => x[0].Transpose(I("axis0"), I("axis1")),
            "permute" => x[0].Permute(Ints("axes")),
            "squeeze" => x[0].Squeeze(OptI("axis")),
            "unsqueeze" => x[0].Unsqueeze(I("axis")),
            "narrow" => x[0].Slice(I("axis"), I("start"), I("length")),
            "cat" => Tensor.Concat(x, I("axis")),
            "stack" => Tensor.Stack(x, I("axis")),
            "gather" => x[0].Gather(I("axis"), x[1]),
            "index_select" => x[0].IndexSelect(I("axis"), x[1]),
            _ => throw new InvalidDataException($"The fixture names op '{c.Op}', which this test does not map to a Nabla call."),
        };
    }

    private static void AssertClose(string what, TensorData expected, Tensor actual) => expected.AssertClose(what, actual);


    private sealed record InputData(string Name, string DType, int[] Shape, double[] Values);

    private sealed record Case(string Name, string Op, JsonElement Params, InputData[] Inputs,
        TensorData Output, TensorData GradOutput, TensorData?[] Grads);

    private sealed record HessianData(TensorData W, TensorData X, double Value, TensorData Gradient,
        TensorData Hessian, TensorData V, TensorData Hvp);

    private sealed record Fixture(List<Case> Cases, HessianData Hessian)
    {
        public static Fixture Load() => FixtureFile.Load<Fixture>("torch_ops.json");
    }
}
