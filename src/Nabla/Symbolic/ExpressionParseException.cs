namespace Nabla.Symbolic;

/// <summary>
/// Thrown by <see cref="Expr.Parse"/> when the text is not a valid expression. The message says
/// what is wrong and where, such as "unexpected ')' at column 7" or "unknown function 'sinn' at
/// column 1"; <see cref="Column"/> holds the same 1-based column.
/// </summary>
public sealed class ExpressionParseException : FormatException
{
    /// <summary>Creates the exception for a problem at <paramref name="column"/> of <paramref name="expression"/>.</summary>
    /// <param name="message">What is wrong and where, in one line.</param>
    /// <param name="expression">The text being parsed.</param>
    /// <param name="column">The 1-based column of the problem; one past the end for a problem at the end of the text.</param>
    public ExpressionParseException(string message, string expression, int column) : base(message)
    {
        Expression = expression;
        Column = column;
    }

    /// <summary>The text being parsed.</summary>
    public string Expression { get; }

    /// <summary>The 1-based column of the problem (one past the end for a problem at the end of the text).</summary>
    public int Column { get; }
}
