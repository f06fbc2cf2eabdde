using System.Text.Json;
using Nabla.NN;

namespace Nabla.Tests.NN;

using Autograd = global::Nabla.Autograd;

/// <summary>
/// Every layer against <c>torch.nn</c> in Float64, from Fixtures/torch_nn.json (written by
/// tools/fixtures/torch_nn.py): the layer is built with the same arguments, PyTorch's state is
/// loaded with <see cref="Module.LoadStateDict"/>, and each step's output, the gradients of
/// sum(output ⊙ gradOutput) for the input and every parameter, and the buffers afterwards
/// (BatchNorm's running statistics over three training steps and an evaluation) must agree to 1e-10.
/// </summary>
public sealed class TorchReferenceTests
{
    private static readonly Lazy<Fixture> s_fixture = new(Fixture.Load);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in s_fixture.Value.Cases) names.Add(c.Name);
        return names;
    }

    [Fact]
    public void Fixture_CoversEveryLayerKind()
    {
        string[] layers = ["Linear", "LayerNorm", "BatchNorm1d", "BatchNorm2d", "Embedding", "Flatten", "ReLU", "LeakyReLU",
            "Sigmoid", "Tanh", "GELU", "Softmax", "LogSoftmax", "Identity"];
        Assert.Equal(layers.Order(), s_fixture.Value.Cases.Select(c => c.Module).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void StepsMatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var layer = Build(c.Module, c.Params);
        Assert.Equal(c.State.Keys, layer.StateDict().Keys);
        layer.LoadStateDict(c.State.ToDictionary(kv => kv.Key, kv => ToTensor(kv.Value, kv.Key == "num_batches_tracked")));

        for (int s = 0; s < c.Steps.Length; s++)
        {
            var step = c.Steps[s];
            string at = $"{name}, step {s} ({step.Mode})";
            if (step.Mode == "train") layer.Train(); else layer.Eval();
            var x = step.Input.DType == "int64"
                ? Tensor.FromArray(step.Input.Values.Select(v => checked((int)v)).ToArray(), step.Input.Shape)
                : Tensor.FromArray(step.Input.Values, step.Input.Shape).RequiresGradient();

            var y = layer.Forward(x);
            step.Output.AssertClose($"{at}: output", y);

            var parameters = layer.NamedParameters().ToArray();
            Tensor[] wrt = [.. x.IsFloatingPoint ? [x] : Array.Empty<Tensor>(), .. parameters.Select(p => p.Parameter)];
            string[] names = [.. x.IsFloatingPoint ? ["input"] : Array.Empty<string>(), .. parameters.Select(p => p.Name)];
            Assert.Equal(step.Grads.Keys.Order(), names.Order());
            if (wrt.Length > 0)
            {
                var grads = Autograd.Grad([y], wrt, [Tensor.FromArray(step.GradOutput.Values, step.GradOutput.Shape)]);
                for (int i = 0; i < wrt.Length; i++)
                    step.Grads[names[i]]!.AssertClose($"{at}: gradient of {names[i]}", grads[i]!);
            }
            var buffers = layer.NamedBuffers().ToDictionary(b => b.Name, b => b.Buffer);
            Assert.Equal(step.Buffers.Keys.Order(), buffers.Keys.Order());
            foreach (var (buffer, expected) in step.Buffers)
                expected.AssertClose($"{at}: buffer {buffer}", buffers[buffer]);
        }
    }

    [Fact]
    public void StateDictNames_AreTorchsForASequentialOfEveryLayer()
    {
        var model = new Sequential(
            new Linear(4, 8), new ReLU(), new LayerNorm(8), new BatchNorm1d(8), new Dropout(0.1), new LeakyReLU(0.2),
            new Sigmoid(), new Tanh(), new GELU(), new Softmax(1), new LogSoftmax(1), new Identity(), new Flatten(),
            new Embedding(10, 4, paddingIndex: 0), new BatchNorm2d(3), new LayerNorm([2, 3], elementwiseAffine: false),
            new BatchNorm1d(2, affine: false, trackRunningStats: false));

        Assert.Equal(s_fixture.Value.StateDictKeys, model.StateDict().Keys);
    }

    private static Module Build(string module, JsonElement p)
    {
        int I(string key) => p.GetProperty(key).GetInt32();
        double D(string key) => p.GetProperty(key).GetDouble();
        bool B(string key) => p.GetProperty(key).GetBoolean();
        int? OptI(string key) => p.GetProperty(key).ValueKind == JsonValueKind.Null ? null : I(key);
        double? OptD(string key) => p.GetProperty(key).ValueKind == JsonValueKind.Null ? null : D(key);
        const DType f64 = DType.Float64;
        return module switch
        {
            "Linear" => new Linear(I("inFeatures"), I("outFeatures"), bias: !p.TryGetProperty("bias", out var bias) || bias.GetBoolean(), dtype: f64),
            "LayerNorm" => new LayerNorm(p.GetProperty("normalizedShape").EnumerateArray().Select(e => e.GetInt32()).ToArray(), D("eps"), B("elementwiseAffine"), f64),
            "BatchNorm1d" => new BatchNorm1d(I("numFeatures"), D("eps"), OptD("momentum"), B("affine"), B("trackRunningStats"), f64),
            "BatchNorm2d" => new BatchNorm2d(I("numFeatures"), D("eps"), OptD("momentum"), B("affine"), B("trackRunningStats"), f64),
            "Embedding" => new Embedding(I("numEmbeddings"), I("embeddingDim"), OptI("paddingIdx"), dtype: f64),
            "Flatten" => new Flatten(I("startAxis"), I("endAxis")),
            "ReLU" => new ReLU(),
            "LeakyReLU" => new LeakyReLU(D("negativeSlope")),
            "Sigmoid" => new Sigmoid(),
            "Tanh" => new Tanh(),
            "GELU" => new GELU(),
            "Softmax" => new Softmax(I("axis")),
            "LogSoftmax" => new LogSoftmax(I("axis")),
            "Identity" => new Identity(),
            _ => throw new InvalidDataException($"The fixture names module '{module}', which this test does not build."),
        };
    }

    private static Tensor ToTensor(TensorData data, bool integer) => integer
        ? Tensor.FromArray(data.Values.Select(v => checked((int)v)).ToArray(), data.Shape)
        : Tensor.FromArray(data.Values, data.Shape);

    private sealed record InputData(string DType, int[] Shape, double[] Values);

    private sealed record Step(string Mode, InputData Input, TensorData GradOutput, TensorData Output,
        Dictionary<string, TensorData?> Grads, Dictionary<string, TensorData> Buffers);

    private sealed record Case(string Name, string Module, JsonElement Params, Dictionary<string, TensorData> State, Step[] Steps);

    private sealed record Fixture(List<Case> Cases, string[] StateDictKeys)
    {
        public static Fixture Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch_nn.json");
            var options = new JsonSerializerOptions { PropertyNameCaseInsensitive = true };
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Fixture>(stream, options)
                ?? throw new InvalidDataException($"{path} holds no fixture.");
        }
    }
}
