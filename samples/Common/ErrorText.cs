using System.Globalization;
using System.Text.RegularExpressions;

namespace Samples.Common;

/// <summary>
/// An error message as the one line the samples print: line breaks become spaces, other control characters '?', and
/// nothing a user typed is quoted whole — a quoted value longer than <see cref="LongestQuote"/> characters keeps its
/// beginning and end with its length, and the line stops at about <see cref="LongestLine"/> characters.
/// </summary>
internal static partial class ErrorText
{
    /// <summary>The longest quoted value kept whole.</summary>
    public const int LongestQuote = 160;

    /// <summary>The longest line kept whole.</summary>
    public const int LongestLine = 1_000;

    /// <summary>The message as one short line.</summary>
    public static string OneLine(string message)
    {
        string line = new([.. message.Trim().Select(c => c is '\n' or '\r' or '\t' ? ' ' : char.IsControl(c) ? '?' : c)]);
        line = LongQuote().Replace(line, m => $"'{Excerpt(m.Groups[1].Value, LongestQuote)}'");
        return Excerpt(line, LongestLine);
    }

    /// <summary>
    /// <paramref name="text"/> when it has at most <paramref name="longest"/> characters; else its beginning, " … ", its
    /// end and its length, about that long in all.
    /// </summary>
    public static string Excerpt(string text, int longest)
    {
        if (text.Length <= longest)
        {
            return text;
        }

        int head = longest * 2 / 3, tail = longest / 4;
        return string.Create(CultureInfo.InvariantCulture, $"{text[..head]} … {text[^tail..]} ({text.Length:N0} characters)");
    }

    [GeneratedRegex("'([^']{161,})'")]
    private static partial Regex LongQuote();
}
