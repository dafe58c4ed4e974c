using System.Globalization;

namespace DeepLearning;

/// <summary>
/// The settings of a concept as ordered <c>key=value</c> pairs: what a spec such as <c>adam(lr=0.001)</c> or
/// <c>dense(100, relu)</c> gives once its values are matched to the parameters its registry entry declares, and what the
/// model file stores for each layer (<c>input=784; outputs=100; activation=relu; bias=true</c>). Values are text; the typed
/// getters parse them and throw an <see cref="ArgumentException"/> naming the key when one is missing or malformed.
/// </summary>
/// <remarks>Immutable. Keys are letters, digits and underscores; values must not contain ';'.</remarks>
/// <example>
/// <code>
/// Arguments a = Arguments.Parse("outputs=100; activation=relu");
/// int n = a.GetSize("outputs");                                          // 100
/// IActivation σ = a.GetConcept("activation", Registries.Activations);   // ReLU
/// </code>
/// </example>
public sealed class Arguments
{
    private readonly KeyValuePair<string, string>[] _pairs;

    /// <summary>Creates settings from pairs, in order.</summary>
    /// <param name="pairs">The settings; keys are letters, digits and underscores; values must not contain ';'.</param>
    /// <exception cref="ArgumentException">A key is malformed or repeated, or a value contains ';'.</exception>
    public Arguments(params IEnumerable<(string Key, string Value)> pairs)
    {
        Preconditions.CheckNotNull(pairs, nameof(pairs));
        var list = new List<KeyValuePair<string, string>>();
        foreach ((string key, string value) in pairs)
        {
            if (!IsKey(key) || list.Any(p => p.Key == key))
            {
                throw new ArgumentException($"Setting key '{key}' is empty, repeated or not made of letters, digits and '_'.", nameof(pairs));
            }

            if ((value ?? throw new ArgumentException($"Setting '{key}' has no value.", nameof(pairs))).Contains(';', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Setting '{key}' has a value containing ';': '{value}'.", nameof(pairs));
            }

            list.Add(new(key, value.Trim()));
        }

        _pairs = [.. list];
    }

    /// <summary>No settings.</summary>
    public static Arguments Empty { get; } = new();

    /// <summary>The settings, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>Parses <c>key=value; key=value</c>, as <see cref="ToString"/> writes it (a value may itself hold '=', as in <c>optimizer=adam(lr=0.01)</c>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="ArgumentException">The text is malformed.</exception>
    public static Arguments Parse(string text)
    {
        Preconditions.CheckNotNull(text, nameof(text));
        var pairs = new List<(string, string)>();
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"Settings '{text}': '{part}' is not key=value.", nameof(text));
            }

            pairs.Add((part[..equals].Trim(), part[(equals + 1)..].Trim()));
        }

        return new Arguments(pairs);
    }

    /// <summary>Whether <paramref name="key"/> has a value.</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether it is present.</returns>
    public bool Contains(string key) => Array.Exists(_pairs, p => p.Key == key);

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value, as text.</returns>
    /// <exception cref="ArgumentException">The key is missing.</exception>
    public string Get(string key)
        => Array.Find(_pairs, p => p.Key == key) is { Key: not null } found
            ? found.Value
            : throw new ArgumentException($"'{this}' has no '{key}'.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as a whole number of at least <paramref name="minimum"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="minimum">The smallest value accepted; 1 by default (a size).</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The key is missing or not such a number.</exception>
    public int GetSize(string key, int minimum = 1)
        => int.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= minimum
            ? value
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{key} must be a whole number of at least {minimum:N0}, but was '{Get(key)}'."), nameof(key));

    /// <summary>The value of <paramref name="key"/> as any whole number (a seed).</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The key is missing or not a whole number.</exception>
    public int GetInteger(string key)
        => int.TryParse(Get(key), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{key} must be a whole number, but was '{Get(key)}'.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as a finite number.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The key is missing or not a finite number.</exception>
    public double GetNumber(string key)
        => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"{key} must be a finite number, but was '{Get(key)}'.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as true or false.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The key is missing or not true/false.</exception>
    public bool GetBoolean(string key)
        => bool.TryParse(Get(key), out bool value)
            ? value
            : throw new ArgumentException($"{key} must be true or false, but was '{Get(key)}'.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as a feature shape, <c>784</c> or <c>1×28×28</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The shape.</returns>
    /// <exception cref="ArgumentException">The key is missing or not a shape.</exception>
    public FeatureShape GetShape(string key)
        => FeatureShape.TryParse(Get(key), out FeatureShape shape)
            ? shape
            : throw new ArgumentException($"{key} must be a shape such as 784 or 1×28×28, but was '{Get(key)}'.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as a concept of a registry, for example an activation spec.</summary>
    /// <typeparam name="TConcept">The registry's family.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="registry">The registry that reads the spec.</param>
    /// <returns>The concept.</returns>
    /// <exception cref="ArgumentException">The key is missing or its value is not a spec of the registry.</exception>
    public TConcept GetConcept<TConcept>(string key, Registry<TConcept> registry)
        where TConcept : class, IConcept
    {
        Preconditions.CheckNotNull(registry, nameof(registry));
        return registry.TryCreate(Get(key), out TConcept? concept, out string error)
            ? concept!
            : throw new ArgumentException($"{key}: {error}", nameof(key));
    }

    /// <summary>These settings with <paramref name="key"/> set to <paramref name="value"/>: replaced where present, else added first.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>New settings.</returns>
    public Arguments With(string key, string value)
        => Contains(key)
            ? new Arguments(_pairs.Select(p => p.Key == key ? (p.Key, value) : (p.Key, p.Value)))
            : new Arguments(_pairs.Select(p => (p.Key, p.Value)).Prepend((key, value)));

    /// <summary>These settings without <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>New settings.</returns>
    public Arguments Without(string key) => new(_pairs.Where(p => p.Key != key).Select(p => (p.Key, p.Value)));

    /// <summary>Writes <c>key=value; key=value</c>.</summary>
    /// <returns>The settings as text.</returns>
    public override string ToString() => string.Join("; ", _pairs.Select(p => $"{p.Key}={p.Value}"));

    internal static bool IsKey(string? key) => !string.IsNullOrEmpty(key) && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
