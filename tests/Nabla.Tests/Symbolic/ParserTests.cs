using Nabla.Symbolic;

namespace Nabla.Tests.Symbolic;

public class ParserTests
{
    private static readonly Variable X = new("x"), Y = new("y"), Z = new("z");

    [Theory]
    [InlineData("1 + 2*3", 7)]
    [InlineData("(1 + 2)*3", 9)]
    [InlineData("2*3^2", 18)]
    [InlineData("2^3^2", 512)]          // right-associative
    [InlineData("(2^3)^2", 64)]
    [InlineData("-2^2", -4)]            // unary minus binds looser than ^
    [InlineData("(-2)^2", 4)]
    [InlineData("2^-1", 0.5)]           // a sign may start an exponent
    [InlineData("2^-1^2", 0.5)]         // 2^(-(1^2))
    [InlineData("8/4/2", 1)]            // left-associative
    [InlineData("8-4-2", 2)]
    [InlineData("8-(4-2)", 6)]
    [InlineData("2*-3", -6)]
    [InlineData("--2", 2)]
    [InlineData("-+-2", 2)]
    [InlineData("1e-3*1000", 1)]
    [InlineData("1E3 + 2.5e+1", 1025)]
    [InlineData(".5 + .25 + 5.", 5.75)]
    [InlineData("6/2*3", 9)]            // (6/2)*3
    [InlineData("2*pi/pi", 2)]
    [InlineData("log(e)", 1)]
    [InlineData("sqrt(16) + abs(-3)", 7)]
    [InlineData("  1\t+\n2 ", 3)]
    public void ConstantExpressions_FollowPrecedenceAndAssociativity(string text, double expected)
    {
        Assert.Equal(expected, Expr.Parse(text).Evaluate(), 12);
    }

    [Fact]
    public void NegatedPower_IsMinusOneTimesThePower()
    {
        Assert.Equal(new Product(new Number(-1), new Power(X, new Number(2))), Expr.Parse("-x^2"));
    }

    [Fact]
    public void SubtractionAndDivision_AreSumsAndProducts()
    {
        Assert.Equal(new Sum(X, new Product(new Number(-1), Y)), Expr.Parse("x - y"));
        Assert.Equal(new Product(X, new Power(Y, new Number(-1))), Expr.Parse("x/y"));
        Assert.Equal(new Sum(X, new Product(new Number(-2), Y)), Expr.Parse("x - 2*y"));
        Assert.Equal(new Product(new Number(-1), X, Y), Expr.Parse("-x*y"));
    }

    [Fact]
    public void Chains_BuildOneNaryNode()
    {
        Assert.Equal(new Sum(X, Y, Z), Expr.Parse("x + y + z"));
        Assert.Equal(new Product(X, Y, Z), Expr.Parse("x*y*z"));
        Assert.Equal(new Sum(X, new Sum(Y, Z)), Expr.Parse("x + (y + z)"));
    }

    [Fact]
    public void Powers_AreRightAssociative_AndTakeSignedExponents()
    {
        Assert.Equal(new Power(X, new Power(Y, Z)), Expr.Parse("x^y^z"));
        Assert.Equal(new Power(new Number(2), new Number(-1)), Expr.Parse("2^-1"));
        Assert.Equal(new Power(X, new Product(new Number(-1), new Power(Y, new Number(2)))), Expr.Parse("x^-y^2"));
    }

    [Fact]
    public void NegativeLiteral_IsOneNumber()
    {
        Assert.Equal(new Number(-3), Expr.Parse("-3"));
        Assert.Equal(new Power(new Number(-2), X), Expr.Parse("(-2)^x"));
    }

    [Fact]
    public void ConstantsVariablesAndFunctions()
    {
        Assert.Same(Constant.Pi, Expr.Parse("pi"));
        Assert.Same(Constant.E, Expr.Parse("e"));
        Assert.Equal(new Variable("learning_rate2"), Expr.Parse("learning_rate2"));
        Assert.Equal(new Variable("_t"), Expr.Parse("_t"));
        Assert.Equal(new Variable("epsilon"), Expr.Parse("epsilon"));  // starts with e, is not e
        foreach (var f in Enum.GetValues<MathFunction>())
        {
            string name = f.ToString().ToLowerInvariant();
            var call = f is MathFunction.Max or MathFunction.Min
                ? new FunctionCall(f, new Sum(X, new Number(1)), new Variable("y"))
                : new FunctionCall(f, new Sum(X, new Number(1)));
            Assert.Equal(call, Expr.Parse(f is MathFunction.Max or MathFunction.Min ? $"{name}(x + 1, y)" : $"{name}(x + 1)"));
        }
    }

    [Theory]
    [InlineData("", "empty expression", 1)]
    [InlineData("   ", "empty expression", 1)]
    [InlineData("sin(x+)", "unexpected ')' at column 7", 7)]
    [InlineData("sinn(x)", "unknown function 'sinn' at column 1", 1)]
    [InlineData("2*Sin(x)", "unknown function 'Sin' at column 3", 3)]
    [InlineData("(x + 1", "unbalanced parentheses: '(' at column 1 is never closed", 1)]
    [InlineData("2*(x + sin(x)", "unbalanced parentheses: '(' at column 3 is never closed", 3)]
    [InlineData("sin(x", "unbalanced parentheses: '(' at column 4 is never closed", 4)]
    [InlineData("x + 1)", "unexpected ')' at column 6: no '(' matches it", 6)]
    [InlineData("x y", "missing operator before 'y' at column 3: there is no implicit multiplication, write x*y", 3)]
    [InlineData("2 3", "missing operator before '3' at column 3", 3)]
    [InlineData("2x", "missing operator before 'x' at column 2: there is no implicit multiplication, write 2*x", 2)]
    [InlineData("2(x + 1)", "missing operator before '(' at column 2: there is no implicit multiplication, put '*' before '('", 2)]
    [InlineData("(x + 1)(x - 1)", "missing operator before '(' at column 8", 8)]
    [InlineData("(x y)", "missing operator before 'y' at column 4", 4)]
    [InlineData("(x + 1]", "unexpected character ']' at column 7", 7)]
    [InlineData("x**2", "unexpected '*' at column 3: write powers with '^', as x^2", 3)]
    [InlineData("x^^2", "unexpected '^' at column 3: expected a number, variable, function or '('", 3)]
    [InlineData("sin()", "function 'sin' at column 1 has no argument: write sin(x)", 1)]
    [InlineData("sin(x, y)", "unexpected ',' at column 6: sin takes one argument", 6)]
    [InlineData("x, y", "unexpected ',' at column 2: expected an operator or the end", 2)]
    [InlineData("max(x)", "function 'max' at column 1 takes 2 arguments, got 1: write max(a, b)", 1)]
    [InlineData("min()", "function 'min' at column 1 has no argument: write min(a, b)", 1)]
    [InlineData("max(x, y, z)", "unexpected ',' at column 9: max takes two arguments", 9)]
    [InlineData("max(x y)", "missing operator before 'y' at column 7: there is no implicit multiplication, write x*y", 7)]
    [InlineData("max(x,", "unexpected end of input at column 7", 7)]
    [InlineData("max(x, y", "unbalanced parentheses: '(' at column 4 is never closed", 4)]
    [InlineData("relu(x, 0)", "unexpected ',' at column 7: relu takes one argument", 7)]
    [InlineData("max x", "function 'max' at column 1 must be followed by '('", 1)]
    [InlineData("pi(x)", "unknown function 'pi' at column 1: 'pi' is a constant, not a function; for a product write pi*(...)", 1)]
    [InlineData("x(y)", "unknown function 'x' at column 1: 'x' is not a function (known: sin,", 1)]
    [InlineData("1e", "malformed number '1e' at column 1: the exponent has no digits", 1)]
    [InlineData("2*1.5e", "malformed number '1.5e' at column 3: the exponent has no digits", 3)]
    [InlineData("1.2.3", "malformed number '1.2.' at column 1: a second '.' at column 4", 1)]
    [InlineData("2ex", "missing operator before 'ex' at column 2", 2)]
    [InlineData("x²", "unexpected character '²' at column 2: expressions use ASCII names and numbers, spaces and + - * / ^ ( )", 2)]
    [InlineData("θ + 1", "unexpected character 'θ' at column 1", 1)]
    [InlineData("x + \U0001D465", "unexpected character '\U0001D465' at column 5", 5)]
    [InlineData("2 $ 3", "unexpected character '$' at column 3", 3)]
    [InlineData("f(x, y)", "unknown function 'f' at column 1", 1)]
    [InlineData("x +", "unexpected end of input at column 4", 4)]
    [InlineData("x^", "unexpected end of input at column 3", 3)]
    [InlineData("*x", "unexpected '*' at column 1", 1)]
    [InlineData("x * / y", "unexpected '/' at column 5", 5)]
    [InlineData("()", "empty parentheses at column 1", 1)]
    [InlineData("sin x", "function 'sin' at column 1 must be followed by '('", 1)]
    [InlineData("1e+", "malformed number '1e+' at column 1", 1)]
    [InlineData("x + 2.5e-", "malformed number '2.5e-' at column 5", 5)]
    [InlineData("1e999", "number '1e999' at column 1 is too large", 1)]
    public void Errors_SayWhatAndWhere(string text, string messageStart, int column)
    {
        var ex = Assert.Throws<ExpressionParseException>(() => Expr.Parse(text));
        Assert.StartsWith(messageStart, ex.Message);
        Assert.Equal(column, ex.Column);
        Assert.Equal(text, ex.Expression);
        Assert.IsAssignableFrom<FormatException>(ex);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void UnknownFunction_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<ExpressionParseException>(() => Expr.Parse("sinn(x)"));
        Assert.Contains("known: sin, cos, tan, exp, log, sqrt, abs, tanh, sigmoid, asin, acos, atan, sinh, cosh", ex.Message);
    }

    [Theory]
    [InlineData("(", ")")]
    [InlineData("sin(", ")")]
    [InlineData("x^", "")]
    [InlineData("2^-", "")]
    public void DeepNesting_IsAnErrorNotAStackOverflow(string open, string close)
    {
        const int depth = 100_000;
        string text = string.Concat(Enumerable.Repeat(open, depth)) + "x" + string.Concat(Enumerable.Repeat(close, depth));
        var ex = Assert.Throws<ExpressionParseException>(() => Expr.Parse(text));
        Assert.StartsWith("expression nested too deeply at column ", ex.Message);
        Assert.Contains("more than 200 levels of parentheses, functions, signs or powers", ex.Message);
    }

    [Fact]
    public void NestingUpToTheLimit_ParsesAndDifferentiates()
    {
        var e = Expr.Parse(string.Concat(Enumerable.Repeat("sin(", 199)) + "x" + new string(')', 199));
        var d = e.Differentiate("x");
        Assert.Equal(200, d.ToString().Split("cos(").Length);   // chain rule: one cos per level
        Assert.True(double.IsFinite(d.Compile("x")(0.3)));
    }

    [Fact]
    public void LongFlatInput_Parses()
    {
        var e = Expr.Parse(string.Join(" + ", Enumerable.Repeat("x", 100_000)));
        Assert.Equal("100000*x", e.Simplify().ToString());
        Assert.Equal(new Variable("x"), Expr.Parse(new string('-', 100_000) + "x"));   // leading signs are read in a loop
    }

    [Fact]
    public void Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Expr.Parse(null!));
    }
}
