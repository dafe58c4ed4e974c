namespace DeepLearning;

/// <summary>
/// A spec as people write it — <c>name</c>, <c>name(1, 2)</c>, <c>name(lr=0.01)</c>, <c>dense(100, leaky_relu(0.1))</c> —
/// split into its name and its arguments (positional ones first, then named ones), the nested parentheses of an
/// argument kept whole. The one grammar of every registry.
/// </summary>
internal sealed record SpecCall(string Name, IReadOnlyList<(string? Key, string Value)> Arguments)
{
    /// <summary>The longest spec read, in characters: a spec is a short name with a few numbers, or a block with its layers' specs.</summary>
    public const int MaxLength = 65_536;

    public static bool TryParse(string? text, out SpecCall call, out string error)
    {
        call = new SpecCall(string.Empty, []);
        error = string.Empty;
        string spec = (text ?? string.Empty).Trim();
        if (spec.Length == 0 || spec.Length > MaxLength || spec.Any(char.IsControl))
        {
            error = spec.Length == 0 ? "the spec is empty" : spec.Length > MaxLength ? $"the spec is longer than {MaxLength} characters" : "the spec holds a control character (a line break?)";
            return false;
        }

        int open = spec.IndexOf('(', StringComparison.Ordinal);
        string name = (open < 0 ? spec : spec[..open]).Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            error = $"'{name}' is not a name (letters, digits, '_' and '-')";
            return false;
        }

        var arguments = new List<(string? Key, string Value)>();
        if (open >= 0)
        {
            if (!spec.EndsWith(')'))
            {
                error = "a ')' is missing after the parameters";
                return false;
            }

            string inside = spec[(open + 1)..^1];
            if (inside.Trim().Length > 0)
            {
                foreach (string part in SplitTopLevel(inside, out error))
                {
                    if (!TryArgument(part, arguments, out error))
                    {
                        return false;
                    }
                }

                if (error.Length > 0)
                {
                    return false;
                }
            }
        }

        call = new SpecCall(name, arguments);
        return true;
    }

    /// <summary>The name as registries match it: lower case, '-' read as '_'.</summary>
    public static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');

    private static bool TryArgument(string part, List<(string? Key, string Value)> arguments, out string error)
    {
        error = string.Empty;
        string text = part.Trim();
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        int paren = text.IndexOf('(', StringComparison.Ordinal);
        string? key = null;
        if (equals > 0 && (paren < 0 || equals < paren))
        {
            key = text[..equals].Trim();
            text = text[(equals + 1)..].Trim();
            if (!DeepLearning.Arguments.IsKey(key))
            {
                error = $"'{key}' is not a parameter name";
                return false;
            }
        }
        else if (arguments.Count > 0 && arguments[^1].Key is not null)
        {
            error = $"the value '{text}' comes after a named one; give positional values first";
            return false;
        }

        if (text.Length == 0)
        {
            error = key is null ? "a value is empty (two commas in a row?)" : $"{key} has no value";
            return false;
        }

        arguments.Add((key, text));
        return true;
    }

    /// <summary>Splits at the commas outside parentheses.</summary>
    private static List<string> SplitTopLevel(string text, out string error)
    {
        error = string.Empty;
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    if (--depth < 0)
                    {
                        error = "a ')' has no matching '('";
                        return [];
                    }

                    break;
                case ',' when depth == 0:
                    parts.Add(text[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            error = "a '(' has no matching ')'";
            return [];
        }

        parts.Add(text[start..]);
        return parts;
    }
}
