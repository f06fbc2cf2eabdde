using CsCheck;
using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

public class PrinterTests
{
    [Theory]
    [InlineData("x^2", "2*x")]
    [InlineData("x^3", "3*x^2")]
    [InlineData("sin(x)", "cos(x)")]
    [InlineData("cos(x)", "-sin(x)")]
    [InlineData("x^2*sin(x)", "x^2*cos(x) + 2*x*sin(x)")]
    [InlineData("sqrt(x)", "1/(2*sqrt(x))")]
    [InlineData("1/x", "-1/x^2")]
    [InlineData("x/y", "1/y")]
    [InlineData("y/x", "-y/x^2")]
    [InlineData("sigmoid(x)", "sigmoid(x)*(1 - sigmoid(x))")]
    [InlineData("tanh(x)", "1 - tanh(x)^2")]
    [InlineData("x^x", "x^x*(log(x) + 1)")]
    [InlineData("x^(1/3)", "1/(3*x^(2/3))")]
    [InlineData("1/sqrt(x)", "-1/(2*x^1.5)")]
    [InlineData("relu(x)", "heaviside(x)")]
    [InlineData("softplus(x)", "sigmoid(x)")]
    [InlineData("log1p(x)", "1/(x + 1)")]
    [InlineData("erf(x)", "2*exp(-x^2)/sqrt(pi)")]
    [InlineData("heaviside(x)", "0")]
    [InlineData("max(x, 0)", "heaviside(x)")]
    [InlineData("min(x^2, 1)", "2*x*heaviside(1 - x^2)")]
    [InlineData("max(x, 2*x)", "2*heaviside(x) + heaviside(-x)")]
    public void Derivatives_PrintConventionally(string input, string expected)
    {
        Assert.Equal(expected, Expr.Parse(input).Differentiate("x").ToString());
    }

    [Theory]
    [InlineData("(x + 1)^2")]
    [InlineData("-x^2")]
    [InlineData("x^(y + 1)")]
    [InlineData("x^y^z")]
    [InlineData("(x^y)^z")]
    [InlineData("x - y")]
    [InlineData("x - (y - z)")]
    [InlineData("x - (y + z)")]
    [InlineData("x + y*z")]
    [InlineData("(x + y)*z")]
    [InlineData("x/y")]
    [InlineData("x/(y*z)")]
    [InlineData("x/(y + z)")]
    [InlineData("-x")]
    [InlineData("-(x + 1)")]
    [InlineData("(-2)^x")]
    [InlineData("-2^x")]
    [InlineData("sqrt(-x)")]
    [InlineData("2^(-x)")]
    [InlineData("x^(1/y)")]
    [InlineData("(1/x)^y")]
    [InlineData("sin(x)^2")]
    [InlineData("exp(-x^2)")]
    [InlineData("2*x*sin(x) + x^2*cos(x)")]
    [InlineData("x - 3")]
    [InlineData("1 - sigmoid(x)")]
    [InlineData("2*x/y")]
    [InlineData("1e-05*x")]
    [InlineData("0.1 + x^2.5")]
    public void MinimalParentheses_PrintAsWritten(string text)
    {
        Assert.Equal(text, Expr.Parse(text).ToString());
    }

    [Theory]
    [InlineData("2^-1", "1/2", "0.5")]
    [InlineData("-(x^2)", "-x^2", "-x^2")]
    [InlineData("((x))", "x", "x")]
    [InlineData("x + -y", "x - y", "x - y")]
    [InlineData("x*y^-2", "x/y^2", "x/y^2")]
    [InlineData("0.5*x", "x/2", "x/2")]
    [InlineData("-0.25*x/y", "-x/(4*y)", "-x/(4*y)")]
    [InlineData("x/3", "x/3", "x/3")]
    [InlineData("1/(1+exp(-x))", "1/(1 + exp(-x))", "1/(exp(-x) + 1)")]
    [InlineData("-x + y", "y - x", "y - x")]
    [InlineData("x^-0.5", "1/sqrt(x)", "1/sqrt(x)")]
    [InlineData("x^0.5*x", "sqrt(x)*x", "x^1.5")]
    [InlineData("x/sqrt(x)", "x/sqrt(x)", "sqrt(x)")]
    [InlineData("x^(1/3 - 1)", "x^(1/3 - 1)", "1/x^(2/3)")]   // the double nearest -2/3, not 1/3 - 1 rounded
    [InlineData("2/3*x", "2*x/3", "2*x/3")]
    [InlineData("0.1 + 0.2", "0.1 + 0.2", "0.3")]
    public void RawAndSimplifiedForms(string text, string raw, string simplified)
    {
        var e = Expr.Parse(text);
        Assert.Equal(raw, e.ToString());
        Assert.Equal(simplified, e.Simplify().ToString());
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-20, "1e-20")]
    [InlineData(1.5e300, "1.5e+300")]
    [InlineData(1.0 / 3, "1/3")]
    [InlineData(-2.0 / 3, "-2/3")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]   // not the double nearest 3/10
    [InlineData(-0.0, "0")]
    [InlineData(-7, "-7")]
    public void Numbers_PrintShortestRoundTrip(double value, string expected)
    {
        Assert.Equal(expected, new Number(value).ToString());
        Assert.Equal(value, Expr.Parse(expected).Evaluate());
    }

    [Fact]
    public void ParsingThePrintedForm_GivesBackTheSimplifiedTree()
    {
        ExprGenerators.Tree.Sample(e =>
        {
            var s = e.Simplify();
            Assert.Equal(s, Expr.Parse(s.ToString()).Simplify());
            Assert.Equal(s.ToString(), Expr.Parse(s.ToString()).Simplify().ToString());
        }, iter: 3000, print: e => $"{e}  (simplified {e.Simplify()})");
    }

    [Fact]
    public void ParsingThePrintedForm_OfARawTree_GivesTheSameValue()
    {
        var point = new Dictionary<string, double> { ["x"] = 0.7, ["y"] = -1.3 };
        ExprGenerators.Tree.Sample(e =>
        {
            // Numbers may differ in the last bit here (2^-1.5 prints as 1/2^1.5), so compare values.
            var back = Expr.Parse(e.ToString());
            double a = e.Evaluate(point), b = back.Evaluate(point);
            Assert.True(a.Equals(b) || Math.Abs(a - b) <= 1e-12 * Math.Abs(a), $"{e}: {a} vs {b}");
        }, iter: 2000, print: e => e.ToString());
    }
}
