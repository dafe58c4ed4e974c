using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Samples.Common;

/// <summary>
/// The one text layout of the programs here — help, usage, explanations, results and errors. A line longer than the width
/// is wrapped at spaces, never inside a word, so a path, an address or a number stays whole; its continuation lines are
/// indented under its text. No line ends in a space. A no-break space (U+00A0) joins words that must stay together (a path
/// with a space in it) and is written as a plain space. A single word longer than the width stands alone on its line.
/// </summary>
internal static partial class ConsoleLayout
{
    /// <summary>The width when there is no terminal to ask: output piped or redirected, tests.</summary>
    public const int DefaultWidth = 80;

    /// <summary>The narrowest layout made: below this a help table has no room for its second column.</summary>
    public const int MinimumWidth = 40;

    /// <summary>The no-break space: words joined with it are never separated by a line break.</summary>
    public const char NoBreakSpace = '\u00a0';

    /// <summary>
    /// The columns to lay text out in: <c>$COLUMNS</c> when it holds a number (what a terminal, or a test, says), else the
    /// console's width when <paramref name="isTerminal"/>, else <see cref="DefaultWidth"/>; never below <see cref="MinimumWidth"/>.
    /// </summary>
    public static int Width(bool isTerminal)
    {
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out int columns) && columns > 0)
        {
            return Math.Max(MinimumWidth, columns);
        }

        if (isTerminal)
        {
            try
            {
                return Console.WindowWidth > 0 ? Math.Max(MinimumWidth, Console.WindowWidth) : DefaultWidth;
            }
            catch (IOException)
            {
                // not a terminal after all
            }
        }

        return DefaultWidth;
    }

    /// <summary>A path or phrase whose spaces must not become line breaks.</summary>
    public static string Keep(string text) => text.Replace(' ', NoBreakSpace);

    /// <summary>
    /// One line laid out in <paramref name="width"/> columns: as it is when it fits, else wrapped at spaces with every
    /// continuation indented <paramref name="hanging"/> columns past the line's own leading spaces.
    /// </summary>
    public static IEnumerable<string> Wrap(string line, int width, int hanging = 2)
    {
        line = line.TrimEnd();
        if (line.Length <= width)
        {
            yield return Plain(line);
            yield break;
        }

        int lead = line.Length - line.TrimStart(' ').Length;
        string indent = new(' ', Math.Min(lead + hanging, width / 2));
        var current = new StringBuilder(line[..lead]);
        bool hasWord = false;
        foreach (Match token in Word().Matches(line, lead))
        {
            string word = token.Groups[1].Value;
            if (hasWord && current.Length + word.Length > width)
            {
                yield return Plain(current.ToString().TrimEnd());
                current.Clear().Append(indent);
                hasWord = false;
            }

            current.Append(word);
            hasWord = true;
            current.Append(token.Groups[2].Value); // the spaces after it, kept when the line goes on
        }

        yield return Plain(current.ToString().TrimEnd());
    }

    /// <summary>Every line of <paramref name="text"/> laid out with <see cref="Wrap"/>, joined with line breaks.</summary>
    public static string Format(string text, int width, int hanging = 2)
        => string.Join(Environment.NewLine, text.ReplaceLineEndings("\n").Split('\n').SelectMany(l => Wrap(l, width, hanging)));

    /// <summary>
    /// A two-column table, indented <paramref name="indent"/> columns: each name, then its description wrapped in the second
    /// column. A name too long for the first column (at most two fifths of the width) stands on its own line, wrapped at
    /// spaces, and its description starts on the next.
    /// </summary>
    public static IEnumerable<string> Table(IEnumerable<(string Name, string Description)> rows, int width, int indent = 2)
    {
        List<(string Name, string Description)> all = [.. rows];
        int column = Math.Min(all.Count == 0 ? 0 : all.Max(r => r.Name.Length), Math.Max(8, (width * 2 / 5) - indent));
        string pad = new(' ', indent);
        string under = new(' ', indent + column + 2);
        foreach ((string name, string description) in all)
        {
            List<string> text = [.. Wrap(description, width - under.Length, hanging: 0)];
            if (name.Length <= column)
            {
                yield return (pad + name.PadRight(column) + "  " + text[0]).TrimEnd();
                text.RemoveAt(0);
            }
            else
            {
                foreach (string part in Wrap(pad + name, width, hanging: 4))
                {
                    yield return part;
                }
            }

            foreach (string line in text.Where(l => l.Length > 0))
            {
                yield return under + line;
            }
        }
    }

    private static string Plain(string line) => line.Replace(NoBreakSpace, ' ');

    /// <summary>A word (no plain spaces) and the spaces after it.</summary>
    [GeneratedRegex("([^ ]+)( *)")]
    private static partial Regex Word();
}

/// <summary>
/// A writer that lays out every line written through it with <see cref="ConsoleLayout.Wrap"/> before passing it on: what a
/// program prints fits its terminal, whichever code wrote it. A line is held until its line break.
/// </summary>
internal sealed class LayoutWriter(TextWriter inner, int width) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <summary>The columns lines are laid out in.</summary>
    public int Columns => width;

    /// <inheritdoc/>
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (value == '\n')
        {
            string line = _line.ToString().TrimEnd('\r');
            _line.Clear();
            foreach (string part in ConsoleLayout.Wrap(line, width))
            {
                inner.Write(part);
                inner.Write('\n');
            }

            inner.Flush();
        }
        else
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        foreach (char c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            inner.Write(_line.ToString()); // a line written in parts (a progress count): shown now, laid out as it is
            _line.Clear();
        }

        inner.Flush();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }
}
