using System.Globalization;

namespace DeepLearning;

/// <summary>
/// What every registry shares — of activations, losses, initializers, regularizers, optimizers and layers: names with
/// aliases, declared parameters with defaults, one spec grammar and its messages, and the lines of help.
/// </summary>
/// <remarks>
/// <para>
/// <b>The grammar.</b> A spec is a name, optionally followed by its parameters in parentheses: positional ones in the
/// declared order, then named ones — <c>relu</c>, <c>leaky_relu(0.1)</c>, <c>adam(lr=0.001)</c>,
/// <c>gradient_descent(0.05, momentum=0.9)</c>, <c>dense(100, relu)</c>, <c>dense(10, activation=leaky_relu(0.2))</c>.
/// Names are matched ignoring case, with <c>-</c> read as <c>_</c> (so <c>cross-entropy</c> is <c>cross_entropy</c>).
/// Parameters left out take the defaults the entry declares; a misspelt name gets a "did you mean" suggestion.
/// </para>
/// <para>Registering is meant for start-up; reading is thread-safe once registration is done.</para>
/// </remarks>
public abstract class Registry
{
    private readonly List<RegistryEntry> _entries = [];
    private readonly Dictionary<string, RegistryEntry> _byName = new(StringComparer.Ordinal);

    private protected Registry(string family) => Family = family;

    /// <summary>The family, in the singular: <c>activation</c>, <c>loss</c>, <c>initializer</c>, <c>regularizer</c>, <c>optimizer</c> or <c>layer</c>.</summary>
    public string Family { get; }

    /// <summary>Every registered entry, in registration order.</summary>
    public IReadOnlyList<RegistryEntry> Entries => _entries;

    /// <summary>
    /// The entries as a table for help and docs, each signature with its description — <c>leaky_relu(alpha = 0.01)  z for
    /// z &gt; 0, else α·z</c> — wrapped at spaces to <paramref name="width"/> columns; a signature too long for its column
    /// stands on its own line, its description below it.
    /// </summary>
    /// <param name="width">The columns available, at least 40; 80 by default.</param>
    /// <returns>The lines, none longer than <paramref name="width"/> unless a single word is, none ending in a space.</returns>
    public IEnumerable<string> Describe(int width = 80)
        => TextLayout.Table([.. _entries.Select(e => (e.Signature, e.Description))], Math.Max(40, width));

    /// <summary>
    /// The candidate closest to <paramref name="word"/> in spelling (ignoring case, '-' read as '_'), for "did you mean":
    /// at most a third of its letters (and at least one) changed, added or removed; null when none is that close.
    /// </summary>
    /// <param name="word">What was written.</param>
    /// <param name="candidates">The words that exist.</param>
    /// <returns>The closest candidate, or null.</returns>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        Preconditions.CheckNotNull(candidates, nameof(candidates));
        string target = SpecCall.Normalize(word ?? string.Empty);
        int allowed = Math.Max(1, target.Length / 3);
        return candidates
            .Select(c => (Candidate: c, Distance: EditDistance(target, SpecCall.Normalize(c))))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    /// <summary>Adds an entry under its name and aliases.</summary>
    private protected RegistryEntry Add(string name, string parameters, string description, string[] aliases)
    {
        Preconditions.CheckNotNull(name, nameof(name));
        _ = ParameterDeclaration.ParseAll(parameters); // a malformed declaration fails at registration, not at first use
        var entry = new RegistryEntry(SpecCall.Normalize(name), parameters ?? string.Empty, description ?? string.Empty, [.. (aliases ?? []).Select(SpecCall.Normalize)]);
        string[] keys = [entry.Name, .. entry.Aliases];
        if (entry.Name.Length == 0 || Array.Find(keys, _byName.ContainsKey) is { } taken)
        {
            throw new ArgumentException($"The {Family} name '{name}' is empty or already registered.", nameof(name));
        }

        _entries.Add(entry);
        foreach (string key in keys)
        {
            _byName[key] = entry;
        }

        return entry;
    }

    /// <summary>
    /// Reads a spec: its entry, and its parameters matched to the entry's declaration, defaults filled in (in declared order).
    /// <paramref name="extra"/> adds named values after those of the spec (a command-line option such as --learning-rate).
    /// </summary>
    private protected bool TryBind(string spec, IReadOnlyList<(string Key, string Value)> extra, out RegistryEntry? entry, out Arguments arguments, out string error)
    {
        entry = null;
        arguments = Arguments.Empty;
        if (!SpecCall.TryParse(spec, out SpecCall call, out error))
        {
            error = $"{Family} '{Shorten(spec)}': {error}.";
            return false;
        }

        if (!_byName.TryGetValue(SpecCall.Normalize(call.Name), out entry))
        {
            string? closest = Closest(call.Name, _byName.Keys);
            error = $"unknown {Family} '{call.Name}'{(closest is null ? string.Empty : $" (did you mean {closest}?)")}; expected one of {string.Join(", ", _entries.Select(e => e.Name))}.";
            return false;
        }

        IReadOnlyList<ParameterDeclaration> declared = ParameterDeclaration.ParseAll(entry.Parameters);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        int position = 0;
        foreach ((string? key, string value) in call.Arguments.Concat(extra.Select(e => ((string?)e.Key, e.Value))))
        {
            string name;
            if (key is null)
            {
                if (position >= declared.Count)
                {
                    error = declared.Count == 0
                        ? $"{Family} '{entry.Name}' takes no parameters, but {call.Arguments.Count} were given."
                        : $"{Family} '{entry.Name}' takes at most {declared.Count} parameter(s) ({entry.Parameters}), but {call.Arguments.Count} were given.";
                    return false;
                }

                name = declared[position++].Name;
            }
            else
            {
                name = declared.FirstOrDefault(p => p.Name.Equals(key, StringComparison.OrdinalIgnoreCase))?.Name ?? string.Empty;
                if (name.Length == 0)
                {
                    string? closest = Closest(key, declared.Select(p => p.Name));
                    error = declared.Count == 0
                        ? $"{Family} '{entry.Name}' takes no parameters, but '{key}' was given."
                        : $"{Family} '{entry.Name}' has no parameter '{key}'{(closest is null ? string.Empty : $" (did you mean {closest}?)")}; its parameters are {string.Join(", ", declared.Select(p => p.Name))}.";
                    return false;
                }
            }

            if (!values.TryAdd(name, value))
            {
                error = $"{Family} '{entry.Name}': {name} is given twice.";
                return false;
            }
        }

        var pairs = new List<(string, string)>();
        foreach (ParameterDeclaration parameter in declared)
        {
            if (values.TryGetValue(parameter.Name, out string? value) || (value = parameter.Default) is not null)
            {
                pairs.Add((parameter.Name, value));
            }
            else if (!parameter.Optional)
            {
                error = $"{Family} '{entry.Name}' needs {parameter.Name}, for example {entry.Name}({string.Join(", ", declared.Where(p => p.Default is null && !p.Optional).Select(p => p.Name))}).";
                return false;
            }
        }

        try
        {
            arguments = new Arguments(pairs);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"{Family} '{entry.Name}': {FirstLine(e)}";
            return false;
        }
    }

    /// <summary>The entry registered under <paramref name="name"/> (or one of its aliases), or null.</summary>
    private protected RegistryEntry? Find(string name) => _byName.GetValueOrDefault(SpecCall.Normalize(name ?? string.Empty));

    /// <summary>An exception's message without .NET's " (Parameter 'x')" suffix and without any line after the first.</summary>
    private protected static string FirstLine(Exception e) => e.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0].TrimEnd();

    /// <summary>A spec quoted in a message: its first 60 characters, control characters shown as '?'.</summary>
    private protected static string Shorten(string? spec)
    {
        string text = new((spec ?? string.Empty).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length <= 60 ? text : string.Create(CultureInfo.InvariantCulture, $"{text[..57]}...");
    }

    /// <summary>The edit distance: changes, additions and removals of one letter, and swaps of two neighbours (<c>alhpa</c> is one from <c>alpha</c>).</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j], d[i, j - 1]) + 1, d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
