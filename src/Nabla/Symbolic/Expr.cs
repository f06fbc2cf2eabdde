namespace Nabla.Symbolic;

/// <summary>
/// An immutable symbolic expression over real numbers: a <see cref="Number"/>, a
/// <see cref="Constant"/> (π or e), a <see cref="Variable"/>, or a <see cref="Sum"/>,
/// <see cref="Product"/>, <see cref="Power"/> or <see cref="FunctionCall"/> of smaller expressions.
/// Subtraction is a sum with a term multiplied by −1, division a product with a factor raised to −1.
/// Two expressions are equal when their trees are equal node by node (structural equality).
/// </summary>
/// <example>
/// <code>
/// var f = Expr.Parse("x^2*sin(x)");
/// var df = f.Differentiate("x");            // x^2*cos(x) + 2*x*sin(x)
/// double slope = df.Evaluate(new Dictionary&lt;string, double&gt; { ["x"] = 1.5 });
/// Func&lt;double, double&gt; fast = df.Compile("x");
/// string tex = df.ToLatex();               // x^{2} \cdot \cos\left(x\right) + ...
/// double d20 = Expr.Parse("x^x").DerivativeAt("x", 20, new Dictionary&lt;string, double&gt; { ["x"] = 1.5 });   // 3478327844247.67
/// </code>
/// </example>
public abstract class Expr : IEquatable<Expr>
{
    private int _hash;
    private long _treeSize;
    private string[]? _variables;

    private protected Expr() { }

    /// <summary>
    /// Parses an expression: numbers (<c>2</c>, <c>.5</c>, <c>1e-3</c>), variables (identifiers),
    /// <c>+ - * / ^</c>, unary minus, parentheses, the functions <c>sin cos tan exp log sqrt abs
    /// tanh sigmoid asin acos atan sinh cosh relu softplus log1p erf heaviside</c> of one argument and
    /// <c>max(a, b)</c> and <c>min(a, b)</c> of two, and the constants <c>pi</c> and <c>e</c>.
    /// <c>^</c> binds tightest and is right-associative; unary minus binds looser than <c>^</c>, so
    /// <c>-x^2</c> is −(x²), and may start an exponent, as in <c>2^-1</c>. The result is the tree as
    /// written, not simplified; call <see cref="Simplify"/> for the canonical form.
    /// Multiplication is always written: <c>2x</c>, <c>x y</c> and <c>(x+1)(x-1)</c> are errors that
    /// say where the <c>*</c> is missing, and a function's argument is always in parentheses
    /// (<c>sin x</c> is an error). Names are ASCII; nesting deeper than 200 levels is an error.
    /// </summary>
    /// <param name="text">The expression text.</param>
    /// <returns>The expression tree.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ExpressionParseException">The text is not a valid expression; the message says what and at which (1-based) column.</exception>
    public static Expr Parse(string text) => Parser.Parse(text);

    /// <summary>
    /// The simplified, canonical form: constants folded, 0 and 1 identities applied, like terms and
    /// powers of the same base combined, nested sums and products flattened, terms and factors in a
    /// fixed order. Sums are never expanded or factored. Equal simplified forms mean equal
    /// expressions; different forms do not prove them different. A subexpression that occurs more
    /// than once in the result is one shared object, which changes nothing but the memory it takes.
    /// </summary>
    /// <returns>The simplified expression (simplifying it again returns an equal tree).</returns>
    public Expr Simplify() => new Simplifier().Simplify(this);

    /// <summary>
    /// The derivative with respect to <paramref name="variable"/>, taken <paramref name="order"/>
    /// times (partial when the expression has other variables), simplified after each order.
    /// </summary>
    /// <param name="variable">The variable to differentiate by.</param>
    /// <param name="order">How many times to differentiate; 0 returns the simplified expression.</param>
    /// <returns>The simplified derivative.</returns>
    /// <exception cref="ArgumentException"><paramref name="variable"/> is not an identifier, or <paramref name="order"/> is negative.</exception>
    public Expr Differentiate(string variable, int order = 1) => Differentiator.Differentiate(this, variable, order, long.MaxValue);

    /// <summary>
    /// The derivative with respect to <paramref name="variable"/>, taken <paramref name="order"/>
    /// times, as <see cref="Differentiate(string, int)"/> gives it, unless it grows past
    /// <paramref name="maxNodes"/> nodes: a derivative of some order that, written out, has more
    /// nodes than that (every number, name, operation and call counts one, as often as it occurs),
    /// or whose building creates more than four times as many distinct nodes, counted with their
    /// children. Repeated differentiation can grow an expression exponentially (the 5th derivative
    /// of 150 nested sines has hundreds of millions of nodes); this stops early, after work in
    /// proportion to the limit. <see cref="DerivativeAt"/> evaluates such a derivative at a point.
    /// </summary>
    /// <param name="variable">The variable to differentiate by.</param>
    /// <param name="order">How many times to differentiate; 0 returns the simplified expression.</param>
    /// <param name="maxNodes">The most nodes a derivative may have, 1 or more.</param>
    /// <returns>The simplified derivative, with at most <paramref name="maxNodes"/> nodes written out.</returns>
    /// <exception cref="ArgumentException"><paramref name="variable"/> is not an identifier, <paramref name="order"/> is negative or <paramref name="maxNodes"/> is below 1.</exception>
    /// <exception cref="ExpressionTooLargeException">The derivative of some order grew past <paramref name="maxNodes"/>; the exception says which order.</exception>
    public Expr Differentiate(string variable, int order, long maxNodes) => Differentiator.Differentiate(this, variable, order, maxNodes);

    /// <summary>
    /// The value at <paramref name="point"/> of the derivative with respect to
    /// <paramref name="variable"/> taken <paramref name="order"/> times, without building that
    /// derivative: truncated Taylor series in the variable are pushed through the simplified
    /// expression (higher-order forward mode), each distinct subexpression once. The result is
    /// exact up to rounding and costs about order² operations per subexpression, however large the
    /// symbolic derivative would be: the 20th derivative of x^x or of 150 nested sines takes
    /// microseconds. Other variables are held at their values in <paramref name="point"/> (a partial derivative).
    /// </summary>
    /// <remarks>
    /// Where the expression is not smooth at the point (a root or logarithm of 0, abs at 0, a pole)
    /// the derivative has no finite value; the result is then NaN or infinite, and may be NaN where
    /// evaluating the symbolic derivative gives an infinity. Order 0 gives exactly what
    /// <see cref="Evaluate(IReadOnlyDictionary{string, double})"/> gives for the simplified expression.
    /// Beyond order 170 the factorial overflows and the result is infinite or NaN.
    /// </remarks>
    /// <param name="variable">The variable to differentiate by.</param>
    /// <param name="order">How many times to differentiate, 0 or more.</param>
    /// <param name="point">A value for every variable of the expression.</param>
    /// <returns>The derivative's value.</returns>
    /// <exception cref="ArgumentException"><paramref name="variable"/> is not an identifier, <paramref name="order"/> is negative, or a variable of the expression has no value (the message names it).</exception>
    public double DerivativeAt(string variable, int order, IReadOnlyDictionary<string, double> point) =>
        TaylorEvaluator.DerivativeAt(this, variable, order, point);

    /// <summary>The partial derivatives with respect to each of <paramref name="variables"/>, in that order, each simplified.</summary>
    /// <param name="variables">The variables; when none are given, <see cref="Variables"/> is used.</param>
    /// <returns>One simplified partial derivative per variable.</returns>
    /// <exception cref="ArgumentException">A name is not an identifier.</exception>
    public IReadOnlyList<Expr> Gradient(params string[] variables) => Differentiator.Gradient(this, variables);

    /// <summary>The names of the variables the expression contains, sorted in ordinal order, each once.</summary>
    public IReadOnlyList<string> Variables => _variables ??= CollectVariables();

    /// <summary>Whether the expression contains the variable <paramref name="name"/>.</summary>
    /// <param name="name">A variable name.</param>
    /// <returns>True when some <see cref="Variable"/> in the tree has that name.</returns>
    public bool DependsOn(string name) => Array.BinarySearch((string[])Variables, name, StringComparer.Ordinal) >= 0;

    /// <summary>
    /// Evaluates the expression in double precision with the given variable values. Powers and
    /// functions follow <see cref="Math"/> (so a logarithm of a negative number is NaN, not an
    /// error); sigmoid, softplus and log1p are computed so that they neither overflow nor lose tiny
    /// values, heaviside(0) is ½.
    /// </summary>
    /// <param name="variables">A value for every variable of the expression (others are ignored).</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">A variable of the expression has no value; the message names it.</exception>
    public double Evaluate(IReadOnlyDictionary<string, double> variables) => Evaluator.Evaluate(this, variables);

    /// <summary>Evaluates an expression without variables, such as <c>2^-1 + pi</c>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The expression has a variable; the message names it.</exception>
    public double Evaluate() => Evaluator.Evaluate(this, Evaluator.NoBindings);

    /// <summary>
    /// Evaluates the expression with tensor ops, elementwise and with broadcasting, so that the result
    /// records the autograd graph of the bound tensors that require gradients: a symbolic
    /// expression can feed automatic differentiation. Numbers stay scalars until they meet a tensor.
    /// tan, sinh and cosh are composed from sin, cos and exp, log1p is log(1 + x); heaviside is a constant
    /// of the graph (derivative 0), and relu's tensor op takes its derivative at 0 as 0, as PyTorch, where
    /// <see cref="Differentiate(string, int)"/> gives ½.
    /// </summary>
    /// <param name="variables">A tensor for every variable of the expression.</param>
    /// <returns>The result; a scalar tensor of the first bound tensor's type (or Float32) when the expression has no variables.</returns>
    /// <exception cref="ArgumentException">A variable of the expression has no tensor; the message names it.</exception>
    /// <exception cref="NotSupportedException">The expression calls asin, acos or atan, which have no tensor op yet.</exception>
    public Tensor Evaluate(IReadOnlyDictionary<string, Tensor> variables) => TensorEvaluator.Evaluate(this, variables);

    /// <summary>
    /// Compiles the expression of one variable to a delegate (through System.Linq.Expressions, with
    /// repeated subexpressions computed once). It returns exactly what <see cref="Evaluate(IReadOnlyDictionary{string, double})"/> returns.
    /// </summary>
    /// <param name="variable">The name of the delegate's argument.</param>
    /// <returns>A delegate computing the expression.</returns>
    /// <exception cref="ArgumentException">The expression has a variable other than <paramref name="variable"/>; the message names it.</exception>
    public Func<double, double> Compile(string variable) => Compiler.Compile(this, variable);

    /// <summary>
    /// Compiles the expression to a delegate over an array holding the values of
    /// <paramref name="variables"/> in that order (through System.Linq.Expressions, with repeated
    /// subexpressions computed once). The delegate throws <see cref="ArgumentException"/> when the
    /// array's length differs from the number of variables.
    /// </summary>
    /// <param name="variables">The variable for each array position; with none, <see cref="Variables"/> (sorted) is used.</param>
    /// <returns>A delegate computing the expression.</returns>
    /// <exception cref="ArgumentException">The expression has a variable that is not listed, or a name is listed twice.</exception>
    public Func<double[], double> Compile(params string[] variables) => Compiler.Compile(this, variables);

    /// <summary>
    /// The expression in the syntax <see cref="Parse"/> reads, with as few parentheses as the
    /// precedence rules allow and in conventional form: <c>x - y</c>, <c>x/y</c>, <c>-x^2</c>,
    /// <c>x/2</c> for 0.5*x. Numbers print in the shortest form that reads back to the same double.
    /// </summary>
    /// <returns>The text.</returns>
    public sealed override string ToString() => Printer.Print(this);

    /// <summary>
    /// The expression as LaTeX math: <c>\frac{..}{..}</c> for quotients, <c>x^{2}</c>,
    /// <c>\sin\left(x\right)</c>, <c>\sqrt{x}</c>, <c>e^{x}</c>, <c>\pi</c>, <c>\cdot</c> between factors.
    /// </summary>
    /// <returns>The LaTeX source, without surrounding <c>$</c>.</returns>
    public string ToLatex() => LatexPrinter.Print(this);

    /// <summary>Whether <paramref name="other"/> is the same tree: same node kinds, same numbers, names and functions, children in the same order.</summary>
    /// <param name="other">The expression to compare with.</param>
    /// <returns>True when the trees are equal.</returns>
    public bool Equals(Expr? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other.GetType() != GetType() || other.GetHashCode() != GetHashCode()) return false;
        return EqualsSameKind(other);
    }

    /// <inheritdoc/>
    public sealed override bool Equals(object? obj) => obj is Expr e && Equals(e);

    /// <summary>A hash of the tree, consistent with <see cref="Equals(Expr)"/>; computed once.</summary>
    /// <returns>The hash code.</returns>
    public sealed override int GetHashCode()
    {
        int h = _hash;
        if (h == 0)
        {
            h = ComputeHashCode();
            if (h == 0) h = 1;
            _hash = h;
        }
        return h;
    }

    /// <summary>Structural equality with a node known to have the same type and hash.</summary>
    private protected abstract bool EqualsSameKind(Expr other);

    /// <summary>The structural hash of this node and its children.</summary>
    private protected abstract int ComputeHashCode();

    /// <summary>The child expressions, in order (none for a leaf).</summary>
    private protected abstract IReadOnlyList<Expr> Children { get; }

    /// <summary>How many children the node has (0 for a leaf).</summary>
    internal int ChildCount => Children.Count;

    /// <summary>
    /// The number of nodes of the expression written out as a tree, which is what printing and
    /// <see cref="Evaluate(IReadOnlyDictionary{string, double})"/> walk: a subexpression counts
    /// once for each place it occurs, even when it is one shared object. Computed once per node,
    /// from the children's sizes; <see cref="long.MaxValue"/> when larger.
    /// </summary>
    internal long TreeSize
    {
        get
        {
            if (_treeSize == 0)
            {
                long size = 1;
                foreach (var child in Children)
                    size = child.TreeSize > long.MaxValue - size ? long.MaxValue : size + child.TreeSize;
                _treeSize = size;
            }
            return _treeSize;
        }
    }

    private string[] CollectVariables()
    {
        if (this is Variable v) return [v.Name];
        var children = Children;
        if (children.Count == 0) return [];
        if (children.Count == 1) return (string[])children[0].Variables;
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var c in children) set.UnionWith(c.Variables);
        return [.. set];
    }

    /// <summary>Structural equality (see <see cref="Equals(Expr)"/>).</summary>
    /// <param name="left">An expression or null.</param>
    /// <param name="right">An expression or null.</param>
    /// <returns>True when both are null or the trees are equal.</returns>
    public static bool operator ==(Expr? left, Expr? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Structural inequality (see <see cref="Equals(Expr)"/>).</summary>
    /// <param name="left">An expression or null.</param>
    /// <param name="right">An expression or null.</param>
    /// <returns>True when the trees differ.</returns>
    public static bool operator !=(Expr? left, Expr? right) => !(left == right);

    /// <summary>A <see cref="Number"/> holding <paramref name="value"/>.</summary>
    /// <param name="value">The number.</param>
    public static implicit operator Expr(double value) => new Number(value);

    /// <summary>The sum a + b, not simplified.</summary>
    /// <param name="a">The left term.</param>
    /// <param name="b">The right term.</param>
    /// <returns>A <see cref="Sum"/>.</returns>
    public static Expr operator +(Expr a, Expr b) => new Sum(a, b);

    /// <summary>The difference a − b, as a + (−1)·b, not simplified.</summary>
    /// <param name="a">The left term.</param>
    /// <param name="b">The term subtracted.</param>
    /// <returns>A <see cref="Sum"/>.</returns>
    public static Expr operator -(Expr a, Expr b) => new Sum(a, Negate(b));

    /// <summary>The negation −a, as (−1)·a (a negated number for a number), not simplified.</summary>
    /// <param name="a">The expression.</param>
    /// <returns>The negation.</returns>
    public static Expr operator -(Expr a) => Negate(a);

    /// <summary>The product a · b, not simplified.</summary>
    /// <param name="a">The left factor.</param>
    /// <param name="b">The right factor.</param>
    /// <returns>A <see cref="Product"/>.</returns>
    public static Expr operator *(Expr a, Expr b) => new Product(a, b);

    /// <summary>The quotient a / b, as a · b^−1, not simplified.</summary>
    /// <param name="a">The dividend.</param>
    /// <param name="b">The divisor.</param>
    /// <returns>A <see cref="Product"/>.</returns>
    public static Expr operator /(Expr a, Expr b) => new Product(a, new Power(b, new Number(-1)));

    /// <summary>The power <paramref name="b"/> raised to <paramref name="exponent"/>, not simplified.</summary>
    /// <param name="b">The base.</param>
    /// <param name="exponent">The exponent.</param>
    /// <returns>A <see cref="Power"/>.</returns>
    public static Expr Pow(Expr b, Expr exponent) => new Power(b, exponent);

    /// <summary>Calls <paramref name="function"/> on <paramref name="arguments"/>, not simplified.</summary>
    /// <param name="function">The function.</param>
    /// <param name="arguments">Its arguments: two for max and min, one for the others.</param>
    /// <returns>A <see cref="FunctionCall"/>.</returns>
    /// <exception cref="ArgumentException">The number of arguments is not the one the function takes.</exception>
    public static Expr Call(MathFunction function, params Expr[] arguments) => new FunctionCall(function, arguments);

    /// <summary>−e as the parser writes it: a negated number, a product with its coefficient negated, or (−1)·e.</summary>
    internal static Expr Negate(Expr e) => e switch
    {
        Number n => new Number(-n.Value),
        Product { Factors: [Number c, ..] } p => new Product([new Number(-c.Value), .. p.Factors.Skip(1)]),
        Product p => new Product([new Number(-1), .. p.Factors]),
        _ => new Product(new Number(-1), e),
    };
}
