namespace Nabla.Symbolic;

/// <summary>A call of one of the <see cref="MathFunction"/> functions on an argument, such as <c>sin(x)</c>.</summary>
public sealed class FunctionCall : Expr
{
    /// <summary>Creates <paramref name="function"/>(<paramref name="argument"/>), without simplifying.</summary>
    /// <param name="function">The function.</param>
    /// <param name="argument">Its argument.</param>
    /// <exception cref="ArgumentNullException"><paramref name="argument"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="function"/> is not a defined <see cref="MathFunction"/>.</exception>
    public FunctionCall(MathFunction function, Expr argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (!Enum.IsDefined(function)) throw new ArgumentOutOfRangeException(nameof(function), function, "Not a MathFunction.");
        Function = function;
        Argument = argument;
    }

    /// <summary>The function.</summary>
    public MathFunction Function { get; }

    /// <summary>The argument.</summary>
    public Expr Argument { get; }

    /// <summary>The function's name as written, such as <c>sin</c>.</summary>
    public string Name => MathFunctions.Name(Function);

    private protected override IReadOnlyList<Expr> Children => [Argument];

    private protected override bool EqualsSameKind(Expr other)
    {
        var f = (FunctionCall)other;
        return Function == f.Function && Argument.Equals(f.Argument);
    }

    private protected override int ComputeHashCode() => HashCode.Combine(7, (int)Function, Argument);
}
