using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

public class LatexTests
{
    [Theory]
    [InlineData("x/y", @"\frac{x}{y}")]
    [InlineData("x^2", @"x^{2}")]
    [InlineData("x^(y + 1)", @"x^{y + 1}")]
    [InlineData("(x + 1)^2", @"\left(x + 1\right)^{2}")]
    [InlineData("2*x", @"2 \cdot x")]
    [InlineData("-x^2", @"-x^{2}")]
    [InlineData("x - y", @"x - y")]
    [InlineData("sin(x)", @"\sin\left(x\right)")]
    [InlineData("sin(x)^2", @"\sin\left(x\right)^{2}")]
    [InlineData("log(x)", @"\ln\left(x\right)")]
    [InlineData("asin(x) + atan(x)", @"\arcsin\left(x\right) + \arctan\left(x\right)")]
    [InlineData("sigmoid(x)", @"\sigma\left(x\right)")]
    [InlineData("relu(x) + softplus(x) + erf(x)", @"\operatorname{relu}\left(x\right) + \operatorname{softplus}\left(x\right) + \operatorname{erf}\left(x\right)")]
    [InlineData("log1p(x^2)", @"\ln\left(1 + x^{2}\right)")]
    [InlineData("log1p(-x)", @"\ln\left(1 - x\right)")]
    [InlineData("log1p(x + y)", @"\ln\left(1 + x + y\right)")]
    [InlineData("heaviside(x - 1)", @"\theta\left(x - 1\right)")]
    [InlineData("max(x, 2*y) - min(x^2, 1)", @"\max\left(x, 2 \cdot y\right) - \min\left(x^{2}, 1\right)")]
    [InlineData("sqrt(x + 1)", @"\sqrt{x + 1}")]
    [InlineData("abs(x)", @"\left|x\right|")]
    [InlineData("exp(-x^2)", @"e^{-x^{2}}")]
    [InlineData("exp(x)^y", @"\left(e^{x}\right)^{y}")]
    [InlineData("2*pi*e", @"2 \cdot \pi \cdot e")]
    [InlineData("1/(2*sqrt(x))", @"\frac{1}{2 \cdot \sqrt{x}}")]
    [InlineData("2*x/(x^2 + 1)", @"\frac{2 \cdot x}{x^{2} + 1}")]
    [InlineData("(x + 1)*(x - 1)", @"\left(x + 1\right) \cdot \left(x - 1\right)")]
    [InlineData("-(x + 1)", @"-\left(x + 1\right)")]
    [InlineData("1/x^2", @"\frac{1}{x^{2}}")]
    [InlineData("x^0.5", @"\sqrt{x}")]
    [InlineData("x^-0.5", @"\frac{1}{\sqrt{x}}")]
    [InlineData("x^(2/3)", @"x^{\frac{2}{3}}")]
    [InlineData("(x + 1)^(1/3)", @"\left(x + 1\right)^{\frac{1}{3}}")]
    [InlineData("1e-05*x", @"1 \times 10^{-5} \cdot x")]
    [InlineData("x_1 + alpha*theta_max + rate + x_12", @"x_{1} + \alpha \cdot \theta_{\mathrm{max}} + \mathrm{rate} + x_{12}")]
    [InlineData("learning_rate", @"\mathrm{learning\_rate}")]
    public void Forms(string text, string latex)
    {
        Assert.Equal(latex, Expr.Parse(text).ToLatex());
    }

    [Fact]
    public void Derivative_OfProduct()
    {
        Assert.Equal(@"\frac{2 \cdot x}{3}", Expr.Parse("x^2/3").Differentiate("x").ToLatex());
        Assert.Equal(@"\frac{1}{3 \cdot x^{\frac{2}{3}}}", Expr.Parse("x^(1/3)").Differentiate("x").ToLatex());
        Assert.Equal(@"x^{2} \cdot \cos\left(x\right) + 2 \cdot x \cdot \sin\left(x\right)", Expr.Parse("x^2*sin(x)").Differentiate("x").ToLatex());
        Assert.Equal(@"\sigma\left(x\right) \cdot \left(1 - \sigma\left(x\right)\right)", Expr.Parse("sigmoid(x)").Differentiate("x").ToLatex());
    }
}
