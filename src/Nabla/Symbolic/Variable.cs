namespace Nabla.Symbolic;

/// <summary>A named variable, such as <c>x</c> or <c>learning_rate</c>.</summary>
public sealed class Variable : Expr
{
    /// <summary>Creates the variable <paramref name="name"/>.</summary>
    /// <param name="name">An identifier: an ASCII letter or underscore, then letters, digits or underscores; not <c>pi</c>, <c>e</c> or a function name.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not an identifier, or is reserved.</exception>
    public Variable(string name)
    {
        Validate(name, nameof(name));
        Name = name;
    }

    /// <summary>The name.</summary>
    public string Name { get; }

    private protected override IReadOnlyList<Expr> Children => [];

    private protected override bool EqualsSameKind(Expr other) => Name == ((Variable)other).Name;

    private protected override int ComputeHashCode() => HashCode.Combine(2, StringComparer.Ordinal.GetHashCode(Name));

    /// <summary>Whether <paramref name="name"/> is an identifier: a letter or underscore, then letters, digits or underscores.</summary>
    internal static bool IsIdentifier(string? name)
    {
        if (string.IsNullOrEmpty(name) || !(char.IsAsciiLetter(name[0]) || name[0] == '_')) return false;
        foreach (char c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_')) return false;
        return true;
    }

    /// <summary>Throws unless <paramref name="name"/> can name a variable.</summary>
    internal static void Validate(string? name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (!IsIdentifier(name))
            throw new ArgumentException($"'{name}' is not a variable name: use a letter or '_', then letters, digits or '_'.", paramName);
        if (Constant.TryGet(name, out _) || MathFunctions.TryParse(name, out _))
            throw new ArgumentException($"'{name}' is reserved (a constant or function name) and cannot name a variable.", paramName);
    }
}
