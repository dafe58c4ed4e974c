using System.Globalization;
using System.Text;

namespace Samples.Common;

/// <summary>A plain-text table with aligned columns.</summary>
internal static class Table
{
    public static string Format(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        List<IReadOnlyList<string>> all = [headers, .. rows];
        int[] widths = [.. Enumerable.Range(0, headers.Count).Select(c => all.Max(r => r[c].Length))];
        var text = new StringBuilder();
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
