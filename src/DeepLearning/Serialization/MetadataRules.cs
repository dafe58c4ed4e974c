using System.Text;

namespace DeepLearning.Serialization;

/// <summary>
/// The rules <see cref="Training.Network{T}.Metadata"/> follows in every file that stores it (model file, safetensors,
/// ONNX): a key of 1 to 256 UTF-8 bytes without control characters, not <c>format</c> and not starting with
/// <c>deeplearning.</c> (safetensors' and the library's own); a value of at most 65,536 bytes; at most 1,000 entries.
/// </summary>
internal static class MetadataRules
{
    public const int MaxEntries = 1_000;

    public const int MaxKeyBytes = 256;

    public const int MaxValueBytes = 65_536;

    /// <summary>Why an entry breaks the rules, or null when it keeps them.</summary>
    public static string? Problem(string key, string value)
        => key.Length == 0 ? "a key is empty"
            : Encoding.UTF8.GetByteCount(key) > MaxKeyBytes ? $"the key '{Shorten(key)}' is longer than {MaxKeyBytes} bytes"
            : key.Any(char.IsControl) ? $"the key '{Shorten(key)}' holds a control character"
            : IsReserved(key) ? $"the key '{Shorten(key)}' is reserved (format and deeplearning.* are the library's)"
            : Encoding.UTF8.GetByteCount(value) > MaxValueBytes ? $"the value of '{Shorten(key)}' is longer than {MaxValueBytes:N0} bytes"
            : null;

    /// <summary>Whether a key belongs to safetensors or the library rather than to the network's metadata.</summary>
    public static bool IsReserved(string key) => key == "format" || key.StartsWith("deeplearning.", StringComparison.Ordinal);

    /// <summary>Refuses, before anything is written, metadata that a loader would refuse.</summary>
    /// <exception cref="NotSupportedException">An entry breaks the rules, or there are too many.</exception>
    public static void CheckSavable(IDictionary<string, string> metadata, string network)
    {
        if (metadata.Count > MaxEntries)
        {
            throw new NotSupportedException($"{network}: {metadata.Count:N0} metadata entries, more than the {MaxEntries:N0} a file holds.");
        }

        foreach ((string key, string value) in metadata)
        {
            if (Problem(key, value ?? string.Empty) is { } problem)
            {
                throw new NotSupportedException($"{network}: cannot be saved, its metadata breaks a rule: {problem}.");
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
