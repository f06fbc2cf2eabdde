using Nabla.Optim;

namespace Nabla.Tests.Optim;

/// <summary>ClipGradNorm and ClipGradValue against torch.nn.utils: the returned norm and the gradients afterwards.</summary>
public class GradientClippingTests
{
    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var c in OptimFixture.Value.Clipping.Cases) names.Add(c.Name);
        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Clipping_MatchesPyTorch(string name)
    {
        var data = OptimFixture.Value.Clipping;
        var c = data.Cases.Single(c => c.Name == name);
        var (a, b, unused) = Parameters(data);
        Tensor[] parameters = [a, b, unused];
        if (c.Kind == "norm")
        {
            var normType = c.Options.TryGetProperty("norm_type", out var t)
                ? t.ValueKind == System.Text.Json.JsonValueKind.String ? double.PositiveInfinity : t.GetDouble()
                : 2;
            double norm = GradientClipping.ClipGradNorm(parameters, c.Options.GetProperty("max_norm").GetDouble(), normType);
            Assert.True(Math.Abs(norm - c.Norm!.Value) <= 1e-12 * c.Norm.Value, $"{name}: norm {norm:R}, PyTorch {c.Norm:R}");
        }
        else
        {
            GradientClipping.ClipGradValue(parameters, c.Options.GetProperty("clip_value").GetDouble());
        }
        new TensorData([3, 4], c.Grads[0]).AssertClose($"{name}: first gradient", a.Grad!);
        new TensorData([5], c.Grads[1]).AssertClose($"{name}: second gradient", b.Grad!);
        Assert.Null(unused.Grad);
    }

    [Fact]
    public void ClipGradNorm_WithoutGradients_ReturnsZero()
    {
        var p = Tensor.Zeros([3], DType.Float64).RequiresGradient();
        Assert.Equal(0, GradientClipping.ClipGradNorm([p], 1.0));
    }

    [Fact]
    public void ClipGradNorm_NonFiniteNorm_ThrowsWhenAsked()
    {
        var p = Tensor.Zeros([2], DType.Float64).RequiresGradient();
        p.Grad = Tensor.FromArray([double.PositiveInfinity, 1.0]);
        var error = Assert.Throws<InvalidOperationException>(() => GradientClipping.ClipGradNorm([p], 1.0, errorIfNonfinite: true));
        Assert.Contains("norm of order 2", error.Message);
        Assert.Equal(double.PositiveInfinity, GradientClipping.ClipGradNorm([p], 1.0));
    }

    [Fact]
    public void ClipGradNorm_Float32_ScalesLikeFloat64()
    {
        var data = OptimFixture.Value.Clipping;
        var p = Tensor.Zeros([3, 4]).RequiresGradient();
        p.Grad = Tensor.FromArray(data.G1.Select(v => (float)v).ToArray(), 3, 4);
        var q = Tensor.Zeros([3, 4], DType.Float64).RequiresGradient();
        q.Grad = Tensor.FromArray(data.G1, 3, 4);
        Assert.Equal(GradientClipping.ClipGradNorm([q], 1.0), GradientClipping.ClipGradNorm([p], 1.0), 5);
        var expected = q.Grad.ToDoubleArray();
        var actual = p.Grad.ToDoubleArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    [Theory]
    [InlineData(-1.0, 2.0, "maxNorm", "max norm must be non-negative, got -1")]
    [InlineData(1.0, 0.0, "normType", "norm type must be positive (or infinity), got 0")]
    [InlineData(1.0, double.NaN, "normType", "norm type must be positive (or infinity), got NaN")]
    public void ClipGradNorm_BadSettings_NameTheValue(double maxNorm, double normType, string parameter, string message)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradNorm([], maxNorm, normType));
        Assert.Equal(parameter, error.ParamName);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void ClipGradValue_NegativeValue_NamesTheValue()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGradValue([], -0.5));
        Assert.StartsWith("clip value must be non-negative, got -0.5", error.Message);
    }

    private static (Tensor A, Tensor B, Tensor Unused) Parameters(ClippingData data)
    {
        var a = Tensor.Zeros([3, 4], DType.Float64).RequiresGradient();
        var b = Tensor.Zeros([5], DType.Float64).RequiresGradient();
        var unused = Tensor.Zeros([2], DType.Float64).RequiresGradient();
        a.Grad = Tensor.FromArray(data.G1, 3, 4);
        b.Grad = Tensor.FromArray(data.G2, 5);
        return (a, b, unused);
    }
}
