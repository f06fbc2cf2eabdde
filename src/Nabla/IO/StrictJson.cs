using System.Text.Json;

namespace Nabla.IO;

/// <summary>
/// One JSON object read without trusting it: each accessor checks that the field is there and has the
/// expected type, and otherwise throws an <see cref="InvalidDataException"/> that names the field,
/// where it sits (<paramref name="path"/>), what it holds and what was expected.
/// </summary>
internal readonly struct StrictJson(JsonElement element, string path)
{
    /// <summary>The top-level object of <paramref name="json"/>; <paramref name="what"/> names the document in messages.</summary>
    public static StrictJson Parse(string json, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonElement root;
        try
        {
            using var document = UntrustedJson.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what}: not valid JSON ({e.Message}).", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{what}: expected a JSON object, found {Describe(root)}.");
        return new StrictJson(root, what);
    }

    /// <summary>Where this object sits, for messages.</summary>
    public string Path => path;

    /// <summary>Whether the field is present and not null.</summary>
    public bool Has(string name) => element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>A required text field.</summary>
    public string String(string name) => String(Field(name, JsonValueKind.String, "a string"));

    /// <summary>A required finite number.</summary>
    public double Number(string name)
    {
        var value = Field(name, JsonValueKind.Number, "a number");
        return value.TryGetDouble(out double number) && double.IsFinite(number) ? number : throw Wrong(name, value, "a finite number");
    }

    /// <summary>A required whole number, at least <paramref name="minimum"/>.</summary>
    public int Integer(string name, int minimum)
    {
        var value = Field(name, JsonValueKind.Number, "a whole number");
        return value.TryGetInt32(out int number) && number >= minimum ? number : throw Wrong(name, value, $"a whole number of at least {minimum}");
    }

    /// <summary>A required whole number from 0 to <see cref="ulong.MaxValue"/> (a seed).</summary>
    public ulong UnsignedInteger(string name)
    {
        var value = Field(name, JsonValueKind.Number, "a whole number");
        return value.TryGetUInt64(out ulong number) ? number : throw Wrong(name, value, $"a whole number from 0 to {ulong.MaxValue}");
    }

    /// <summary>A required true or false.</summary>
    public bool Boolean(string name)
    {
        if (!element.TryGetProperty(name, out var value)) throw new InvalidDataException($"{path}: the field \"{name}\" is missing; expected true or false.");
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Wrong(name, value, "true or false"),
        };
    }

    /// <summary>Whether the field is present and holds true or false.</summary>
    public bool IsBoolean(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False;

    /// <summary>Whether a field that must be present holds null (an unset optional setting).</summary>
    public bool IsNull(string name) =>
        element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Null
            : throw new InvalidDataException($"{path}: the field \"{name}\" is missing; expected a value or null.");

    /// <summary>A required array of whole numbers, each at least <paramref name="minimum"/>.</summary>
    public int[] Integers(string name, int minimum)
    {
        var array = Field(name, JsonValueKind.Array, "an array of whole numbers");
        var result = new int[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out result[i]) || result[i] < minimum)
                throw new InvalidDataException($"{path}: {name}[{i}] is {Describe(item)}, expected a whole number of at least {minimum}.");
            i++;
        }
        return result;
    }

    /// <summary>The names of the object's fields, in order.</summary>
    public IEnumerable<string> Names => element.EnumerateObject().Select(property => property.Name);

    /// <summary>A required array of strings.</summary>
    public string[] Strings(string name)
    {
        var array = Field(name, JsonValueKind.Array, "an array of strings");
        var result = new string[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw new InvalidDataException($"{path}: {name}[{i}] is {Describe(item)}, expected a string.");
            result[i++] = item.GetString()!;
        }
        return result;
    }

    /// <summary>A required array of objects.</summary>
    public StrictJson[] Objects(string name)
    {
        var array = Field(name, JsonValueKind.Array, "an array of objects");
        var result = new StrictJson[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            string at = $"{path}, {name}[{i}]";
            if (item.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{at}: expected an object, found {Describe(item)}.");
            result[i++] = new StrictJson(item, at);
        }
        return result;
    }

    /// <summary>A required text field that must be one of <paramref name="allowed"/>.</summary>
    public string OneOf(string name, params string[] allowed)
    {
        string value = String(name);
        return allowed.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new InvalidDataException($"{path}: \"{name}\" is \"{value}\", expected one of {string.Join(", ", allowed.Select(a => $"\"{a}\""))}.");
    }

    /// <summary>An error about this object, prefixed with where it sits.</summary>
    public InvalidDataException Error(string why) => new($"{path}: {why}.");

    private JsonElement Field(string name, JsonValueKind kind, string expected)
    {
        if (!element.TryGetProperty(name, out var value)) throw new InvalidDataException($"{path}: the field \"{name}\" is missing; expected {expected}.");
        return value.ValueKind == kind ? value : throw Wrong(name, value, expected);
    }

    private static string String(JsonElement value) => value.GetString()!;

    private InvalidDataException Wrong(string name, JsonElement value, string expected) =>
        new($"{path}: \"{name}\" is {Describe(value)}, expected {expected}.");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };
}
