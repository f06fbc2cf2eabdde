namespace Nabla.Symbolic;

/// <summary>A call of one of the <see cref="MathFunction"/> functions, such as <c>sin(x)</c> or <c>max(x, y)</c>.</summary>
public sealed class FunctionCall : Expr
{
    private readonly Expr[] _arguments;

    /// <summary>Creates <paramref name="function"/>(<paramref name="arguments"/>), without simplifying.</summary>
    /// <param name="function">The function.</param>
    /// <param name="arguments">Its arguments: two for <see cref="MathFunction.Max"/> and <see cref="MathFunction.Min"/>, one for the others.</param>
    /// <exception cref="ArgumentNullException"><paramref name="arguments"/> or one of them is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="function"/> is not a defined <see cref="MathFunction"/>.</exception>
    /// <exception cref="ArgumentException">The number of arguments is not the one the function takes.</exception>
    public FunctionCall(MathFunction function, params Expr[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!Enum.IsDefined(function)) throw new ArgumentOutOfRangeException(nameof(function), function, "Not a MathFunction.");
        foreach (var argument in arguments) ArgumentNullException.ThrowIfNull(argument, nameof(arguments));
        int arity = MathFunctions.Arity(function);
        if (arguments.Length != arity)
            throw new ArgumentException($"{MathFunctions.Name(function)} takes {arity} argument{(arity == 1 ? "" : "s")}, not {arguments.Length}.", nameof(arguments));
        Function = function;
        _arguments = [.. arguments];
    }

    /// <summary>The function.</summary>
    public MathFunction Function { get; }

    /// <summary>The arguments, in order.</summary>
    public IReadOnlyList<Expr> Arguments => _arguments;

    /// <summary>The first argument: the only one, except for max and min.</summary>
    public Expr Argument => _arguments[0];

    /// <summary>The function's name as written, such as <c>sin</c>.</summary>
    public string Name => MathFunctions.Name(Function);

    private protected override IReadOnlyList<Expr> Children => _arguments;

    private protected override bool EqualsSameKind(Expr other)
    {
        var f = (FunctionCall)other;
        if (Function != f.Function) return false;
        for (int i = 0; i < _arguments.Length; i++)
            if (!_arguments[i].Equals(f._arguments[i])) return false;
        return true;
    }

    private protected override int ComputeHashCode()
    {
        var hash = new HashCode();
        hash.Add(7);
        hash.Add((int)Function);
        foreach (var argument in _arguments) hash.Add(argument);
        return hash.ToHashCode();
    }
}
