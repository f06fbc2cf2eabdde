using System.Text.Json;
using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;
using Nabla.Training;

namespace Nabla.Tests.Training;

/// <summary>
/// Trainer.Fit against PyTorch's training loop in Float64, from Fixtures/torch_train.json, which
/// tools/fixtures/torch_train.py wrote: per-epoch loss, accuracy, validation loss and accuracy,
/// the final weights (with gradients clipped by value, by norm, or both in that order), and GradientDiagnostics.Inspect's gradient norms after the first backward pass.
/// </summary>
public class TrainerTorchReferenceTests
{
    private static readonly Lazy<Fixture> s_fixture = new(Fixture.Load);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in s_fixture.Value.Cases) names.Add(c.Name);
        return names;
    }

    /// <summary>fc2(tanh(fc1(x))), the network the fixture script trains.</summary>
    private sealed class TanhNet(int inputs, int hidden, int outputs) : Module
    {
        private readonly Linear _fc1 = new(inputs, hidden, dtype: DType.Float64), _fc2 = new(hidden, outputs, dtype: DType.Float64);

        public override Tensor Forward(Tensor input) => _fc2.Forward(_fc1.Forward(input).Tanh());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Fit_MatchesPyTorch_EpochByEpoch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var (model, trainer) = Build(c);
        var history = trainer.Fit(new DataLoader(c.XTensor, c.YTensor, c.BatchSize, dropLast: c.DropLast), c.Epochs,
            new DataLoader(c.XValTensor, c.YValTensor, 64));

        Assert.Equal(c.Epochs, history.Epochs.Count);
        AssertClose($"{name}: loss", c.Loss, history.Loss);
        AssertClose($"{name}: validation loss", c.ValLoss, history.ValidationLoss);
        if (c.Accuracy[0] is null)
        {
            Assert.Empty(history.Accuracy);
            Assert.Empty(history.ValidationAccuracy);
        }
        else
        {
            Assert.Equal(c.Accuracy.Select(a => a!.Value), history.Accuracy);
            Assert.Equal(c.ValAccuracy.Select(a => a!.Value), history.ValidationAccuracy);
        }
        Assert.All(history.LearningRate, lr => Assert.Equal(c.Settings["lr"], lr));
        var state = model.StateDict();
        foreach (var (key, expected) in c.Final) expected.AssertClose($"{name}: final {key}", state[key]);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Inspect_GradientNorms_MatchPyTorch(string name)
    {
        var c = s_fixture.Value.Cases.Single(c => c.Name == name);
        var (model, trainer) = Build(c);
        var firstBatch = new DataLoader(c.XTensor, c.YTensor, c.BatchSize).First();
        trainer.Loss.Forward(model.Forward(firstBatch.Inputs), firstBatch.Targets).Backward();
        var report = new GradientDiagnostics().Inspect(model);
        Assert.Equal(c.FirstGradNorms.Keys.Order(), report.Parameters.Select(p => p.Name).Order());
        foreach (var p in report.Parameters)
            Assert.True(Math.Abs(p.GradientNorm - c.FirstGradNorms[p.Name]) <= 1e-10 * c.FirstGradNorms[p.Name],
                $"{name}: gradient norm of {p.Name}: Nabla {p.GradientNorm:R}, PyTorch {c.FirstGradNorms[p.Name]:R}");
    }

    private static (Module Model, Trainer Trainer) Build(Case c)
    {
        int outputs = c.LossName == "cross_entropy" ? (int)c.Y.Values.Max() + 1 : c.Y.Shape[1];
        var model = new TanhNet(c.X.Shape[1], c.Initial["fc1.weight"].Shape[0], outputs);
        model.LoadStateDict(c.Initial.ToDictionary(kv => kv.Key, kv => Tensor.FromArray(kv.Value.Values, kv.Value.Shape)));
        Loss loss = c.LossName == "cross_entropy" ? new CrossEntropyLoss() : new MseLoss();
        Optimizer optimizer = c.OptimizerName == "sgd"
            ? new Sgd(model.Parameters(), c.Settings["lr"], momentum: c.Settings["momentum"])
            : new Adam(model.Parameters(), c.Settings["lr"]);
        return (model, new Trainer(model, loss, optimizer) { ClipGradValue = c.ClipGradValue, ClipGradNorm = c.ClipGradNorm });
    }

    private static void AssertClose(string what, IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= TensorData.RelativeTolerance * Math.Abs(expected[i]) + TensorData.AbsoluteFloor,
                $"{what}, epoch {i + 1}: Nabla {actual[i]:R}, PyTorch {expected[i]:R}");
    }

    private sealed record Case(string Name, string LossName, string OptimizerName, Dictionary<string, double> Settings,
        int BatchSize, bool DropLast, double? ClipGradValue, double? ClipGradNorm, int Epochs, TensorData X, TensorData Y, TensorData XVal, TensorData YVal,
        Dictionary<string, TensorData> Initial, Dictionary<string, TensorData> Final, Dictionary<string, double> FirstGradNorms,
        double[] Loss, double?[] Accuracy, double[] ValLoss, double?[] ValAccuracy)
    {
        public Tensor XTensor => Tensor.FromArray(X.Values, X.Shape);
        public Tensor XValTensor => Tensor.FromArray(XVal.Values, XVal.Shape);
        public Tensor YTensor => Targets(Y);
        public Tensor YValTensor => Targets(YVal);

        /// <summary>Class labels as Int32 for cross-entropy, values as Float64 for MSE.</summary>
        private Tensor Targets(TensorData data) => LossName == "cross_entropy"
            ? Tensor.FromArray(data.Values.Select(v => (int)v).ToArray(), data.Shape)
            : Tensor.FromArray(data.Values, data.Shape);
    }

    private sealed class Fixture
    {
        public required List<Case> Cases { get; init; }

        public static Fixture Load()
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "torch_train.json");
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var cases = new List<Case>();
            foreach (var e in doc.RootElement.GetProperty("cases").EnumerateArray())
            {
                cases.Add(new Case(
                    e.GetProperty("name").GetString()!, e.GetProperty("lossFunction").GetString()!, e.GetProperty("optimizer").GetString()!,
                    e.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()),
                    e.GetProperty("batchSize").GetInt32(), e.GetProperty("dropLast").GetBoolean(),
                    OptionalDouble(e.GetProperty("clipGradValue")), OptionalDouble(e.GetProperty("clipGradNorm")),
                    e.GetProperty("epochs").GetInt32(),
                    ReadTensor(e.GetProperty("x")), ReadTensor(e.GetProperty("y")), ReadTensor(e.GetProperty("xVal")), ReadTensor(e.GetProperty("yVal")),
                    ReadState(e.GetProperty("initial")), ReadState(e.GetProperty("final")),
                    e.GetProperty("firstGradNorms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()),
                    Doubles(e.GetProperty("loss")), Nullables(e.GetProperty("accuracy")),
                    Doubles(e.GetProperty("valLoss")), Nullables(e.GetProperty("valAccuracy"))));
            }
            return new Fixture { Cases = cases };
        }

        private static TensorData ReadTensor(JsonElement e) => new(
            [.. e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32())], Doubles(e.GetProperty("values")));

        private static Dictionary<string, TensorData> ReadState(JsonElement e) => e.EnumerateObject().ToDictionary(p => p.Name, p => ReadTensor(p.Value));

        private static double? OptionalDouble(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

        private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

        private static double?[] Nullables(JsonElement e) => [.. e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];
    }
}
