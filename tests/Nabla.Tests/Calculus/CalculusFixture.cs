using System.Text.Json;

namespace Nabla.Tests.Calculus;

/// <summary>
/// Fixtures/numeric_derivatives.json, written by tools/fixtures/sympy_numeric_derivatives.py:
/// SymPy's derivatives, gradients, Hessians, Jacobians and limits of the functions in <see cref="CalculusFunctions"/>.
/// </summary>
internal static class CalculusFixture
{
    internal sealed record ScalarCase(string Name, string Sympy, double[] Points, double[] Values, double[] First, double[] Second);

    internal sealed record MultivariateCase(string Name, string Sympy, double[][] Points, double[] Values, double[][] Gradients, double[][][] Hessians);

    internal sealed record JacobianCase(string Name, double[][] Points, double[][] Values, double[][][] Jacobians);

    /// <summary>SymPy's answer for one limit: <c>Kind</c> is finite, +inf, -inf, zoo, oscillates or does_not_exist.</summary>
    internal sealed record Answer(string Kind, double Value, double Lower, double Upper);

    internal sealed record LimitCase(string Name, string Sympy, string At, string Direction, (double X, double Value)[] Samples, Answer Answer, Answer? Left, Answer? Right);

    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "numeric_derivatives.json"))));

    private static JsonElement Section(string name) => s_document.Value.RootElement.GetProperty(name);

    internal static IReadOnlyList<ScalarCase> Derivatives { get; } = [.. Section("derivatives").EnumerateArray().Select(c => new ScalarCase(
        c.GetProperty("name").GetString()!, c.GetProperty("sympy").GetString()!, Vector(c.GetProperty("points")),
        Vector(c.GetProperty("values")), Vector(c.GetProperty("first")), Vector(c.GetProperty("second"))))];

    internal static IReadOnlyList<MultivariateCase> Multivariate { get; } = [.. Section("multivariate").EnumerateArray().Select(c => new MultivariateCase(
        c.GetProperty("name").GetString()!, c.GetProperty("sympy").GetString()!, Matrix(c.GetProperty("points")),
        Vector(c.GetProperty("values")), Matrix(c.GetProperty("gradients")),
        [.. c.GetProperty("hessians").EnumerateArray().Select(Matrix)]))];

    internal static IReadOnlyList<JacobianCase> Jacobians { get; } = [.. Section("jacobians").EnumerateArray().Select(c => new JacobianCase(
        c.GetProperty("name").GetString()!, Matrix(c.GetProperty("points")), Matrix(c.GetProperty("values")),
        [.. c.GetProperty("jacobians").EnumerateArray().Select(Matrix)]))];

    internal static IReadOnlyList<LimitCase> Limits { get; } = [.. Section("limits").EnumerateArray().Select(c => new LimitCase(
        c.GetProperty("name").GetString()!, c.GetProperty("sympy").GetString()!, c.GetProperty("at").GetString()!,
        c.GetProperty("direction").GetString()!,
        [.. c.GetProperty("samples").EnumerateArray().Select(s => (s.GetProperty("x").GetDouble(), s.GetProperty("value").GetDouble()))],
        ReadAnswer(c.GetProperty("answer")),
        c.TryGetProperty("left", out var left) ? ReadAnswer(left) : null,
        c.TryGetProperty("right", out var right) ? ReadAnswer(right) : null))];

    private static double[] Vector(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    private static double[][] Matrix(JsonElement e) => [.. e.EnumerateArray().Select(Vector)];

    private static Answer ReadAnswer(JsonElement e) => new(
        e.GetProperty("kind").GetString()!,
        e.TryGetProperty("value", out var v) ? v.GetDouble() : double.NaN,
        e.TryGetProperty("lower", out var lo) ? lo.GetDouble() : double.NaN,
        e.TryGetProperty("upper", out var hi) ? hi.GetDouble() : double.NaN);
}
