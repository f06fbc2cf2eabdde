using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

public class CompilerTests
{
    public static TheoryData<string> Expressions() =>
    [
        "x^2*sin(x)", "x^3 - 2*x + 1", "1/x + 1/x^2 + sqrt(x) + x^0.5 + x^-0.5 + x^2.5",
        "sigmoid(x)*(1 - sigmoid(x))", "exp(-x^2/2)/sqrt(2*pi)", "x^x", "sin(x)^cos(x)",
        "tan(x) + tanh(x) + sinh(x) + cosh(x)", "asin(x/2) + acos(x/3) + atan(x)", "abs(x - 1)*log(x)",
        "(x + 1)^2*(x + 1)^3 + (x*x)^-1", "e^x + 2^x",
        "relu(x - 1) + softplus(3*x) + log1p(x/10) + erf(x - 1) + heaviside(x - 0.5)", "max(x, 2*x - 1)*min(sin(x), cos(x)) + max(x, 1)",
    ];

    [Theory]
    [MemberData(nameof(Expressions))]
    public void OneVariable_EqualsEvaluateToTheBit(string text)
    {
        foreach (var e in new[] { Expr.Parse(text), Expr.Parse(text).Simplify(), Expr.Parse(text).Differentiate("x") })
        {
            var f = e.Compile("x");
            var g = e.Compile(new[] { "x" });
            foreach (double x in new[] { 0.1, 0.5, 0.9, 1.3, 1.7, 2.5 })
            {
                double expected = e.Evaluate(new Dictionary<string, double> { ["x"] = x });
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(f(x)));
                Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(g([x])));
            }
        }
    }

    [Fact]
    public void ArrayOfVariables_InTheGivenOrder()
    {
        var e = Expr.Parse("x^2*y - z/x");
        var f = e.Compile("z", "x", "y");
        Assert.Equal(4.0 * 3 - 5 / 2.0, f([5, 2, 3]));
        var sorted = e.Compile();   // x, y, z
        Assert.Equal(4.0 * 3 - 5 / 2.0, sorted([2, 3, 5]));
        Assert.Equal(7, Expr.Parse("7").Compile()([]));
    }

    [Fact]
    public void UnlistedVariable_IsNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Expr.Parse("x*rate").Compile("x"));
        Assert.StartsWith("variable 'rate' is not among the compiled variables (x)", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Expr.Parse("x*y").Compile("x", "x"));
        Assert.StartsWith("variable 'x' is listed twice", ex.Message);
    }

    [Fact]
    public void WrongNumberOfValues_Throws()
    {
        var f = Expr.Parse("x + y").Compile("x", "y");
        var ex = Assert.Throws<ArgumentException>(() => f([1]));
        Assert.StartsWith("expected 2 value(s), for (x, y), but got 1", ex.Message);
        Assert.Throws<ArgumentNullException>(() => f(null!));
    }

    [Fact]
    public void SharedSubexpressions_AreComputedOnce_AndStillCorrect()
    {
        // σ(x) appears three times in the second derivative.
        var d2 = Expr.Parse("sigmoid(x)").Differentiate("x", 2);
        var f = d2.Compile("x");
        double s = 1 / (1 + Math.Exp(-0.3));
        Assert.Equal(s * (1 - s) * (1 - 2 * s), f(0.3), 1e-15);
    }
}
