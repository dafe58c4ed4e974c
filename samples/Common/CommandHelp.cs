using System.CommandLine;
using System.Globalization;
using System.Text;

namespace Samples.Common;

/// <summary>
/// The programs' --help and usage errors, written from the options a program declares (never by hand): each option with
/// its value's name, its description and the default it really uses (the option's own default value), laid out with
/// <see cref="ConsoleLayout"/>; an unknown option gets the closest declared one as "did you mean".
/// </summary>
internal static class CommandHelp
{
    /// <summary>
    /// The help of <paramref name="command"/>: its description, the usage lines (or <c>NAME [options]</c>), its options, then
    /// the extra sections (a title and a two-column table each) and the closing text.
    /// </summary>
    public static string Write(
        RootCommand command,
        string name,
        int width,
        IEnumerable<(string Usage, string Explanation)>? usage = null,
        IEnumerable<(string Title, IEnumerable<(string Name, string Description)> Rows)>? sections = null,
        string? closing = null)
    {
        var text = new StringBuilder();
        text.AppendLine(ConsoleLayout.Format(command.Description ?? name, width)).AppendLine();
        text.AppendLine("Usage:");
        foreach (string line in ConsoleLayout.Table(usage ?? [($"{name} [options]", string.Empty)], width))
        {
            text.AppendLine(line);
        }

        text.AppendLine().AppendLine("Options:");
        IEnumerable<Option> options = command.Options.Where(o => !o.Hidden).OrderBy(o => o is System.CommandLine.Help.HelpOption or VersionOption);
        foreach (string line in ConsoleLayout.Table(options.Select(o => (Signature(o), Description(o))), width))
        {
            text.AppendLine(line);
        }

        foreach ((string title, IEnumerable<(string Name, string Description)> rows) in sections ?? [])
        {
            text.AppendLine().AppendLine(ConsoleLayout.Format(title + ":", width));
            foreach (string line in ConsoleLayout.Table(rows, width))
            {
                text.AppendLine(line);
            }
        }

        if (closing is not null)
        {
            text.AppendLine().AppendLine(ConsoleLayout.Format(closing.Trim('\n', '\r'), width));
        }

        return text.ToString();
    }

    /// <summary>
    /// The first parse error as one line, with "did you mean" when an unknown word is close to a declared option:
    /// <c>Unrecognized command or argument '--epoch' (did you mean --epochs?)</c>.
    /// </summary>
    public static string Error(ParseResult parsed)
    {
        string message = parsed.Errors[0].Message.TrimEnd('.');
        string[] names = [.. parsed.RootCommandResult.Command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))];
        string? unknown = parsed.UnmatchedTokens.FirstOrDefault(t => t.StartsWith('-'));
        string? closest = unknown is null ? null : DeepLearning.Registry.Closest(unknown, names);
        return closest is null ? $"{message} (see --help)." : $"{message} (did you mean {closest}?).";
    }

    /// <summary><c>--seed &lt;N&gt;</c>, or <c>-h, --help</c> for a flag with an alias (the Windows spellings /h and /? left out).</summary>
    private static string Signature(Option option)
    {
        string names = string.Join(", ", option.Aliases.Where(a => a.StartsWith('-') && a != "-?").OrderBy(a => a.Length).Append(option.Name));
        return IsFlag(option) ? names : $"{names} <{option.HelpName ?? option.Name.TrimStart('-').ToUpperInvariant()}>";
    }

    /// <summary>An option that takes no value: a bool, --help, --version.</summary>
    private static bool IsFlag(Option option) => option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0;

    /// <summary>The description with the default the option uses, read from the option itself: <c>… (default 1)</c>.</summary>
    private static string Description(Option option)
    {
        string description = option switch
        {
            System.CommandLine.Help.HelpOption => "show this help",
            VersionOption => "show the program's version",
            _ => option.Description ?? string.Empty,
        };
        return option.HasDefaultValue && !IsFlag(option)
            ? $"{description} (default {Invariant(option.GetDefaultValue())})"
            : description;
    }

    private static string Invariant(object? value) => value switch
    {
        null => "none",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "none",
    };
}
