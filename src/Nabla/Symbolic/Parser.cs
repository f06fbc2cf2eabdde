namespace Nabla.Symbolic;

/// <summary>
/// Recursive-descent parser for the expression grammar, lowest precedence first:
/// <code>
/// sum     := product (('+' | '-') product)*
/// product := sign* power (('*' | '/') unary)*     leading signs negate the whole product
/// unary   := ('-' | '+') unary | power
/// power   := primary ('^' unary)?                  right-associative: x^y^z = x^(y^z)
/// primary := number | constant | variable | function '(' sum ')' | '(' sum ')'
/// </code>
/// so <c>-x^2</c> is −(x²), <c>2^-1</c> is 2^(−1), <c>-2*x</c> is the product (−2)·x.
/// Chains build one n-ary <see cref="Sum"/> or <see cref="Product"/>; the tree is not simplified.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _pos;

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
        if (t.Kind != TokenKind.End) throw parser.Error($"unexpected {t.Describe()} at column {t.Column}: expected an operator or the end", t.Column);
        return e;
    }

    private Token Peek => _tokens[_pos];

    private Token Next() => _tokens[_pos++];

    private ExpressionParseException Error(string message, int column) => new(message, _text, column);

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
            bool divide = Next().Kind == TokenKind.Slash;
            var factor = ParseUnary();
            factors.Add(divide ? new Power(factor, Number.MinusOne) : factor);
        }
        var product = factors.Count == 1 ? factors[0] : new Product(factors);
        return negate ? Expr.Negate(product) : product;
    }

    private Expr ParseUnary()
    {
        if (Peek.Kind == TokenKind.Minus)
        {
            Next();
            return Expr.Negate(ParseUnary());
        }
        if (Peek.Kind == TokenKind.Plus)
        {
            Next();
            return ParseUnary();
        }
        return ParsePower();
    }

    private Expr ParsePower()
    {
        var b = ParsePrimary();
        if (Peek.Kind != TokenKind.Caret) return b;
        Next();
        return new Power(b, ParseUnary());
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
                var inner = ParseSum();
                ExpectClosing(t);
                return inner;
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
            var argument = ParseSum();
            ExpectClosing(open);
            return new FunctionCall(function, argument);
        }
        if (call) throw Error($"unknown function '{t.Text}' at column {t.Column} (known: {MathFunctions.KnownNames})", t.Column);
        return Constant.TryGet(t.Text, out var constant) ? constant : new Variable(t.Text);
    }

    private void ExpectClosing(Token open)
    {
        var t = Next();
        if (t.Kind == TokenKind.RightParen) return;
        if (t.Kind == TokenKind.End)
            throw Error($"unbalanced parentheses: '(' at column {open.Column} is never closed", open.Column);
        throw Error($"unexpected {t.Describe()} at column {t.Column}: expected ')' to close '(' at column {open.Column}", t.Column);
    }
}
