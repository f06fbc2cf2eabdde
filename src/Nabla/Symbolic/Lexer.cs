using System.Globalization;

namespace Nabla.Symbolic;

/// <summary>The kinds of token in an expression.</summary>
internal enum TokenKind { Number, Identifier, Plus, Minus, Star, Slash, Caret, LeftParen, RightParen, Comma, End }

/// <summary>One token, with its text and 1-based column.</summary>
internal readonly record struct Token(TokenKind Kind, string Text, int Column, double Value = 0)
{
    /// <summary>How an error message names this token: quoted text, or "end of input".</summary>
    public string Describe() => Kind == TokenKind.End ? "end of input" : $"'{Text}'";
}

/// <summary>Splits expression text into tokens: numbers, identifiers, operators and parentheses.</summary>
internal static class Lexer
{
    /// <summary>The tokens of <paramref name="text"/>, ending with an <see cref="TokenKind.End"/> token one column past the text.</summary>
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int column = i + 1;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                int start = i;
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], column));
                continue;
            }
            var kind = c switch
            {
                '+' => TokenKind.Plus,
                '-' => TokenKind.Minus,
                '*' => TokenKind.Star,
                '/' => TokenKind.Slash,
                '^' => TokenKind.Caret,
                '(' => TokenKind.LeftParen,
                ')' => TokenKind.RightParen,
                ',' => TokenKind.Comma,
                _ => throw UnexpectedCharacter(text, i),
            };
            tokens.Add(new Token(kind, c.ToString(), column));
            i++;
        }
        tokens.Add(new Token(TokenKind.End, "", text.Length + 1));
        return tokens;
    }

    private static ExpressionParseException UnexpectedCharacter(string text, int i)
    {
        // Show a character outside the Basic Multilingual Plane whole, not half a surrogate pair.
        string c = char.IsSurrogatePair(text, i) ? text.Substring(i, 2) : text[i].ToString();
        return new ExpressionParseException(
            $"unexpected character '{c}' at column {i + 1}: expressions use ASCII names and numbers, spaces and + - * / ^ ( )", text, i + 1);
    }

    // digits [. digits] | . digits, then an optional exponent e[+-]digits. An 'e' followed by a
    // digit or a sign must be an exponent ("1e-3"); followed by anything else it ends the number.
    private static Token ReadNumber(string text, ref int i)
    {
        int start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        }
        if (i < text.Length && (text[i] is 'e' or 'E') && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] is '+' or '-'))
        {
            i += 2;
            int digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == digits && !char.IsAsciiDigit(text[digits - 1]))
                throw new ExpressionParseException(
                    $"malformed number '{text[start..i]}' at column {start + 1}: the exponent has no digits", text, start + 1);
        }
        if (i < text.Length && text[i] == '.')
            throw new ExpressionParseException(
                $"malformed number '{text[start..(i + 1)]}' at column {start + 1}: a second '.' at column {i + 1}", text, start + 1);
        // "1e" alone is an exponent without digits; "2ex" or "2exp(x)" is a missing '*' the parser reports.
        if (i < text.Length && (text[i] is 'e' or 'E') && (i + 1 == text.Length || !(char.IsAsciiLetterOrDigit(text[i + 1]) || text[i + 1] == '_')))
            throw new ExpressionParseException(
                $"malformed number '{text[start..(i + 1)]}' at column {start + 1}: the exponent has no digits", text, start + 1);
        string s = text[start..i];
        double value = double.Parse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (double.IsInfinity(value))
            throw new ExpressionParseException($"number '{s}' at column {start + 1} is too large for a double", text, start + 1);
        return new Token(TokenKind.Number, s, start + 1, value);
    }
}
