using Nabla.Losses;
using Nabla.NN;
using Nabla.Optim;

namespace Nabla.Tests.NN;

/// <summary>
/// The fast training path against PyTorch 1.13 (tools/fixtures/torch_perf.py): a small MLP and CNN
/// trained with Adam and cross-entropy, the loss before every step and the parameters after the
/// last, to 1e-9 relative in Float64. Run with both ways of clearing gradients, so the fused Linear
/// backward is checked both adding into an existing <c>Grad</c> and creating it, and in Float32
/// (the one-pass Adam's vector path and the unpadded max-pool kernel) to a looser tolerance.
/// </summary>
public class TrainingTorchReferenceTests
{
    private static readonly Lazy<Fixture> Cases = new(() => FixtureFile.Load<Fixture>("torch_perf.json"));

    [Theory]
    [InlineData("mlp", true, DType.Float64)]
    [InlineData("mlp", false, DType.Float64)]
    [InlineData("mlp", false, DType.Float32)]
    [InlineData("cnn", true, DType.Float64)]
    [InlineData("cnn", false, DType.Float64)]
    [InlineData("cnn", false, DType.Float32)]
    public void Trajectory_MatchesPyTorch(string name, bool setToNone, DType dtype)
    {
        var c = Cases.Value.Cases.Single(c => c.Name == name);
        var (relative, absolute) = dtype == DType.Float64 ? (1e-9, 1e-12) : (2e-4, 2e-5);
        Module model = name == "mlp"
            ? new Sequential(new Linear(6, 8, dtype: dtype), new ReLU(), new Linear(8, 5, dtype: dtype), new ReLU(), new Linear(5, 3, dtype: dtype))
            : new Sequential(new Conv2d(1, 2, 3, padding: 1, dtype: dtype), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(18, 3, dtype: dtype));
        model.LoadStateDict(c.State.ToDictionary(kv => kv.Key, kv => Tensor.FromArray(kv.Value.Data, kv.Value.Shape).To(dtype)));
        var x = Tensor.FromArray(c.Input, c.InputShape).To(dtype);
        var labels = Tensor.FromArray(c.Labels);
        var optimizer = new Adam(model.Parameters(), learningRate: 0.01);
        var loss = new CrossEntropyLoss();

        for (int step = 0; step < c.Losses.Length; step++)
        {
            optimizer.ZeroGrad(setToNone);
            var value = loss.Forward(model.Forward(x), labels);
            AssertClose($"{name}: loss before step {step + 1}", c.Losses[step], value.Item(), relative, absolute);
            value.Backward();
            optimizer.Step();
        }
        double[] final = [.. model.Parameters().SelectMany(p => p.ToDoubleArray())];
        Assert.Equal(c.FinalParameters.Length, final.Length);
        for (int i = 0; i < final.Length; i++)
            AssertClose($"{name}: parameter element {i} after the last step", c.FinalParameters[i], final[i], relative, absolute);
    }

    [Fact]
    public void Backward_AddsIntoAnExistingGradInPlace()
    {
        var layer = new Linear(3, 2, generator: new Generator(5));
        var x = Tensor.Rand([4, 3], new Generator(6));
        layer.Forward(x).Sum().Backward();
        var weightGrad = layer.Weight.Grad!;
        double[] once = weightGrad.ToDoubleArray();

        layer.Forward(x).Sum().Backward();

        Assert.Same(weightGrad, layer.Weight.Grad);
        Assert.Equal(once.Select(v => (float)(2 * v)), layer.Weight.Grad!.ToArray<float>());
        Assert.Equal(Enumerable.Repeat(8f, 2), layer.Bias!.Grad!.ToArray<float>());
    }

    [Fact]
    public void Grad_LeavesTheParametersGradUntouched()
    {
        var layer = new Linear(3, 2, generator: new Generator(5));
        var x = Tensor.Rand([4, 3], new Generator(6));
        var gradients = Nabla.Autograd.Grad([layer.Forward(x).Sum()], [layer.Weight, layer.Bias!]);

        Assert.Null(layer.Weight.Grad);
        Assert.Null(layer.Bias!.Grad);
        Assert.Equal(Enumerable.Repeat(4f, 2), gradients[1]!.ToArray<float>());
    }

    [Fact]
    public void Linear_NamesBothShapesOnAMismatch()
    {
        var e = Assert.Throws<ShapeMismatchException>(() => Tensor.Linear(Tensor.Zeros(2, 5), Tensor.Zeros(3, 4)));
        Assert.Contains("[2, 5]", e.Message);
        Assert.Contains("[3, 4]", e.Message);
        var b = Assert.Throws<ShapeMismatchException>(() => Tensor.Linear(Tensor.Zeros(2, 4), Tensor.Zeros(3, 4), Tensor.Zeros(4)));
        Assert.Contains("length 3", b.Message);
    }

    private static void AssertClose(string what, double expected, double actual, double relative, double absolute)
    {
        if (Math.Abs(expected - actual) > absolute + relative * Math.Abs(expected))
            Assert.Fail($"{what}: expected {expected:R}, got {actual:R}");
    }

    private sealed record Fixture(CaseData[] Cases);

    private sealed record CaseData(string Name, Dictionary<string, StateTensor> State, int[] InputShape, double[] Input,
        int[] Labels, double[] Losses, double[] FinalParameters);

    private sealed record StateTensor(int[] Shape, double[] Data);
}
