using Nabla.NN;

namespace Nabla.Tests.NN;

/// <summary>The parameter-free layers beyond the PyTorch fixture: gradient checks, Flatten's shapes and bad arguments.</summary>
public sealed class ActivationTests
{
    public static TheoryData<string> Layers() => ["ReLU", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Softmax", "LogSoftmax", "Identity", "Flatten"];

    private static Module Create(string name) => name switch
    {
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU(0.1),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "GELU" => new GELU(),
        "Softmax" => new Softmax(-1),
        "LogSoftmax" => new LogSoftmax(0),
        "Identity" => new Identity(),
        "Flatten" => new Flatten(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown layer"),
    };

    [Theory]
    [MemberData(nameof(Layers))]
    public void Layer_PassesGradCheck_AndHasNoParameters(string name)
    {
        var layer = Create(name);
        // Values away from ReLU's kink at 0.
        var x = Tensor.FromArray([0.5, -1.2, 2.0, -0.3, 1.1, -2.2, 0.7, 0.4, -0.9, 1.6, -0.6, 0.2], 2, 3, 2).RequiresGradient();

        GradCheck.Assert(t => layer.Forward(t[0]), [x]);
        Assert.Empty(layer.StateDict());
    }

    [Theory]
    [InlineData(1, -1, new[] { 2, 24 })]
    [InlineData(0, -1, new[] { 48 })]
    [InlineData(1, 2, new[] { 2, 12, 2 })]
    [InlineData(-2, -1, new[] { 2, 3, 8 })]
    [InlineData(2, 2, new[] { 2, 3, 4, 2 })]
    public void Flatten_MergesTheAxesFromStartToEnd(int start, int end, int[] expected)
    {
        var x = Tensor.Arange(48).Reshape(2, 3, 4, 2);

        var y = new Flatten(start, end).Forward(x);

        Assert.Equal(expected, y.Shape);
        Assert.Equal(x.ToArray<float>(), y.ToArray<float>());
    }

    [Fact]
    public void BadArguments_GetClearErrors()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Flatten(2, 1).Forward(Tensor.Zeros(2, 3, 4)));
        Assert.Contains("Flatten(2, 1): for an input of shape [2, 3, 4] the start axis 2 comes after the end axis 1", e.Message);
        Assert.Contains("axis 3 is out of range", Assert.Throws<ArgumentOutOfRangeException>(() => new Flatten(3).Forward(Tensor.Zeros(2, 3))).Message);
        Assert.Contains("got NaN", Assert.Throws<ArgumentOutOfRangeException>(() => new LeakyReLU(double.NaN)).Message);
        Assert.Contains("axis 2 is out of range", Assert.Throws<ArgumentOutOfRangeException>(() => new Softmax(2).Forward(Tensor.Zeros(2, 3))).Message);
        Assert.Contains("Int32", Assert.Throws<ArgumentException>(() => new ReLU().Forward(Tensor.FromArray([1, 2]))).Message);
        Assert.Contains("Dropout: expected a floating-point tensor, got Int32", Assert.Throws<ArgumentException>(() => new Dropout().Forward(Tensor.FromArray([1, 2]))).Message);
    }
}
