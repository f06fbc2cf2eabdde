using System.Globalization;

namespace Nabla.Optim;

/// <summary>
/// Checks of optimizer and scheduler settings, each throwing an exception whose message names the
/// setting and the value it got ("learning rate must be non-negative, got -0.1").
/// </summary>
internal static class Hyperparameters
{
    /// <summary>The value as it appears in messages, whatever the current culture.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A finite value ≥ 0.</summary>
    public static double NonNegative(double value, string what, string paramName)
    {
        if (!(value >= 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(paramName, $"{what} must be non-negative, got {Format(value)}");
        return value;
    }

    /// <summary>A finite value &gt; 0.</summary>
    public static double Positive(double value, string what, string paramName)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(paramName, $"{what} must be positive, got {Format(value)}");
        return value;
    }

    /// <summary>A value in [0, 1): a decay rate such as a beta or a momentum.</summary>
    public static double InUnitInterval(double value, string what, string paramName)
    {
        if (!(value >= 0 && value < 1))
            throw new ArgumentOutOfRangeException(paramName, $"{what} must be in [0, 1), got {Format(value)}");
        return value;
    }

    /// <summary>A value in [0, 1]: a fraction such as dampening or a factor of the learning rate.</summary>
    public static double Fraction(double value, string what, string paramName)
    {
        if (!(value >= 0 && value <= 1))
            throw new ArgumentOutOfRangeException(paramName, $"{what} must be in [0, 1], got {Format(value)}");
        return value;
    }

    /// <summary>An integer ≥ 1 (step counts, periods, history sizes).</summary>
    public static int AtLeastOne(int value, string what, string paramName)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(paramName, $"{what} must be at least 1, got {value}");
        return value;
    }
}
