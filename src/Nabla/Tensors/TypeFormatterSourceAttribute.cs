namespace Nabla;

/// <summary>
/// Names the notebook formatter of a type by .NET Interactive's convention: Polyglot and Jupyter
/// notebooks look for an attribute of exactly this name with a <see cref="FormatterSourceType"/>
/// property, so the library needs no reference to .NET Interactive for a tensor to display as its values.
/// </summary>
/// <param name="formatterSourceType">A type with a public parameterless constructor and a <c>CreateTypeFormatters()</c> method.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    /// <summary>The type whose <c>CreateTypeFormatters()</c> gives the formatters.</summary>
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>The MIME types a notebook should show, in order of preference.</summary>
    public string[]? PreferredMimeTypes { get; init; }
}
