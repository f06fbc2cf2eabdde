namespace Nabla.Symbolic;

/// <summary>
/// Recursive-descent parser for the expression grammar, lowest precedence first:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := sign* power (('*' | '/') unary)*     leading signs negate the whole product
/// unary   := ('-' | '+') unary | power
/// power   := primary ('^' unary)?                  right-associative: x^y^z = x^(y^z)
/// primary := number | constant | variable | function '(' sum (',' sum)* ')' | '(' sum ')'
/// </code>
/// so <c>-x^2</c> is −(x²), <c>2^-1</c> is 2^(−1), <c>-2*x</c> is the product (−2)·x.
/// Chains build one n-ary <see cref="Sum"/> or <see cref="Product"/>; the tree is not simplified.
/// There is no implicit multiplication (<c>2x</c>, <c>x y</c>, <c>sin x</c> are errors that say
/// where the <c>*</c> or the parentheses are missing), and nesting is limited to
/// <see cref="MaxDepth"/> levels so that a pathological input gets an error, not a stack overflow.
/// </summary>
internal sealed class Parser
{
    /// <summary>
    /// The deepest nesting of parentheses, calls, signs and exponents accepted. Every later step
    /// (simplification, differentiation, printing, compilation) recurses over the tree, and this
    /// depth keeps all of them far from the end of a 1 MB thread stack.
    /// </summary>
    internal const int MaxDepth = 200;

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _pos;
    private int _depth;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    /// <summary>Parses <paramref name="text"/>; see <see cref="Expr.Parse"/>.</summary>
    public static Expr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        if (parser.Peek.Kind == TokenKind.End) throw new ExpressionParseException("empty expression", text, 1);
        var e = parser.ParseSum();
        var t = parser.Peek;
        if (t.Kind == TokenKind.RightParen) throw parser.Error($"unexpected ')' at column {t.Column}: no '(' matches it", t.Column);
        if (t.Kind != TokenKind.End) throw parser.UnexpectedAfterOperand(t, "an operator or the end");
        return e;
    }

    private Token Peek => _tokens[_pos];

    private Token Previous => _tokens[_pos - 1];

    private Token Next() => _tokens[_pos++];

    private ExpressionParseException Error(string message, int column) => new(message, _text, column);

    // A token that cannot follow a complete operand. A number, name or '(' right after one is a
    // missing '*' (the parser has no implicit multiplication): say so, with the fix.
    private ExpressionParseException UnexpectedAfterOperand(Token t, string expected)
    {
        if (t.Kind is TokenKind.Number or TokenKind.Identifier or TokenKind.LeftParen)
        {
            var before = Previous;
            string fix = before.Kind is TokenKind.Number or TokenKind.Identifier && t.Kind != TokenKind.LeftParen
                ? $"write {before.Text}*{t.Text}"
                : $"put '*' before {t.Describe()}";
            return Error($"missing operator before {t.Describe()} at column {t.Column}: there is no implicit multiplication, {fix}", t.Column);
        }
        return Error($"unexpected {t.Describe()} at column {t.Column}: expected {expected}", t.Column);
    }

    private void Enter(Token at)
    {
        if (++_depth > MaxDepth)
            throw Error($"expression nested too deeply at column {at.Column}: more than {MaxDepth} levels of parentheses, functions, signs or powers", at.Column);
    }

    private Expr ParseSum()
    {
        var terms = new List<Expr> { ParseProduct() };
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            bool minus = Next().Kind == TokenKind.Minus;
            var term = ParseProduct();
            terms.Add(minus ? Expr.Negate(term) : term);
        }
        return terms.Count == 1 ? terms[0] : new Sum(terms);
    }

    private Expr ParseProduct()
    {
        bool negate = false;
        while (Peek.Kind is TokenKind.Plus or TokenKind.Minus)
            negate ^= Next().Kind == TokenKind.Minus;
        var factors = new List<Expr> { ParsePower() };
        while (Peek.Kind is TokenKind.Star or TokenKind.Slash)
        {
            var op = Next();
            if (op.Kind == TokenKind.Star && Peek.Kind == TokenKind.Star)
                throw Error($"unexpected '*' at column {Peek.Column}: write powers with '^', as x^2", Peek.Column);
            var factor = ParseUnary();
            factors.Add(op.Kind == TokenKind.Slash ? new Power(factor, Number.MinusOne) : factor);
        }
        var product = factors.Count == 1 ? factors[0] : new Product(factors);
        return negate ? Expr.Negate(product) : product;
    }

    private Expr ParseUnary()
    {
        var t = Peek;
        if (t.Kind is not (TokenKind.Minus or TokenKind.Plus)) return ParsePower();
        Next();
        Enter(t);
        var operand = ParseUnary();
        _depth--;
        return t.Kind == TokenKind.Minus ? Expr.Negate(operand) : operand;
    }

    private Expr ParsePower()
    {
        var b = ParsePrimary();
        if (Peek.Kind != TokenKind.Caret) return b;
        var caret = Next();
        Enter(caret);
        var exponent = ParseUnary();
        _depth--;
        return new Power(b, exponent);
    }

    private Expr ParsePrimary()
    {
        var t = Next();
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new Number(t.Value);
            case TokenKind.Identifier:
                return ParseIdentifier(t);
            case TokenKind.LeftParen:
                if (Peek.Kind == TokenKind.RightParen) throw Error($"empty parentheses at column {t.Column}", t.Column);
                return ParseParenthesized(t);
            case TokenKind.End:
                throw Error($"unexpected end of input at column {t.Column}: expected a number, variable, function or '('", t.Column);
            default:
                throw Error($"unexpected {t.Describe()} at column {t.Column}: expected a number, variable, function or '('", t.Column);
        }
    }

    private Expr ParseIdentifier(Token t)
    {
        bool call = Peek.Kind == TokenKind.LeftParen;
        if (MathFunctions.TryParse(t.Text, out var function))
        {
            if (!call) throw Error($"function '{t.Text}' at column {t.Column} must be followed by '(': write {t.Text}(...)", t.Column);
            var open = Next();
            if (Peek.Kind == TokenKind.RightParen)
                throw Error($"function '{t.Text}' at column {t.Column} has no argument: write {Usage(function)}", t.Column);
            return new FunctionCall(function, ParseArguments(t, open, function));
        }
        if (call)
        {
            string what = Constant.TryGet(t.Text, out _) ? "is a constant, not a function" : $"is not a function (known: {MathFunctions.KnownNames})";
            throw Error($"unknown function '{t.Text}' at column {t.Column}: '{t.Text}' {what}; for a product write {t.Text}*(...)", t.Column);
        }
        return Constant.TryGet(t.Text, out var constant) ? constant : new Variable(t.Text);
    }

    private Expr ParseParenthesized(Token open)
    {
        Enter(open);
        var inner = ParseSum();
        Close(open, function: null);
        _depth--;
        return inner;
    }

    /// <summary>The arguments of a call, after its '(': as many as the function takes, separated by commas.</summary>
    private Expr[] ParseArguments(Token name, Token open, MathFunction function)
    {
        int arity = MathFunctions.Arity(function);
        var arguments = new Expr[arity];
        Enter(open);
        for (int i = 0; i < arity; i++)
        {
            if (i > 0)
            {
                var comma = Next();
                if (comma.Kind != TokenKind.Comma)
                {
                    if (comma.Kind == TokenKind.RightParen)
                        throw Error($"function '{name.Text}' at column {name.Column} takes {arity} arguments, got {i}: write {Usage(function)}", name.Column);
                    // Neither ',' nor ')': Close says what is wrong with it (the end of input, a missing operator, ...).
                    _pos--;
                    Close(open, function);
                }
            }
            arguments[i] = ParseSum();
        }
        Close(open, function);
        _depth--;
        return arguments;
    }

    /// <summary>Reads the ')' that closes <paramref name="open"/>, or says why the next token cannot be there.</summary>
    private void Close(Token open, MathFunction? function)
    {
        var t = Next();
        if (t.Kind == TokenKind.End)
            throw Error($"unbalanced parentheses: '(' at column {open.Column} is never closed", open.Column);
        if (t.Kind == TokenKind.Comma && function is { } f)
            throw Error($"unexpected ',' at column {t.Column}: {MathFunctions.Name(f)} takes {(MathFunctions.Arity(f) == 1 ? "one argument" : "two arguments")}", t.Column);
        if (t.Kind != TokenKind.RightParen)
        {
            _pos--;
            throw UnexpectedAfterOperand(t, $"')' to close '(' at column {open.Column}");
        }
    }

    /// <summary>How a call is written: <c>sin(x)</c>, <c>max(a, b)</c>.</summary>
    private static string Usage(MathFunction function) =>
        $"{MathFunctions.Name(function)}({(MathFunctions.Arity(function) == 1 ? "x" : "a, b")})";
}
