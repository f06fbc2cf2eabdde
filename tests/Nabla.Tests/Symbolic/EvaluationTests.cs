using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

using Autograd = global::Nabla.Autograd;

public class EvaluationTests
{
    private static Dictionary<string, double> At(double x, double y = 0) => new() { ["x"] = x, ["y"] = y };

    [Theory]
    [InlineData("x^2 + y", 3, 1, 10)]
    [InlineData("sigmoid(x)", 0, 0, 0.5)]
    [InlineData("sigmoid(x)", -1000, 0, 0)]
    [InlineData("sqrt(x)*abs(y)", 4, -3, 6)]
    [InlineData("log(x)", -1, 0, double.NaN)]
    [InlineData("1/x", 0, 0, double.PositiveInfinity)]
    [InlineData("x^y", 2, 0.5, 1.4142135623730951)]
    public void Doubles(string text, double x, double y, double expected)
    {
        Assert.Equal(expected, Expr.Parse(text).Evaluate(At(x, y)), 15);
    }

    [Fact]
    public void EveryFunction_MatchesSystemMath()
    {
        double x = 0.37;
        var expected = new Dictionary<string, double>
        {
            ["sin"] = Math.Sin(x), ["cos"] = Math.Cos(x), ["tan"] = Math.Tan(x), ["exp"] = Math.Exp(x),
            ["log"] = Math.Log(x), ["sqrt"] = Math.Sqrt(x), ["abs"] = Math.Abs(x), ["tanh"] = Math.Tanh(x),
            ["sigmoid"] = 1 / (1 + Math.Exp(-x)), ["asin"] = Math.Asin(x), ["acos"] = Math.Acos(x),
            ["atan"] = Math.Atan(x), ["sinh"] = Math.Sinh(x), ["cosh"] = Math.Cosh(x),
        };
        Assert.Equal(Enum.GetValues<MathFunction>().Length, expected.Count);
        foreach (var (name, value) in expected)
            Assert.Equal(value, Expr.Parse($"{name}(x)").Evaluate(At(x)));
    }

    [Fact]
    public void WithoutVariables()
    {
        Assert.Equal(0.5 + Math.PI, Expr.Parse("2^-1 + pi").Evaluate());
    }

    [Fact]
    public void UnboundVariable_IsNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Expr.Parse("x + rate").Evaluate(At(1)));
        Assert.StartsWith("variable 'rate' has no value (bound: x, y)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Expr.Parse("2*x").Evaluate());
        Assert.StartsWith("variable 'x' has no value (no variables are bound)", ex.Message);
    }

    [Fact]
    public void Tensors_ElementwiseWithBroadcasting()
    {
        var x = Tensor.FromArray(new[] { 0.5, 1.0, 2.0 }, 3);
        var y = Tensor.Scalar(3.0, DType.Float64);
        var e = Expr.Parse("x^2*y + sin(x) - 2^x + tan(x) + sinh(x)*cosh(y)");
        var result = e.Evaluate(new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y });
        Assert.Equal([3], result.Shape);
        Assert.Equal(DType.Float64, result.DType);
        var values = result.ToDoubleArray();
        foreach (var (xv, i) in new[] { 0.5, 1.0, 2.0 }.Select((v, i) => (v, i)))
            Assert.Equal(e.Evaluate(At(xv, 3)), values[i], 1e-13);
    }

    [Fact]
    public void Tensors_Float32()
    {
        var x = Tensor.FromArray(new[] { 0.5f, 1.5f }, 2);
        var result = Expr.Parse("exp(x)/x + sigmoid(x)").Evaluate(new Dictionary<string, Tensor> { ["x"] = x });
        Assert.Equal(DType.Float32, result.DType);
        var values = result.ToDoubleArray();
        Assert.Equal(Math.Exp(0.5) / 0.5 + 1 / (1 + Math.Exp(-0.5)), values[0], 1e-5);
    }

    [Fact]
    public void Tensors_FeedAutodiff()
    {
        // d/dx of x^2*sin(x) by backpropagation through the tensor evaluation, against the symbolic derivative.
        var e = Expr.Parse("x^2*sin(x) + sigmoid(3*x)/x");
        double[] points = [0.3, 1.1, -2.4];
        var x = Tensor.FromArray(points, points.Length).RequiresGradient();
        e.Evaluate(new Dictionary<string, Tensor> { ["x"] = x }).Sum().Backward();
        var grad = x.Grad!.ToDoubleArray();
        var d = e.Differentiate("x");
        for (int i = 0; i < points.Length; i++) Assert.Equal(d.Evaluate(At(points[i])), grad[i], 1e-12);
    }

    [Fact]
    public void Tensors_ConstantExpression_IsAScalarOfTheBoundType()
    {
        var x = Tensor.FromArray(new[] { 1.0 }, 1);
        var result = Expr.Parse("2*pi").Evaluate(new Dictionary<string, Tensor> { ["x"] = x });
        Assert.Equal(DType.Float64, result.DType);
        Assert.Empty(result.Shape);
        Assert.Equal(2 * Math.PI, result.Item());
        Assert.Equal(DType.Float32, Expr.Parse("1").Evaluate(new Dictionary<string, Tensor>()).DType);
    }

    [Theory]
    [InlineData("asin")]
    [InlineData("acos")]
    [InlineData("atan")]
    public void Tensors_InverseTrigonometry_IsNotSupported(string name)
    {
        var x = Tensor.FromArray(new[] { 0.5 }, 1);
        var ex = Assert.Throws<NotSupportedException>(() => Expr.Parse($"{name}(x)").Evaluate(new Dictionary<string, Tensor> { ["x"] = x }));
        Assert.StartsWith($"{name} has no tensor op", ex.Message);
        // With a number argument it folds to a double and works.
        Assert.Equal(MathFunctionValue(name, 0.5), Expr.Parse($"{name}(0.5) + x").Evaluate(new Dictionary<string, Tensor> { ["x"] = x }).ToDoubleArray()[0] - 0.5, 15);
    }

    private static double MathFunctionValue(string name, double v) => name switch
    {
        "asin" => Math.Asin(v),
        "acos" => Math.Acos(v),
        _ => Math.Atan(v),
    };

    [Fact]
    public void Tensors_UnboundVariable_IsNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Expr.Parse("x*w").Evaluate(new Dictionary<string, Tensor> { ["x"] = Tensor.Scalar(1) }));
        Assert.StartsWith("variable 'w' has no value (bound: x)", ex.Message);
    }

    [Fact]
    public void Tensors_SecondDerivative_ThroughDoubleBackward()
    {
        var e = Expr.Parse("sin(x)*exp(x) + x^3");
        double[] points = [0.2, -0.7];
        var x = Tensor.FromArray(points, 2).RequiresGradient();
        var y = e.Evaluate(new Dictionary<string, Tensor> { ["x"] = x });
        var g = Autograd.Grad(y.Sum(), x, createGraph: true);
        var h = Autograd.Grad(g.Sum(), x).ToDoubleArray();
        var d2 = e.Differentiate("x", 2);
        for (int i = 0; i < points.Length; i++) Assert.Equal(d2.Evaluate(At(points[i])), h[i], 1e-12);
    }
}
