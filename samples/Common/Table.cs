using System.Globalization;
using System.Text;

namespace Samples.Common;

/// <summary>
/// A plain-text table with aligned columns, for the terminal: as a grid when it fits the layout's width, else each row
/// as a block — its first cell, then one indented "header: value" line per other column — so the table wraps as a whole
/// instead of line by line.
/// </summary>
internal static class Table
{
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
        => Format(headers, rows, SampleArgs.Width);

    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, int width)
    {
        List<IReadOnlyList<string>> all = [headers, .. rows];
        int[] widths = [.. Enumerable.Range(0, headers.Count).Select(c => all.Max(r => r[c].Length))];
        var text = new StringBuilder();
        if (widths.Sum() + (2 * (widths.Length - 1)) > width)
        {
            foreach (IReadOnlyList<string> row in all.Skip(1))
            {
                text.AppendLine(row[0]);
                for (int c = 1; c < headers.Count; c++)
                {
                    text.AppendLine($"  {headers[c]}: {row[c]}".TrimEnd());
                }
            }

            return text.ToString();
        }

        foreach (IReadOnlyList<string> row in all)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
            if (ReferenceEquals(row, headers))
            {
                text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        return text.ToString();
    }

    public static string Percent(double fraction) => (100 * fraction).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    public static string Number(double value, string format = "0.0000") => value.ToString(format, CultureInfo.InvariantCulture);
}
