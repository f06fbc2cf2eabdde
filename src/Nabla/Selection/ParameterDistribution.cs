namespace Nabla.Selection;

/// <summary>
/// Where one hyper-parameter's values come from: a range of real numbers or integers (on a linear or a
/// log scale), or a list of choices. Build one with <see cref="Uniform"/>, <see cref="LogUniform"/>,
/// <see cref="IntUniform"/>, <see cref="LogIntUniform"/> or <see cref="Choice"/>.
/// </summary>
public abstract class ParameterDistribution
{
    private protected ParameterDistribution() { }

    /// <summary>Real numbers drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <exception cref="ArgumentException">A bound is not finite, or <paramref name="low"/> ≥ <paramref name="high"/>.</exception>
    public static ParameterDistribution Uniform(double low, double high) => new RangeDistribution(low, high, log: false, integer: false);

    /// <summary>Real numbers whose logarithm is uniform on [ln <paramref name="low"/>, ln <paramref name="high"/>] (learning rates, weight decay).</summary>
    /// <exception cref="ArgumentException">A bound is not finite, <paramref name="low"/> ≤ 0, or <paramref name="low"/> ≥ <paramref name="high"/>.</exception>
    public static ParameterDistribution LogUniform(double low, double high) => new RangeDistribution(low, high, log: true, integer: false);

    /// <summary>Integers drawn uniformly from <paramref name="low"/> … <paramref name="high"/>, both included.</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> ≥ <paramref name="high"/>.</exception>
    public static ParameterDistribution IntUniform(int low, int high) => new RangeDistribution(low, high, log: false, integer: true);

    /// <summary>Integers from <paramref name="low"/> … <paramref name="high"/> whose logarithm is about uniform (layer widths, batch sizes).</summary>
    /// <exception cref="ArgumentException"><paramref name="low"/> ≤ 0, or <paramref name="low"/> ≥ <paramref name="high"/>.</exception>
    public static ParameterDistribution LogIntUniform(int low, int high) => new RangeDistribution(low, high, log: true, integer: true);

    /// <summary>
    /// One of <paramref name="values"/>, each equally likely a priori: numbers (<see cref="int"/>,
    /// <see cref="double"/>), strings, or lists of numbers (<c>int[]</c>, <c>double[]</c>, such as hidden widths).
    /// </summary>
    /// <exception cref="ArgumentException">No values, a value of another type, or two values that read the same.</exception>
    public static ParameterDistribution Choice(params object[] values) => new ChoiceDistribution(values);

    /// <summary>
    /// The values that bound what the distribution can give: every value of a choice, or a range's two ends
    /// (an <see cref="int"/> for an integer range, a <see cref="double"/> otherwise). A rule that holds for each
    /// of them (a rate above 0, a probability below 1) holds for every value drawn, since the rules that check
    /// settings are intervals.
    /// </summary>
    public abstract IReadOnlyList<object> BoundingValues { get; }

    /// <summary>A value drawn from the distribution.</summary>
    internal abstract object Sample(Generator random);

    /// <summary>The value <paramref name="value"/> as the search-space syntax writes it (used to save and compare values).</summary>
    internal abstract string Format(object value);

    /// <summary>The value that <see cref="Format"/> wrote as <paramref name="text"/>, or null when this distribution has no such value.</summary>
    internal abstract object? Parse(string text);

    /// <summary>The distribution in the search-space syntax (<see cref="SearchSpace.Parse"/>), without its name.</summary>
    public abstract override string ToString();
}
