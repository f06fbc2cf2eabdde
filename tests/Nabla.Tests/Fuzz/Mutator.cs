using System.Text;

namespace Nabla.Tests.Fuzz;

/// <summary>
/// Damages valid inputs the ways files get damaged or crafted: bytes flipped, cut, repeated or
/// inserted, and, in text, tokens swapped for values that break readers (huge, negative, not a number,
/// unpaired surrogates, control characters, deep nesting). Seeded: every run makes the same cases.
/// </summary>
internal sealed class Mutator(int seed)
{
    /// <summary>Values that have broken readers: limits of the number types, specials, escapes, structure.</summary>
    private static readonly string[] Interesting =
    [
        "0", "-1", "1e309", "-1e309", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "4294967296",
        "99999999", "NaN", "Infinity", "1.5", "0.0000001", "\"\"", "\"\\ud800\"", "\"\\u0000\"", "\"\\u001b[31m\"", "null", "true",
        "[]", "{}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "\"x\"", ",", "\"", "\\", "\n", "\r", "\u0000", "\uFEFF",
        "1,,2", "0,001", "5.1x", "  ", "NA", @"\ud800", @"\udc00", @"\\ud800", @"\u0022",
    ];

    private readonly Random _random = new(seed);

    /// <summary><paramref name="input"/> with one to three byte-level changes.</summary>
    public byte[] Bytes(byte[] input, int focusLength)
    {
        var bytes = new List<byte>(input);
        int changes = 1 + _random.Next(3);
        for (int i = 0; i < changes && bytes.Count > 0; i++)
        {
            // Most changes land in the first focusLength bytes (a header), where the decisions are.
            int limit = _random.Next(4) == 0 ? bytes.Count : Math.Min(focusLength, bytes.Count);
            int at = _random.Next(limit);
            switch (_random.Next(6))
            {
                case 0: bytes[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1: bytes[at] = (byte)_random.Next(256); break;
                case 2: bytes.RemoveRange(at, Math.Min(1 + _random.Next(8), bytes.Count - at)); break;
                case 3: bytes.InsertRange(at, Encoding.UTF8.GetBytes(Pick())); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break;
                default:
                    int length = Math.Min(1 + _random.Next(16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary><paramref name="text"/> with one to three tokens (runs of letters, digits and dots, or single characters) replaced.</summary>
    public string Text(string text)
    {
        var result = new StringBuilder(text);
        int changes = 1 + _random.Next(3);
        for (int i = 0; i < changes && result.Length > 0; i++)
        {
            int at = _random.Next(result.Length);
            int end = at;
            while (end < result.Length && (char.IsLetterOrDigit(result[end]) || result[end] is '.' or '-' or '_')) end++;
            if (end == at) end = at + 1;
            switch (_random.Next(4))
            {
                case 0: result.Remove(at, end - at); break;
                case 1: result.Insert(at, Pick()); break;
                default: result.Remove(at, end - at).Insert(at, Pick()); break;
            }
        }
        return result.ToString();
    }

    private string Pick() => Interesting[_random.Next(Interesting.Length)];
}
