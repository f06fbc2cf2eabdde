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
        foreach (var (name, value) in expected)
            Assert.Equal(value, Expr.Parse($"{name}(x)").Evaluate(At(x)));
        // The others: the piecewise ones here, the special ones against mpmath below.
        Assert.Equal(Enum.GetValues<MathFunction>().Length, expected.Count + 7);
        Assert.Equal(0.37, Expr.Parse("relu(x)").Evaluate(At(x)));
        Assert.Equal(1, Expr.Parse("heaviside(x)").Evaluate(At(x)));
        Assert.Equal(0.37, Expr.Parse("max(x, -x)").Evaluate(At(x)));
        Assert.Equal(-0.37, Expr.Parse("min(x, -x)").Evaluate(At(x)));
    }

    [Theory]
    [InlineData("relu(x)", -2, 0, 0)]
    [InlineData("relu(x)", 0, 0, 0)]
    [InlineData("relu(x)", 3.5, 0, 3.5)]
    [InlineData("heaviside(x)", -1e-300, 0, 0)]
    [InlineData("heaviside(x)", 0, 0, 0.5)]     // the average of the sides, as SymPy's Heaviside(0)
    [InlineData("heaviside(x)", 1e-300, 0, 1)]
    [InlineData("max(x, y)", 2, -3, 2)]
    [InlineData("min(x, y)", 2, -3, -3)]
    [InlineData("max(x, y)", double.NaN, 1, double.NaN)]
    [InlineData("relu(x)", double.NaN, 0, double.NaN)]
    [InlineData("heaviside(x)", double.NaN, 0, double.NaN)]
    [InlineData("log1p(x)", double.PositiveInfinity, 0, double.PositiveInfinity)]
    [InlineData("log1p(x)", -1, 0, double.NegativeInfinity)]
    [InlineData("log1p(x)", -2, 0, double.NaN)]
    [InlineData("softplus(x)", double.PositiveInfinity, 0, double.PositiveInfinity)]
    [InlineData("softplus(x)", double.NegativeInfinity, 0, 0)]
    [InlineData("sigmoid(x)", double.NegativeInfinity, 0, 0)]
    [InlineData("sigmoid(x)", double.PositiveInfinity, 0, 1)]
    [InlineData("erf(x)", double.PositiveInfinity, 0, 1)]
    public void PiecewiseAndEdgeValues(string text, double x, double y, double expected)
    {
        var e = Expr.Parse(text);
        Assert.Equal(expected, e.Evaluate(At(x, y)));
        Assert.Equal(expected, e.Compile("x", "y")([x, y]));
    }

    public static TheoryData<string> SpecialFunctions() => [.. MpmathFunctions().Select(c => c.Function)];

    [Theory]
    [MemberData(nameof(SpecialFunctions))]
    public void SpecialFunctions_AreAccurateWhereNaiveFormulasFail(string name)
    {
        // Sigmoid, softplus and log1p within 2 ulps of mpmath's correctly rounded value (no overflow of
        // e^−x in sigmoid, no 1 + eˣ rounding to 1 in softplus, no 1 + x rounding in log1p); erf within
        // a relative 1e-15 (8 ulps at most, at 2.5), near 0, on both sides of its switch of method at 3 and in its tails.
        var c = MpmathFunctions().Single(c => c.Function == name);
        var f = Expr.Parse($"{name}(x)");
        for (int i = 0; i < c.X.Length; i++)
        {
            double actual = f.Evaluate(At(c.X[i])), expected = c.Values[i];
            double ulp = Math.Max(Math.BitIncrement(Math.Abs(expected)) - Math.Abs(expected), double.Epsilon);
            double tolerance = name == "erf" ? 1e-15 * Math.Abs(expected) : 2 * ulp;
            Assert.True(Math.Abs(actual - expected) <= tolerance, $"{name}({c.X[i]:R}) = {actual:R}, mpmath {expected:R}");
        }
    }

    private sealed record FunctionValues(string Function, double[] X, double[] Values);

    private static List<FunctionValues> MpmathFunctions()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "mpmath_functions.json")));
        return [.. json.RootElement.GetProperty("cases").EnumerateArray().Select(c => new FunctionValues(
            c.GetProperty("function").GetString()!,
            [.. c.GetProperty("x").EnumerateArray().Select(v => v.GetDouble())],
            [.. c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]))];
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
