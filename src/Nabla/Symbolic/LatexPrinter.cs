using System.Text;

namespace Nabla.Symbolic;

/// <summary>
/// Writes an expression as LaTeX math: <c>\frac{a}{b}</c> for quotients, <c>x^{n}</c>,
/// <c>\cdot</c> between factors, <c>\left( \right)</c> where precedence needs them,
/// <c>\sin\left(x\right)</c>, <c>\ln</c>, <c>\sqrt{x}</c>, <c>\left|x\right|</c>, <c>e^{x}</c>,
/// <c>\sigma</c> for sigmoid, <c>\ln\left(1 + x\right)</c> for log1p, <c>\theta</c> for heaviside (as SymPy),
/// <c>\max\left(a, b\right)</c>, <c>\operatorname{relu}</c>, <c>\pi</c>. Variables named like Greek letters print as them,
/// <c>x_1</c> as <c>x_{1}</c>, longer names upright.
/// </summary>
internal static class LatexPrinter
{
    private const int SumLevel = 1, ProductLevel = 2, PowerLevel = 3, AtomLevel = 4;

    private static readonly HashSet<string> s_greek = new(StringComparer.Ordinal)
    {
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
        "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Upsilon", "Phi", "Psi", "Omega",
    };

    /// <summary>The LaTeX source of <paramref name="e"/>.</summary>
    public static string Print(Expr e)
    {
        var sb = new StringBuilder();
        Write(sb, e);
        return sb.ToString();
    }

    private static int Level(Expr e) => e switch
    {
        Sum => SumLevel,
        Product => ProductLevel,
        Number n => n.Value < 0 || PrintLayout.AsFraction(n.Value) is not null ? ProductLevel : PrintLayout.FormatNumber(n.Value).Contains('e') ? PowerLevel : AtomLevel,
        Power p when PrintLayout.IsSquareRoot(p) => AtomLevel,
        Power p => PrintLayout.Reciprocal(p) is null ? PowerLevel : ProductLevel,
        FunctionCall { Function: MathFunction.Exp } => PowerLevel,
        _ => AtomLevel,
    };

    private static void Write(StringBuilder sb, Expr e, int minLevel)
    {
        bool parens = Level(e) < minLevel;
        if (parens) sb.Append(@"\left(");
        Write(sb, e);
        if (parens) sb.Append(@"\right)");
    }

    private static void Write(StringBuilder sb, Expr e)
    {
        switch (e)
        {
            case Number n when PrintLayout.AsFraction(Math.Abs(n.Value)) is var (p, q):
                if (n.Value < 0) sb.Append('-');
                sb.Append(@"\frac{").Append(PrintLayout.FormatNumber(p)).Append("}{").Append(PrintLayout.FormatNumber(q)).Append('}');
                break;
            case Number n:
                WriteNumber(sb, n.Value);
                break;
            case Constant c:
                sb.Append(c == Constant.Pi ? @"\pi" : "e");
                break;
            case Variable v:
                sb.Append(VariableName(v.Name));
                break;
            case FunctionCall f:
                WriteCall(sb, f);
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
                if (denominator.Count == 0) WriteFactors(sb, numerator, ProductLevel);
                else
                {
                    sb.Append(@"\frac{");
                    WriteFactors(sb, numerator, 0);
                    sb.Append("}{");
                    WriteFactors(sb, denominator, 0);
                    sb.Append('}');
                }
                break;
            case Power pw when PrintLayout.IsSquareRoot(pw):
                sb.Append(@"\sqrt{");
                Write(sb, pw.Base);
                sb.Append('}');
                break;
            case Power pw when PrintLayout.Reciprocal(pw) is Expr below:
                sb.Append(@"\frac{1}{");
                Write(sb, below);
                sb.Append('}');
                break;
            case Power pw:
                Write(sb, pw.Base, AtomLevel);
                sb.Append("^{");
                Write(sb, pw.Exponent);
                sb.Append('}');
                break;
            default:
                throw new InvalidOperationException($"Cannot print {e.GetType().Name}.");
        }
    }

    // Several factors are joined by \cdot; a lone one needs parentheses only below loneLevel
    // (none inside \frac{..}{..}, a sum after a minus sign elsewhere).
    private static void WriteFactors(StringBuilder sb, List<Expr> factors, int loneLevel)
    {
        if (factors.Count == 0) sb.Append('1');
        else if (factors.Count == 1) Write(sb, factors[0], loneLevel);
        else
        {
            for (int i = 0; i < factors.Count; i++)
            {
                if (i > 0) sb.Append(@" \cdot ");
                Write(sb, factors[i], PowerLevel);
            }
        }
    }

    private static void WriteCall(StringBuilder sb, FunctionCall f)
    {
        switch (f.Function)
        {
            case MathFunction.Exp:
                sb.Append("e^{");
                Write(sb, f.Argument);
                sb.Append('}');
                return;
            case MathFunction.Sqrt:
                sb.Append(@"\sqrt{");
                Write(sb, f.Argument);
                sb.Append('}');
                return;
            case MathFunction.Abs:
                sb.Append(@"\left|");
                Write(sb, f.Argument);
                sb.Append(@"\right|");
                return;
            case MathFunction.Log1p:
                // As the sum it stands for, so that log1p(-x) reads ln(1 − x), not ln(1 + −x).
                sb.Append(@"\ln\left(");
                Write(sb, new Sum([Number.One, .. f.Argument is Sum terms ? terms.Terms : [f.Argument]]));
                sb.Append(@"\right)");
                return;
        }
        sb.Append(f.Function switch
        {
            MathFunction.Log => @"\ln",
            MathFunction.Sigmoid => @"\sigma",
            MathFunction.Asin => @"\arcsin",
            MathFunction.Acos => @"\arccos",
            MathFunction.Atan => @"\arctan",
            MathFunction.Heaviside => @"\theta",
            MathFunction.Relu or MathFunction.Softplus or MathFunction.Erf => @"\operatorname{" + f.Name + "}",
            _ => @"\" + f.Name,
        });
        sb.Append(@"\left(");
        for (int i = 0; i < f.Arguments.Count; i++)
        {
            if (i > 0) sb.Append(", ");
            Write(sb, f.Arguments[i]);
        }
        sb.Append(@"\right)");
    }

    private static void WriteNumber(StringBuilder sb, double v)
    {
        string s = PrintLayout.FormatNumber(v);
        int e = s.IndexOf('e');
        if (e < 0)
        {
            sb.Append(s);
            return;
        }
        // 1e-05 -> 1 \times 10^{-5}
        int exponent = int.Parse(s.AsSpan(e + 1), System.Globalization.CultureInfo.InvariantCulture);
        sb.Append(s, 0, e).Append(@" \times 10^{").Append(exponent.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('}');
    }

    private static string VariableName(string name)
    {
        if (name.Length == 1) return name;
        if (s_greek.Contains(name)) return @"\" + name;
        int underscore = name.IndexOf('_');
        if (underscore > 0 && underscore < name.Length - 1)
        {
            string head = name[..underscore], tail = name[(underscore + 1)..];
            if (head.Length == 1 || s_greek.Contains(head))
            {
                string sub = tail.Length == 1 || tail.All(char.IsAsciiDigit) ? tail : @"\mathrm{" + tail.Replace("_", @"\_") + "}";
                return VariableName(head) + "_{" + sub + "}";
            }
        }
        return @"\mathrm{" + name.Replace("_", @"\_") + "}";
    }
}
