using System.Globalization;

namespace DeepLearning.Layers;

/// <summary>
/// A layer's settings as ordered <c>key=value</c> pairs, written <c>inputs=784; outputs=30; activation=relu; bias=true</c>:
/// what the model file stores for each layer besides its parameters. Values are text; the typed getters parse them and
/// throw an <see cref="ArgumentException"/> naming the key when one is missing or malformed.
/// </summary>
public sealed class LayerConfiguration
{
    private readonly List<KeyValuePair<string, string>> _pairs;

    /// <summary>Creates a configuration from pairs, in order.</summary>
    /// <param name="pairs">The settings; keys are letters, digits and underscores; values must not contain ';'.</param>
    /// <exception cref="ArgumentException">A key is malformed or repeated, or a value contains ';' or '='.</exception>
    public LayerConfiguration(params IEnumerable<(string Key, string Value)> pairs)
    {
        Preconditions.CheckNotNull(pairs, nameof(pairs));
        _pairs = [];
        foreach ((string key, string value) in pairs)
        {
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || _pairs.Any(p => p.Key == key))
            {
                throw new ArgumentException($"Layer setting key '{key}' is empty, repeated or not made of letters, digits and '_'.", nameof(pairs));
            }

            if (value.Contains(';', StringComparison.Ordinal) || value.Contains('=', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Layer setting '{key}' has a value containing ';' or '=': '{value}'.", nameof(pairs));
            }

            _pairs.Add(new(key, value.Trim()));
        }
    }

    /// <summary>The settings, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    /// <summary>Parses <c>key=value; key=value</c>.</summary>
    /// <param name="text">The text, as <see cref="ToString"/> writes it.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException">The text is malformed.</exception>
    public static LayerConfiguration Parse(string text)
    {
        Preconditions.CheckNotNull(text, nameof(text));
        var pairs = new List<(string, string)>();
        foreach (string part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"Layer configuration '{text}': '{part}' is not key=value.", nameof(text));
            }

            pairs.Add((part[..equals].Trim(), part[(equals + 1)..].Trim()));
        }

        return new LayerConfiguration(pairs);
    }

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The key is missing.</exception>
    public string Get(string key)
        => _pairs.FirstOrDefault(p => p.Key == key) is { Key: not null } found
            ? found.Value
            : throw new ArgumentException($"Layer configuration '{this}' has no '{key}'.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as a whole number of at least 1.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The key is missing or not such a number.</exception>
    public int GetSize(string key)
        => int.TryParse(Get(key), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= 1
            ? value
            : throw new ArgumentException($"Layer configuration '{this}': '{key}' must be a whole number of at least 1.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as a finite number.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The number.</returns>
    /// <exception cref="ArgumentException">The key is missing or not a finite number.</exception>
    public double GetNumber(string key)
        => double.TryParse(Get(key), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"Layer configuration '{this}': '{key}' must be a finite number.", nameof(key));

    /// <summary>The value of <paramref name="key"/> as true or false.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The key is missing or not true/false.</exception>
    public bool GetBoolean(string key)
        => bool.TryParse(Get(key), out bool value)
            ? value
            : throw new ArgumentException($"Layer configuration '{this}': '{key}' must be true or false.", nameof(key));

    /// <summary>Writes <c>key=value; key=value</c>.</summary>
    /// <returns>The configuration as text.</returns>
    public override string ToString() => string.Join("; ", _pairs.Select(p => $"{p.Key}={p.Value}"));
}
