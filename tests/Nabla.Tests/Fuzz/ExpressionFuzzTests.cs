using Nabla.Symbolic;

namespace Nabla.Tests.Fuzz;

/// <summary>
/// Damaged and crafted expressions: parsed, and when parsed, differentiated and evaluated; refused with
/// a parse error that says where, or answered, within the time and allocation bounds.
/// </summary>
public sealed class ExpressionFuzzTests
{
    private const int CasesPerSeed = 300;

    public static TheoryData<string> Seeds() =>
    [
        "sin(x)^2 + cos(x)^2", "exp(-x^2/2)/sqrt(2*pi)", "log(1 + exp(x)) - x*y", "tanh(x)*(1 - x^3)/(x + 2)", "x^x",
    ];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void HostileExpressions_AreRefusedOrAnswered_WithinBounds(string seed)
    {
        var mutator = new Mutator(seed.Length);
        int accepted = 0;
        for (int i = 0; i < CasesPerSeed; i++)
        {
            string text = mutator.Text(seed);
            accepted += HostileInput.Check($"'{seed}' #{i}: {text}", null, 32L << 20, () =>
            {
                var expression = Expr.Parse(text);
                foreach (string variable in expression.Variables)
                {
                    var derivative = expression.Differentiate(variable);
                    derivative.Evaluate(expression.Variables.ToDictionary(v => v, _ => 0.5));
                }
            }, typeof(ExpressionParseException)) ? 1 : 0;
        }

        Assert.InRange(accepted, 1, CasesPerSeed - 1);
    }
}
