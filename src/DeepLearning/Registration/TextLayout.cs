namespace DeepLearning;

/// <summary>Text laid out for a terminal or a page: wrapped at spaces, never inside a word, with no trailing spaces.</summary>
internal static class TextLayout
{
    /// <summary>The lines of <paramref name="text"/> wrapped at spaces to <paramref name="width"/> columns; a word longer than a line stands alone.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>
    /// A two-column table: each name, then its description wrapped in the second column. A name longer than the first
    /// column stands on its own line (wrapped at spaces, continued 4 columns in) with its description below it.
    /// </summary>
    public static IEnumerable<string> Table(IReadOnlyList<(string Name, string Description)> rows, int width)
    {
        int column = Math.Min(rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length), Math.Max(8, (width / 2) - 2));
        int descriptionWidth = Math.Max(20, width - column - 2);
        string indent = new(' ', column + 2);
        foreach ((string name, string description) in rows)
        {
            List<string> text = Wrap(description, descriptionWidth);
            if (name.Length <= column)
            {
                yield return $"{name.PadRight(column)}  {text[0]}".TrimEnd();
                text.RemoveAt(0);
            }
            else
            {
                List<string> nameLines = Wrap(name, width);
                yield return nameLines[0];
                foreach (string more in nameLines.Skip(1).SelectMany(l => Wrap(l, width - 4)))
                {
                    yield return "    " + more;
                }
            }

            foreach (string line in text.Where(l => l.Length > 0))
            {
                yield return indent + line;
            }
        }
    }
}
