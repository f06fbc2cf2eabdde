namespace Nabla.Selection;

/// <summary>The values one trial gives to the parameters of a <see cref="SearchSpace"/>, read by name.</summary>
public sealed class TrialParameters
{
    private readonly SearchSpace _space;
    private readonly object[] _values;

    internal TrialParameters(SearchSpace space, object[] values) => (_space, _values) = (space, values);

    /// <summary>The parameter names, in the order of the space.</summary>
    public IEnumerable<string> Names => _space.Parameters.Select(parameter => parameter.Key);

    /// <summary>The value of <paramref name="name"/>: an <see cref="int"/>, a <see cref="double"/>, a <see cref="string"/>, an <c>int[]</c> or a <c>double[]</c>.</summary>
    /// <exception cref="KeyNotFoundException">The space has no such parameter.</exception>
    public object this[string name] => _values[IndexOf(name)];

    /// <summary>The value of <paramref name="name"/> as a real number (an integer value converts).</summary>
    /// <exception cref="InvalidCastException">The value is not a number.</exception>
    public double Double(string name) => this[name] switch
    {
        double value => value,
        int value => value,
        var other => throw NotA(name, other, "a number"),
    };

    /// <summary>The value of <paramref name="name"/> as an integer (a whole real number converts).</summary>
    /// <exception cref="InvalidCastException">The value is not a whole number.</exception>
    public int Int(string name) => this[name] switch
    {
        int value => value,
        double value when value == Math.Round(value) && Math.Abs(value) <= int.MaxValue => (int)value,
        var other => throw NotA(name, other, "a whole number"),
    };

    /// <summary>The value of <paramref name="name"/> as text.</summary>
    /// <exception cref="InvalidCastException">The value is not a string.</exception>
    public string String(string name) => this[name] as string ?? throw NotA(name, this[name], "a string");

    /// <summary>The value of <paramref name="name"/> as a list of integers (hidden widths).</summary>
    /// <exception cref="InvalidCastException">The value is not a list of whole numbers.</exception>
    public int[] Ints(string name) => this[name] is int[] list ? list.ToArray() : throw NotA(name, this[name], "a list of whole numbers");

    /// <summary>The value of <paramref name="name"/> as written in the search-space syntax (a list as <c>128,64</c>).</summary>
    public string Text(string name) => _space[name].Format(this[name]);

    /// <summary>The values in the order of the space.</summary>
    internal IReadOnlyList<object> Values => _values;

    /// <summary>Whether both give every parameter the same value.</summary>
    internal bool SameAs(TrialParameters other) => Names.All(name => Text(name) == other.Text(name));

    /// <summary>The values as <c>name=value</c> pairs, lists in brackets: <c>lr=0.001, hidden=[128,64]</c>.</summary>
    public override string ToString() =>
        string.Join(", ", Names.Select(name => this[name] is Array ? $"{name}=[{Text(name)}]" : $"{name}={Text(name)}"));

    private int IndexOf(string name)
    {
        for (int i = 0; i < _space.Parameters.Count; i++)
            if (_space.Parameters[i].Key == name) return i;
        throw new KeyNotFoundException($"The trial has no parameter \"{name}\"; the search space has {string.Join(", ", Names)}.");
    }

    private static InvalidCastException NotA(string name, object value, string expected) =>
        new($"The parameter \"{name}\" is {value} ({value.GetType().Name}), not {expected}.");
}
