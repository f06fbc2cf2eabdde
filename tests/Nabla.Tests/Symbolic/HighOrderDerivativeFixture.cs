using System.Text.Json;

namespace Nabla.Tests.Symbolic;

/// <summary>
/// The cases of Fixtures/sympy_high_order_derivatives.json, written by
/// tools/fixtures/sympy_high_order_derivatives.py: derivatives up to order 20, each at three
/// points, from SymPy's symbolic derivatives or mpmath's high-precision numerical ones.
/// </summary>
internal static class HighOrderDerivativeFixture
{
    private static readonly Lazy<List<Case>> s_cases = new(Load);

    /// <summary>Every case, in the file's order.</summary>
    public static IReadOnlyList<Case> Cases => s_cases.Value;

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static Case Named(string name) => Cases.Single(c => c.Name == name);

    /// <summary>One expression's derivative of one order by one variable, at each point (which binds every variable).</summary>
    internal sealed record Case(string Name, string Expression, string Variable, int Order, string Method,
        List<Dictionary<string, double>> Points, double[] Values);

    private static List<Case> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "sympy_high_order_derivatives.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("name").GetString()!,
            c.GetProperty("expression").GetString()!,
            c.GetProperty("variable").GetString()!,
            c.GetProperty("order").GetInt32(),
            c.GetProperty("method").GetString()!,
            [.. c.GetProperty("points").EnumerateArray().Select(p => p.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetDouble()))],
            [.. c.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())]))];
    }
}
