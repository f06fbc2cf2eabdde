namespace Nabla.Selection;

/// <summary>One of a fixed list of values, each equally likely a priori.</summary>
/// <remarks>
/// Values are numbers (<see cref="int"/> or <see cref="double"/>), strings, or lists of numbers
/// (<c>int[]</c> or <c>double[]</c>); a choice holds lists or single values, not both, so that each
/// value reads back unambiguously from its text.
/// </remarks>
internal sealed class ChoiceDistribution : ParameterDistribution
{
    private readonly object[] _values;
    private readonly string[] _texts;

    public ChoiceDistribution(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0) throw new ArgumentException("A choice needs at least one value.", nameof(values));
        _values = values.Select(Normalize).ToArray();
        HoldsLists = _values[0] is Array;
        if (_values.Any(value => value is Array != HoldsLists))
            throw new ArgumentException("A choice holds lists of numbers or single values, not both.", nameof(values));
        _texts = _values.Select(Text).ToArray();
        var duplicate = _texts.GroupBy(text => text, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"The choice lists the value \"{duplicate.Key}\" twice.", nameof(values));
    }

    /// <summary>How many values there are.</summary>
    public int Count => _values.Length;

    /// <summary>Whether the values are lists of numbers.</summary>
    public bool HoldsLists { get; }

    /// <summary>The value at <paramref name="index"/>.</summary>
    public object this[int index] => _values[index];

    /// <summary>The position of <paramref name="value"/>, one of this choice's values.</summary>
    public int IndexOf(object value) => Array.IndexOf(_texts, Text(value));

    /// <inheritdoc/>
    public override IReadOnlyList<object> BoundingValues => _values.AsReadOnly();

    internal override object Sample(Generator random) => _values[random.NextInt(_values.Length)];

    internal override string Format(object value) => Text(value);

    internal override object? Parse(string text)
    {
        int index = Array.IndexOf(_texts, text);
        return index < 0 ? null : _values[index];
    }

    public override string ToString() =>
        HoldsLists ? $"[{string.Join(';', _texts)}]" : $"{{{string.Join(';', _texts)}}}";

    private static object Normalize(object value) => value switch
    {
        int or string => value,
        double number when double.IsFinite(number) => number,
        int[] list when list.Length > 0 => list.ToArray(),
        double[] list when list.Length > 0 && list.All(double.IsFinite) => list.ToArray(),
        null => throw new ArgumentException("A choice value is null."),
        _ => throw new ArgumentException($"A choice value must be an int, a finite double, a string, or a non-empty int[] or double[] of finite numbers; got {value} ({value.GetType().Name})."),
    };

    private static string Text(object value) => value switch
    {
        int whole => RangeDistribution.Text(whole),
        double number => RangeDistribution.Text(number),
        string text => text,
        int[] list => string.Join(',', list.Select(item => RangeDistribution.Text(item))),
        double[] list => string.Join(',', list.Select(RangeDistribution.Text)),
        _ => throw new ArgumentException($"{value} is not a value of a choice."),
    };
}
