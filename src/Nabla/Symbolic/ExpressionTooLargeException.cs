namespace Nabla.Symbolic;

/// <summary>
/// Thrown by <see cref="Expr.Differentiate(string, int, long)"/> when a derivative grows past the
/// number of nodes it was allowed. <see cref="Order"/> says at which order: differentiation stops
/// there, since the higher orders are usually larger still.
/// </summary>
public sealed class ExpressionTooLargeException : InvalidOperationException
{
    /// <summary>Creates the exception for the derivative of order <paramref name="order"/> with respect to <paramref name="variable"/>.</summary>
    /// <param name="variable">The variable differentiated by.</param>
    /// <param name="order">The order whose derivative grew past the limit, from 1.</param>
    /// <param name="limit">The most nodes allowed.</param>
    public ExpressionTooLargeException(string variable, int order, long limit)
        : base($"the derivative of order {order} with respect to {variable} grows past {limit} nodes (the limit)")
    {
        Variable = variable;
        Order = order;
        Limit = limit;
    }

    /// <summary>The variable differentiated by.</summary>
    public string Variable { get; }

    /// <summary>The order whose derivative grew past <see cref="Limit"/>, from 1.</summary>
    public int Order { get; }

    /// <summary>The most nodes a derivative was allowed.</summary>
    public long Limit { get; }
}
