using System.Globalization;

namespace Nabla.Selection;

/// <summary>
/// Numbers from [<see cref="Low"/>, <see cref="High"/>]: real or whole, uniform on a linear or a log scale.
/// </summary>
/// <remarks>
/// Model-based searches work in internal coordinates where the prior is uniform: the logarithm on a
/// log scale, and for integers a range widened by ½ at each end so each integer owns an equal width
/// (as Optuna does).
/// </remarks>
internal sealed class RangeDistribution : ParameterDistribution
{
    public RangeDistribution(double low, double high, bool log, bool integer)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high))
            throw new ArgumentException($"A range needs finite bounds, got {Text(low)}..{Text(high)}.");
        if (low >= high)
            throw new ArgumentException($"The range {Text(low)}..{Text(high)} is empty: its low end must be below its high end.");
        if (log && low <= 0)
            throw new ArgumentException($"The log range {Text(low)}..{Text(high)} must start above 0.");
        (Low, High, IsLog, IsInteger) = (low, high, log, integer);
        InternalLow = ToInternal(integer ? low - 0.5 : low);
        InternalHigh = ToInternal(integer ? high + 0.5 : high);
    }

    /// <summary>The smallest value.</summary>
    public double Low { get; }

    /// <summary>The largest value.</summary>
    public double High { get; }

    /// <summary>Whether values are uniform on a log scale.</summary>
    public bool IsLog { get; }

    /// <summary>Whether values are whole numbers (given to the objective as <see cref="int"/>).</summary>
    public bool IsInteger { get; }

    /// <summary>The low end in internal coordinates.</summary>
    public double InternalLow { get; }

    /// <summary>The high end in internal coordinates.</summary>
    public double InternalHigh { get; }

    /// <summary>A value in internal coordinates.</summary>
    public double ToInternal(double value) => IsLog ? Math.Log(value) : value;

    /// <summary>The value at <paramref name="x"/> in internal coordinates, rounded to an integer where the range is one and kept in range.</summary>
    public object FromInternal(double x)
    {
        double value = Math.Clamp(IsLog ? Math.Exp(x) : x, Low, High);
        return IsInteger ? (object)(int)Math.Clamp(Math.Round(value), Low, High) : value;
    }

    /// <summary>The value <paramref name="value"/> (an <see cref="int"/> or a <see cref="double"/>) as a number.</summary>
    public static double Number(object value) => value is int whole ? whole : (double)value;

    /// <inheritdoc/>
    public override IReadOnlyList<object> BoundingValues => IsInteger ? [(int)Low, (int)High] : [Low, High];

    internal override object Sample(Generator random) =>
        IsInteger && !IsLog
            ? (int)Low + random.NextInt((int)(High - Low) + 1)
            : FromInternal(InternalLow + random.NextDouble() * (InternalHigh - InternalLow));

    internal override string Format(object value) => Text(Number(value));

    internal override object? Parse(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < Low || value > High) return null;
        if (!IsInteger) return value;
        return value == Math.Round(value) ? (int)value : null;
    }

    public override string ToString() => $"{Text(Low)}..{Text(High)}{(IsInteger ? ":int" : "")}{(IsLog ? ":log" : "")}";

    internal static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
