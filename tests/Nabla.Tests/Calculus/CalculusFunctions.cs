namespace Nabla.Tests.Calculus;

/// <summary>
/// The C# twins of the SymPy functions in tools/fixtures/sympy_numeric_derivatives.py, by the same
/// names. The fixture records each function's values, and <c>NumericDiffTests</c> and <c>LimitTests</c>
/// check these lambdas against them, so a typo here cannot pass as a wrong reference.
/// </summary>
internal static class CalculusFunctions
{
    internal static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    internal static readonly Dictionary<string, Func<double, double>> Scalar = new()
    {
        ["exp"] = Math.Exp,
        ["sin"] = Math.Sin,
        ["log"] = Math.Log,
        ["cube"] = x => x * x * x,
        ["atan"] = Math.Atan,
        ["runge"] = x => 1 / (1 + x * x),
        ["x2_sin"] = x => x * x * Math.Sin(x),
        ["exp_cos"] = x => Math.Exp(x) * Math.Cos(x),
        ["sqrt"] = Math.Sqrt,
        ["tanh"] = Math.Tanh,
        ["log1p_x2"] = x => Math.Log(1 + x * x),
        ["sigmoid"] = Sigmoid,
    };

    internal static readonly Dictionary<string, Func<double[], double>> Multivariate = new()
    {
        ["rosenbrock"] = x => (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]),
        ["exp_sin_mix"] = x => Math.Exp(x[0]) * Math.Sin(x[1]) + x[2] * x[2] * x[0],
        ["logsumexp"] = x => Math.Log(Math.Exp(x[0]) + Math.Exp(x[1]) + Math.Exp(x[2])),
        ["mixed_scale"] = x => x[0] * x[0] * x[1] + Math.Log(x[0]) * Math.Sin(x[1]),
    };

    internal static readonly Dictionary<string, Func<double[], double[]>> Vector = new()
    {
        ["polar"] = x => [x[0] * Math.Cos(x[1]), x[0] * Math.Sin(x[1])],
        ["mixed_map"] = x => [x[0] * x[1] * x[2], Math.Sin(x[0]) + Math.Exp(x[1] * x[2])],
        ["softmax3"] = x =>
        {
            double sum = Math.Exp(x[0]) + Math.Exp(x[1]) + Math.Exp(x[2]);
            return [Math.Exp(x[0]) / sum, Math.Exp(x[1]) / sum, Math.Exp(x[2]) / sum];
        },
    };

    internal static readonly Dictionary<string, Func<double, double>> Limits = new()
    {
        ["sinc_at_0"] = x => Math.Sin(x) / x,
        ["compound_interest_at_inf"] = x => Math.Pow(1 + 1 / x, x),
        ["x_log_x_at_0"] = x => x * Math.Log(x),
        ["sign_at_0"] = x => Math.Abs(x) / x,
        ["inverse_square_at_0"] = x => 1 / (x * x),
        ["reciprocal_at_0"] = x => 1 / x,
        ["sin_reciprocal_at_0"] = x => Math.Sin(1 / x),
        ["expm1_over_x_at_0"] = x => (Math.Exp(x) - 1) / x,
        ["one_minus_cos_over_x2_at_0"] = x => (1 - Math.Cos(x)) / (x * x),
        ["x_sin_reciprocal_at_0"] = x => x * Math.Sin(1 / x),
        ["square_at_3"] = x => x * x,
        ["exp_neg_at_inf"] = x => Math.Exp(-x),
        ["identity_at_inf"] = x => x,
        ["log_at_0"] = Math.Log,
        ["exp_at_neg_inf"] = Math.Exp,
        ["atan_at_neg_inf"] = Math.Atan,
        ["rational_at_inf"] = x => (x * x + 1) / (2 * x * x - 3),
        ["sqrt_difference_at_inf"] = x => Math.Sqrt(x * x + x) - x,
        ["removable_at_2"] = x => (x * x * x - 8) / (x - 2),
        ["x_to_x_at_0"] = x => Math.Pow(x, x),
        ["cube_at_neg_inf"] = x => x * x * x,
    };
}
