using System.Text;

namespace Nabla.Symbolic;

/// <summary>
/// Writes an expression in the syntax <see cref="Parser"/> reads, with the fewest parentheses the
/// precedence rules need: sums (1) below products and quotients (2, also a leading minus) below
/// powers (3) below atoms. A power's base needs parentheses below atom level, its exponent below
/// power level (^ is right-associative), a factor below power level, a term of a sum only when it
/// is itself a sum. b^½ prints as sqrt(b), and numbers with a long decimal form that are a
/// small fraction as p/q (see <see cref="PrintLayout.AsFraction"/>).
/// </summary>
internal static class Printer
{
    private const int SumLevel = 1, ProductLevel = 2, PowerLevel = 3, AtomLevel = 4;

    /// <summary>The text of <paramref name="e"/>.</summary>
    public static string Print(Expr e)
    {
        var sb = new StringBuilder();
        Write(sb, e);
        return sb.ToString();
    }

    /// <summary>How tightly the printed form of <paramref name="e"/> binds.</summary>
    private static int Level(Expr e) => e switch
    {
        Sum => SumLevel,
        Product => ProductLevel,
        Number n => n.Value < 0 || PrintLayout.AsFraction(n.Value) is not null ? ProductLevel : AtomLevel,
        Power p when PrintLayout.IsSquareRoot(p) => AtomLevel,
        Power p => PrintLayout.Reciprocal(p) is null ? PowerLevel : ProductLevel,
        _ => AtomLevel,
    };

    private static void Write(StringBuilder sb, Expr e, int minLevel)
    {
        bool parens = Level(e) < minLevel;
        if (parens) sb.Append('(');
        Write(sb, e);
        if (parens) sb.Append(')');
    }

    private static void Write(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case Number n when PrintLayout.AsFraction(Math.Abs(n.Value)) is var (p, q):
                sb.Append(n.Value < 0 ? "-" : "").Append(PrintLayout.FormatNumber(p)).Append('/').Append(PrintLayout.FormatNumber(q));
                break;
            case Number n:
                sb.Append(PrintLayout.FormatNumber(n.Value));
                break;
            case Constant c:
                sb.Append(c.Name);
                break;
            case Variable v:
                sb.Append(v.Name);
                break;
            case FunctionCall f:
                sb.Append(f.Name).Append('(');
                for (int i = 0; i < f.Arguments.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(sb, f.Arguments[i]);
                }
                sb.Append(')');
                break;
            case Sum s:
                var terms = PrintLayout.SumTerms(s);
                for (int i = 0; i < terms.Count; i++)
                {
                    var (negative, magnitude) = terms[i];
                    if (i == 0)
                    {
                        if (negative) sb.Append('-');
                    }
                    else sb.Append(negative ? " - " : " + ");
                    Write(sb, magnitude, ProductLevel);
                }
                break;
            case Product p:
                var (minus, numerator, denominator) = PrintLayout.Fraction(p);
                if (minus) sb.Append('-');
                WriteFactors(sb, numerator);
                if (denominator.Count > 0)
                {
                    sb.Append('/');
                    if (denominator.Count == 1) Write(sb, denominator[0], PowerLevel);
                    else
                    {
                        sb.Append('(');
                        WriteFactors(sb, denominator);
                        sb.Append(')');
                    }
                }
                break;
            case Power pw when PrintLayout.IsSquareRoot(pw):
                sb.Append("sqrt(");
                Write(sb, pw.Base);
                sb.Append(')');
                break;
            case Power pw when PrintLayout.Reciprocal(pw) is Expr below:
                sb.Append("1/");
                Write(sb, below, PowerLevel);
                break;
            case Power pw:
                Write(sb, pw.Base, AtomLevel);
                sb.Append('^');
                Write(sb, pw.Exponent, PowerLevel);
                break;
            default:
                throw new InvalidOperationException($"Cannot print {e.GetType().Name}.");
        }
    }

    private static void WriteFactors(StringBuilder sb, List<Expr> factors)
    {
        if (factors.Count == 0) sb.Append('1');
        for (int i = 0; i < factors.Count; i++)
        {
            if (i > 0) sb.Append('*');
            Write(sb, factors[i], PowerLevel);
        }
    }
}
