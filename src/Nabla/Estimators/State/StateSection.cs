using System.Text;
using System.Text.Json.Nodes;
using Nabla.IO;

namespace Nabla.Estimators;

/// <summary>
/// One JSON object of an <see cref="EstimatorState"/> (the settings, or the fitted values), read field
/// by field with its type checked (<see cref="StrictJson"/>), remembering which fields were read so
/// that <see cref="Finish"/> can refuse the others. Enums are written in snake_case ("elastic_net").
/// </summary>
internal sealed class StateSection
{
    private readonly StrictJson _json;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    /// <exception cref="InvalidDataException"><paramref name="json"/> is not a JSON object, or names a field twice.</exception>
    public StateSection(string json, string what)
    {
        _json = StrictJson.Parse(json, what);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in _json.Names)
            if (!seen.Add(name)) throw _json.Error($"the field \"{name}\" appears twice");
    }

    /// <summary>A finite number.</summary>
    public double Number(string name) => _json.Number(Read(name));

    /// <summary>A finite number of at least <paramref name="minimum"/>.</summary>
    public double Number(string name, double minimum)
    {
        double value = Number(name);
        return value >= minimum ? value : throw _json.Error($"\"{name}\" is {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}, expected at least {minimum.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
    }

    /// <summary>A finite number, or null.</summary>
    public double? NullableNumber(string name) => _json.IsNull(Read(name)) ? null : _json.Number(name);

    /// <summary>A whole number of at least <paramref name="minimum"/>.</summary>
    public int Integer(string name, int minimum = int.MinValue) => _json.Integer(Read(name), minimum);

    /// <summary>A whole number of at least <paramref name="minimum"/>, or null.</summary>
    public int? NullableInteger(string name, int minimum = int.MinValue) => _json.IsNull(Read(name)) ? null : _json.Integer(name, minimum);

    /// <summary>A whole number from 0 to <see cref="ulong.MaxValue"/>: a seed.</summary>
    public ulong Seed(string name) => _json.UnsignedInteger(Read(name));

    /// <summary>True or false.</summary>
    public bool Flag(string name) => _json.Boolean(Read(name));

    /// <summary>A verbosity level: a whole number of at least 0, or true or false (1 or 0) as files hold it from before it was a level.</summary>
    public int Verbosity(string name) => _json.IsBoolean(name) ? (Flag(name) ? 1 : 0) : Integer(name, 0);

    /// <summary>An array of whole numbers, each at least <paramref name="minimum"/>.</summary>
    public int[] Integers(string name, int minimum) => _json.Integers(Read(name), minimum);

    /// <summary>A member of <typeparamref name="T"/> by its snake_case name (<see cref="NameOf{T}"/>).</summary>
    public T Choice<T>(string name) where T : struct, Enum
    {
        var members = Enum.GetValues<T>();
        string value = _json.OneOf(Read(name), [.. members.Select(NameOf)]);
        return members.First(member => NameOf(member) == value);
    }

    /// <summary>Refuses the fields that were not read.</summary>
    /// <exception cref="InvalidDataException">A field was not read; the message names them all.</exception>
    public void Finish()
    {
        var unread = _json.Names.Where(name => !_read.Contains(name)).ToList();
        if (unread.Count > 0)
            throw _json.Error($"{(unread.Count == 1 ? "the field" : "the fields")} {string.Join(", ", unread.Select(n => $"\"{n}\""))} {(unread.Count == 1 ? "is" : "are")} not one of this model's");
    }

    /// <summary>An enum member's name in snake_case, as a state writes it: ElasticNet → "elastic_net", L2 → "l2", Float64 → "float64".</summary>
    public static string NameOf<T>(T member) where T : struct, Enum
    {
        string name = member.ToString();
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1])) text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    /// <summary>An enum member as a JSON value, for writing a state.</summary>
    public static JsonNode Node<T>(T member) where T : struct, Enum => JsonValue.Create(NameOf(member));

    private string Read(string name)
    {
        _read.Add(name);
        return name;
    }
}
