using System.Text.Json.Nodes;
using Nabla.Calculus;
using Nabla.Symbolic;

namespace Nabla.Cli;

/// <summary>
/// <c>nabla integrate --method monte-carlo</c>: an integral over a finite interval estimated by
/// uniform sampling (<see cref="MonteCarlo.Integral"/>), or, with <c>--distribution normal</c>, the
/// expectation E[f(X)] for a normal X (<see cref="MonteCarlo.Expectation"/>). Either way the
/// estimate comes with its standard error, a 95 % interval and the sample count. The samples are
/// streamed, never stored, so time grows with <c>--samples</c> and memory not at all.
/// </summary>
internal static class MonteCarloIntegration
{
    /// <summary>The words of <c>--method</c> and <c>--distribution</c>.</summary>
    public const string Adaptive = "adaptive", MonteCarlo = "monte-carlo", Normal = "normal";

    /// <summary>
    /// The samples drawn when <c>--samples</c> is not given: a standard error near σ_f·|B − A|/1000,
    /// in well under a second for a compiled integrand.
    /// </summary>
    public const int DefaultSamples = 1_000_000;

    /// <summary>The most samples accepted: a few seconds for a small compiled integrand (about 40 ns a sample), and no memory per sample.</summary>
    public const int MaxSamples = 100_000_000;

    /// <summary>The two-sided 95 % quantile of the standard normal, Φ⁻¹(0.975).</summary>
    private const double Z95 = 1.959963984540054;

    /// <summary>The monte-carlo options; <paramref name="Distribution"/> is null for an integral over --from..--to.</summary>
    public sealed record Settings(int Samples, ulong Seed, string? Distribution, double Mean, double Std);

    /// <summary>Estimates, prints and returns the exit code.</summary>
    /// <exception cref="CommandInputException">A value is out of range, a bound is infinite, or the integrand is not finite at a sample.</exception>
    public static int Execute(Settings settings, Expr expression, string text, string variable, string[] at, string? from, string? to, bool json)
    {
        if (settings.Samples is < 2 or > MaxSamples)
            throw new CommandInputException($"--samples must be from 2 to {MaxSamples:N0}, got {settings.Samples}.");
        double a = 0, b = 0;
        if (settings.Distribution is null)
        {
            a = MathInput.ParseNumber(from!, "--from", allowInfinity: true);
            b = MathInput.ParseNumber(to!, "--to", allowInfinity: true);
            if (!double.IsFinite(b - a))
                throw new CommandInputException(
                    $"--method monte-carlo samples uniformly between --from and --to, which needs a finite interval, got [{CommandOutput.Format(a)}, {CommandOutput.Format(b)}]; "
                    + "use --method adaptive for an infinite range, or --distribution normal [--mean M --std S] for an expectation over the whole line.");
        }
        else if (!double.IsFinite(settings.Mean) || !(settings.Std > 0 && double.IsFinite(settings.Std)))
            throw new CommandInputException(
                $"--distribution normal needs a finite --mean and a positive, finite --std, got --mean {CommandOutput.Format(settings.Mean)} and --std {CommandOutput.Format(settings.Std)}.");
        var f = MathInput.BindAllBut(expression, text, variable, at, "--at", out var bindings);

        MonteCarloResult result;
        try
        {
            result = settings.Distribution is null
                ? Calculus.MonteCarlo.Integral(f, a, b, settings.Samples, settings.Seed)
                : Calculus.MonteCarlo.Expectation(g => settings.Mean + settings.Std * g.NextNormal(), f, settings.Samples, settings.Seed);
        }
        catch (ArgumentException e) when (e.ParamName == "f")
        {
            // "f is NaN at x = ..." names the library's parameter and its own variable; here they are the expression and its variable.
            string message = ErrorHandling.MessageOf(e);
            throw new CommandInputException(
                $"\"{text}\" is {message["f is ".Length..].Replace(" at x = ", $" at {variable} = ", StringComparison.Ordinal)
                    .Replace("the expectation needs finite values.", "Monte Carlo needs an integrand that is finite wherever it samples.", StringComparison.Ordinal)}");
        }

        if (result.VarianceMayBeInfinite)
            throw new CommandInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"\"{text}\" looks to have no finite variance: the draw at {variable} = {CommandOutput.Brief(result.LargestAt)} alone carries {result.LargestShare:P0} of the sum of the squared values, "
                + $"so the standard error means nothing and the estimate cannot be trusted (a singularity near there?); use --method adaptive, which says whether the integral converges."));
        double low = result.Value - Z95 * result.StandardError, high = result.Value + Z95 * result.StandardError;
        if (json)
        {
            CommandOutput.WriteJson(new JsonObject
            {
                ["command"] = "integrate",
                ["expression"] = text,
                ["variable"] = variable,
                ["method"] = MonteCarlo,
                ["distribution"] = settings.Distribution ?? "uniform",
                ["from"] = settings.Distribution is null ? CommandOutput.Json(a) : null,
                ["to"] = settings.Distribution is null ? CommandOutput.Json(b) : null,
                ["mean"] = settings.Distribution is null ? null : CommandOutput.Json(settings.Mean),
                ["std"] = settings.Distribution is null ? null : CommandOutput.Json(settings.Std),
                ["at"] = CommandOutput.Json(bindings),
                ["value"] = CommandOutput.Json(result.Value),
                ["standardError"] = CommandOutput.Json(result.StandardError),
                ["interval95"] = new JsonArray(CommandOutput.Json(low), CommandOutput.Json(high)),
                ["samples"] = result.Samples,
                ["seed"] = settings.Seed,
            });
        }
        else
        {
            Console.Out.WriteLine(CommandOutput.Format(result.Value));
            Console.Out.WriteLine(
                $"standard error {CommandOutput.Brief(result.StandardError)}, 95 % interval [{ToErrorDigits(low, result.StandardError)}, {ToErrorDigits(high, result.StandardError)}], "
                + $"{result.Samples} samples, seed {settings.Seed}");
        }
        return ExitCodes.Success;
    }

    /// <summary>
    /// <paramref name="value"/> to the decimal of the standard error's second significant digit: 0.33283 for a
    /// standard error of 0.0003, 1000.5 for 0.1, where three significant digits would print both as 1e+03.
    /// </summary>
    private static string ToErrorDigits(double value, double standardError)
    {
        if (!(standardError > 0)) return CommandOutput.Format(value);
        int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(standardError)), 0, 15);
        return value.ToString("F" + decimals, System.Globalization.CultureInfo.InvariantCulture);
    }
}
