namespace Nabla.Selection;

/// <summary>
/// The hyper-parameters a search may set, each with its <see cref="ParameterDistribution"/>, in the
/// order they were added (the order in which a grid varies them, the last fastest).
/// </summary>
/// <example>
/// <code>
/// var space = new SearchSpace()
///     .Add("lr", ParameterDistribution.LogUniform(1e-4, 1e-1))
///     .Add("hidden", ParameterDistribution.Choice(new[] { 64 }, new[] { 128, 64 }));
/// // the same space, as the command line writes it:
/// var parsed = SearchSpace.Parse("lr=1e-4..1e-1:log,hidden=[64;128,64]");
/// </code>
/// </example>
public sealed class SearchSpace
{
    private readonly List<KeyValuePair<string, ParameterDistribution>> _parameters = [];

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, ParameterDistribution>> Parameters => _parameters;

    /// <summary>Adds the parameter <paramref name="name"/> and returns this space.</summary>
    /// <exception cref="ArgumentException">The name is empty or already in the space.</exception>
    public SearchSpace Add(string name, ParameterDistribution distribution)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(distribution);
        if (name.Length == 0) throw new ArgumentException("A search-space parameter needs a name.", nameof(name));
        if (_parameters.Any(parameter => parameter.Key == name))
            throw new ArgumentException($"The search space already has a parameter named \"{name}\".", nameof(name));
        _parameters.Add(new(name, distribution));
        return this;
    }

    /// <summary>The distribution of the parameter <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name.</exception>
    public ParameterDistribution this[string name] =>
        _parameters.FirstOrDefault(parameter => parameter.Key == name).Value
        ?? throw new KeyNotFoundException($"The search space has no parameter \"{name}\"; it has {string.Join(", ", _parameters.Select(p => p.Key))}.");

    /// <summary>Reads a space written in the syntax that <see cref="SearchSpaceParser"/> documents.</summary>
    /// <exception cref="FormatException">The text is not a valid space; the message names the bad entry and why.</exception>
    public static SearchSpace Parse(string text) => SearchSpaceParser.Parse(text);

    /// <summary>The space in the syntax <see cref="Parse"/> reads, such that parsing it gives an equal space.</summary>
    public override string ToString() => string.Join(',', _parameters.Select(parameter => $"{parameter.Key}={parameter.Value}"));
}
