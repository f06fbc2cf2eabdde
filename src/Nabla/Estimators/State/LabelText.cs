using System.Globalization;
using Nabla.Data;

namespace Nabla.Estimators;

/// <summary>
/// Class labels as text and back, to the same value of the same type: strings as they are, numbers
/// in their shortest invariant form that reads back exactly, booleans as "true" and "false". A
/// label read back must be written exactly as this class writes it, so a file has one spelling of
/// each class.
/// </summary>
internal static class LabelText
{
    private static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(string)] = "string", [typeof(bool)] = "bool", [typeof(char)] = "char",
        [typeof(sbyte)] = "sbyte", [typeof(byte)] = "byte", [typeof(short)] = "short", [typeof(ushort)] = "ushort",
        [typeof(int)] = "int", [typeof(uint)] = "uint", [typeof(long)] = "long", [typeof(ulong)] = "ulong",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
    };

    /// <summary>The names of the label types a model file can hold, as C# names them.</summary>
    public static IReadOnlyCollection<string> TypeNames => Names.Values;

    /// <summary>The classes as text, with their type's name.</summary>
    /// <exception cref="ArgumentException">The labels are of a type a model file cannot hold (an enum, a record, …); the message names the types it can.</exception>
    public static ClassesText Write(ClassLabels labels, string who)
    {
        if (!Names.TryGetValue(labels.LabelType, out string? name))
            throw new ArgumentException(
                $"{who}: the classes are of type {labels.LabelType.Name}, which a model file cannot hold; fit with labels of one of the types {string.Join(", ", Names.Values)} to save the model.");
        return new ClassesText(name, [.. labels.Boxed.Select(Text)]);
    }

    /// <summary>The classes <paramref name="text"/> holds, of their type, checked to be each written once, as this class writes them, in sorted order, and at least two.</summary>
    /// <exception cref="InvalidDataException">The type is unknown, or a label is malformed, repeated or out of order; the message names it.</exception>
    public static ClassLabels Read(ClassesText text) => text.Type switch
    {
        "string" => Checked([.. text.Labels], text.Type),
        "bool" => Read(text, s => bool.TryParse(s, out bool v) ? v : (bool?)null),
        "char" => Read(text, s => s.Length == 1 ? s[0] : (char?)null),
        "sbyte" => Read(text, s => sbyte.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (sbyte?)null),
        "byte" => Read(text, s => byte.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (byte?)null),
        "short" => Read(text, s => short.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (short?)null),
        "ushort" => Read(text, s => ushort.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (ushort?)null),
        "int" => Read(text, s => int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (int?)null),
        "uint" => Read(text, s => uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (uint?)null),
        "long" => Read(text, s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (long?)null),
        "ulong" => Read(text, s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (ulong?)null),
        "float" => Read(text, s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (float?)null),
        "double" => Read(text, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : (double?)null),
        "decimal" => Read(text, s => decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : (decimal?)null),
        _ => throw new InvalidDataException($"its class type is \"{text.Type}\"; the types are {string.Join(", ", Names.Values)}"),
    };

    /// <summary>A label as text: its shortest invariant form that reads back exactly.</summary>
    public static string Text(object label) => label switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => label.ToString() ?? "",
    };

    private static ClassLabels<T> Read<T>(ClassesText text, Func<string, T?> parse) where T : struct
    {
        var labels = new T[text.Labels.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            string written = text.Labels[i];
            labels[i] = parse(written) is { } value && Text(value) == written
                ? value
                : throw new InvalidDataException($"its class {i}, \"{written}\", is not a label of type {text.Type} as a model file writes one");
        }
        return Checked(labels, text.Type);
    }

    private static ClassLabels<T> Checked<T>(T[] labels, string type) where T : notnull
    {
        ClassLabels<T> classes;
        try
        {
            classes = ClassLabels<T>.Of(labels, "its classes");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException(StateReader.MessageOf(e), e);
        }
        if (!classes.Classes.SequenceEqual(labels))
            throw new InvalidDataException($"its classes {LabelOrder.DescribeAll(labels)} ({type}) are not in sorted order, {LabelOrder.DescribeAll(classes.Classes)}, the order of a classifier's columns");
        return classes;
    }
}
