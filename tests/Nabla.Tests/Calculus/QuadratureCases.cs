using System.Globalization;
using System.Text.Json;

namespace Nabla.Tests.Calculus;

/// <summary>
/// The integrals of Fixtures/scipy_quad.json (written by tools/fixtures/scipy_quad.py): each case's
/// bounds, tolerances, exact value and SciPy's result, with the integrand written in C# under the
/// same name. bench/Nabla.Bench links this file to time the same integrals.
/// </summary>
public static class QuadratureCases
{
    /// <summary>Each fixture case's integrand, the same formula as the fixture's SymPy expression.</summary>
    public static readonly IReadOnlyDictionary<string, Func<double, double>> Integrands = new Dictionary<string, Func<double, double>>
    {
        ["log_0_1"] = Math.Log,
        ["inverse_sqrt_0_1"] = x => 1 / Math.Sqrt(x),
        ["gaussian_real_line"] = x => Math.Exp(-x * x),
        ["x2_exp_half_line"] = x => x * x * Math.Exp(-x),
        ["cos_50x_0_1"] = x => Math.Cos(50 * x),
        ["abs_kink_0_1"] = x => Math.Abs(x - 0.3),
        ["sin_0_pi"] = Math.Sin,
        ["lorentzian_real_line"] = x => 1 / (1 + x * x),
        ["x_pow_minus_0_9_0_1"] = x => Math.Pow(x, -0.9),
        ["narrow_peak_0_1"] = x => 1 / ((x - 0.5) * (x - 0.5) + 1e-4),
        ["sqrt_x_log_x_0_1"] = x => Math.Sqrt(x) * Math.Log(x),
        ["exp_lower_half_line"] = Math.Exp,
        ["log_cos_0_half_pi"] = x => Math.Log(Math.Cos(x)),
        ["gamma_half_half_line"] = x => Math.Exp(-x) / Math.Sqrt(x),
        ["sinc_half_line"] = x => Math.Sin(x) / x,
    };

    /// <summary>The fixture's cases, in its order.</summary>
    public static IReadOnlyList<QuadratureCase> All => s_cases.Value;

    /// <summary>The fixture case called <paramref name="name"/>.</summary>
    public static QuadratureCase Get(string name) => s_cases.Value.Single(c => c.Name == name);

    private static readonly Lazy<List<QuadratureCase>> s_cases = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Fixtures", "scipy_quad.json")));

    /// <summary>Reads the fixture at <paramref name="path"/>.</summary>
    public static List<QuadratureCase> Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new QuadratureCase(
            c.GetProperty("name").GetString()!,
            c.GetProperty("integrand").GetString()!,
            Bound(c.GetProperty("a")),
            Bound(c.GetProperty("b")),
            c.GetProperty("epsrel").GetDouble(),
            c.GetProperty("epsabs").GetDouble(),
            c.GetProperty("exact").GetDouble(),
            c.GetProperty("scipy_value").GetDouble(),
            c.GetProperty("scipy_abserr").GetDouble(),
            c.GetProperty("scipy_neval").GetInt32(),
            c.GetProperty("scipy_converged").GetBoolean()))];
    }

    private static double Bound(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? e.GetString() switch
        {
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            var s => double.Parse(s!, CultureInfo.InvariantCulture),
        }
        : e.GetDouble();
}

/// <summary>One integral of the fixture, with what SciPy's quad made of it.</summary>
public sealed record QuadratureCase(string Name, string Integrand, double A, double B, double RelativeTolerance, double AbsoluteTolerance,
    double Exact, double ScipyValue, double ScipyError, int ScipyEvaluations, bool ScipyConverged)
{
    /// <summary>The C# integrand of this case.</summary>
    public Func<double, double> F => QuadratureCases.Integrands[Name];
}
