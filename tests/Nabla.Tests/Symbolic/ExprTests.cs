using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

public class ExprTests
{
    private static readonly Variable X = new("x"), Y = new("y");

    [Fact]
    public void Equality_IsStructural()
    {
        var a = Expr.Parse("x^2*sin(x) + 1");
        var b = Expr.Parse("x^2 * sin(x) + 1");
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(Expr.Parse("x + y"), Expr.Parse("y + x"));   // order matters before simplification
        Assert.NotEqual<Expr>(new Number(1), new Variable("x"));
        Assert.False(a == null);
        Assert.Equal<Expr>(new Number(0.0), new Number(-0.0));
        Assert.Equal(new Number(0.0).GetHashCode(), new Number(-0.0).GetHashCode());
    }

    [Fact]
    public void Operators_BuildUnsimplifiedTrees()
    {
        Assert.Equal(new Sum(X, Y), X + Y);
        Assert.Equal(new Sum(X, new Product(new Number(-1), Y)), X - Y);
        Assert.Equal(new Product(new Number(2), X), 2 * X);
        Assert.Equal(new Product(X, new Power(Y, new Number(-1))), X / Y);
        Assert.Equal(new Product(new Number(-1), X), -X);
        Assert.Equal(new Power(X, new Number(2)), Expr.Pow(X, 2));
        Assert.Equal(new FunctionCall(MathFunction.Sin, X), Expr.Call(MathFunction.Sin, X));
        Assert.Equal("2*x*cos(x) - x^2*sin(x)", (Expr.Pow(X, 2) * Expr.Call(MathFunction.Cos, X)).Differentiate("x").ToString());
    }

    [Fact]
    public void Variables_AreSortedAndDistinct()
    {
        var e = Expr.Parse("y*sin(x) + x^b - pi*e");
        Assert.Equal(["b", "x", "y"], e.Variables);
        Assert.True(e.DependsOn("x"));
        Assert.False(e.DependsOn("z"));
        Assert.Empty(Expr.Parse("2*pi").Variables);
    }

    [Fact]
    public void Constructors_RejectBadInput()
    {
        Assert.Throws<ArgumentException>(() => new Sum(X));
        Assert.Throws<ArgumentException>(() => new Product([X]));
        Assert.Throws<ArgumentException>(() => new Sum(X, null!));
        Assert.Throws<ArgumentException>(() => new Variable("2x"));
        Assert.Throws<ArgumentException>(() => new Variable("x-y"));
        var reserved = Assert.Throws<ArgumentException>(() => new Variable("pi"));
        Assert.Contains("reserved", reserved.Message);
        Assert.Throws<ArgumentException>(() => new Variable("sin"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FunctionCall((MathFunction)99, X));
        Assert.Throws<ArgumentNullException>(() => new Power(X, null!));
    }

    [Fact]
    public void Constants_HaveTheirValues()
    {
        Assert.Equal(Math.PI, Constant.Pi.Value);
        Assert.Equal(Math.E, Constant.E.Value);
        Assert.Equal("pi", Constant.Pi.Name);
    }
}
