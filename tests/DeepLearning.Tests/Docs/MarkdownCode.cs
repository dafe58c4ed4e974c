using System.Globalization;
using System.Text.RegularExpressions;

namespace DeepLearning.Tests.Docs;

/// <summary>
/// One fenced C# block of a Markdown page, with the output the page says it prints: the first <c>```text</c> block after
/// it in the same section (no heading and no other code block between). A comment <c>&lt;!-- numbers within X --&gt;</c>
/// between the two lets each printed number differ by X (accuracies after training differ in their last digits between
/// CPUs); without it the output must match exactly.
/// </summary>
public sealed record MarkdownCode(string Page, int Line, string Code, string? Output, double Tolerance)
{
    /// <summary>"docs/articles/losses.md:15", for test names and messages.</summary>
    public override string ToString() => $"{Page}:{Line}";

    /// <summary>Every <c>```csharp</c> block of a page, in order.</summary>
    public static IReadOnlyList<MarkdownCode> Read(string root, string page)
    {
        string[] lines = File.ReadAllLines(Path.Combine(root, page));
        var blocks = new List<MarkdownCode>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```csharp", StringComparison.Ordinal))
            {
                continue;
            }

            int start = i + 1;
            int end = FenceEnd(lines, start);
            string code = string.Join("\n", lines[start..end]);
            (string? output, double tolerance) = OutputAfter(lines, end + 1);
            blocks.Add(new MarkdownCode(page, start, code, output, tolerance));
            i = end;
        }

        return blocks;
    }

    /// <summary>Every fenced block's lines (any language), with their line numbers, for the width check.</summary>
    public static IEnumerable<(int Line, string Text)> FencedLines(string path)
    {
        string[] lines = File.ReadAllLines(path);
        bool inside = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                inside = !inside;
            }
            else if (inside)
            {
                yield return (i + 1, lines[i]);
            }
        }
    }

    private static int FenceEnd(string[] lines, int start)
    {
        for (int i = start; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidDataException($"a code block opened at line {start} is never closed");
    }

    private static (string? Output, double Tolerance) OutputAfter(string[] lines, int from)
    {
        double tolerance = 0;
        for (int i = from; i < lines.Length; i++)
        {
            Match within = Regex.Match(lines[i], @"<!-- numbers within ([0-9.]+) -->");
            if (within.Success)
            {
                tolerance = double.Parse(within.Groups[1].Value, CultureInfo.InvariantCulture);
            }
            else if (lines[i] == "```text")
            {
                int end = FenceEnd(lines, i + 1);
                return (string.Join("\n", lines[(i + 1)..end]), tolerance);
            }
            else if (lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].StartsWith('#'))
            {
                break;
            }
        }

        return (null, 0);
    }

    /// <summary>
    /// Why <paramref name="actual"/> is not the printed output, or null when it is: the same lines, with every number
    /// within the tolerance and everything between numbers the same.
    /// </summary>
    public string? Mismatch(string actual)
    {
        string[] expected = Output!.Split('\n').Select(l => l.TrimEnd()).ToArray();
        string[] got = actual.Replace("\r\n", "\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd()).ToArray();
        for (int i = 0; i < Math.Max(expected.Length, got.Length); i++)
        {
            string e = i < expected.Length ? expected[i] : "(no line)";
            string g = i < got.Length ? got[i] : "(no line)";
            if (!LineMatches(e, g))
            {
                return $"line {i + 1} of the output: the page shows\n  {e}\nthe code printed\n  {g}\nwhole output:\n{actual}";
            }
        }

        return null;
    }

    private static readonly Regex Number = new(@"-?\d+(?:\.\d+)?", RegexOptions.Compiled);

    private bool LineMatches(string expected, string got)
    {
        if (expected == got)
        {
            return true;
        }

        if (Tolerance == 0 || Number.Replace(expected, "#") != Number.Replace(got, "#"))
        {
            return false;
        }

        var e = Number.Matches(expected).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        var g = Number.Matches(got).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        return e.Zip(g).All(p => Math.Abs(p.First - p.Second) <= Tolerance);
    }
}
