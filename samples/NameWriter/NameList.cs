using System.Globalization;
using System.Text;
using DeepLearning.IO;

namespace NameWriter;

/// <summary>
/// A names file, as makemore reads one: one name (or any item) per line, UTF-8, surrounding spaces trimmed, blank lines
/// skipped. Everything wrong with it is one line naming the file and the line: bytes that are not UTF-8, a control
/// character, a name longer than <see cref="MaxLength"/>, too few names, a single character.
/// </summary>
internal static class NameList
{
    /// <summary>The largest names file read: 64 MiB (makemore's names.txt is 228 KB).</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The longest name, in characters; the network's positions are the longest name's length plus one.</summary>
    public const int MaxLength = 256;

    /// <summary>The seed of makemore's split (see <see cref="Split"/>): the name writer's and the playground's Names page's.</summary>
    public const int SplitSeed = 3407;

    /// <summary>The fewest names: a tenth of them (at least one) is held out for testing and another for validation.</summary>
    public const int MinNames = 10;

    /// <summary>The names of a file, checked.</summary>
    /// <exception cref="InvalidDataException">The file is not a usable names file; the message names it and the line.</exception>
    public static string[] Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = BoundedFile.ReadAllBytes(path, MaxBytes, "a names file");
        }
        catch (InvalidDataException e) when (e.Message.StartsWith(System.IO.Path.GetFileName(path) + ":", StringComparison.Ordinal))
        {
            // The library names the file by its name alone; here the user gave a path, and the line says which.
            throw new InvalidDataException(path + e.Message[System.IO.Path.GetFileName(path).Length..], e);
        }

        return Parse(bytes, path);
    }

    /// <summary>The names of a file's bytes, checked; <paramref name="name"/> is the file in messages.</summary>
    public static string[] Parse(byte[] bytes, string name)
    {
        var names = new List<string>();
        var strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0; // a byte-order mark is not a character
        int line = 0;
        while (start < bytes.Length)
        {
            line++;
            int end = bytes.AsSpan(start).IndexOf((byte)'\n');
            int length = end < 0 ? bytes.Length - start : end;
            string text;
            try
            {
                text = strict.GetString(bytes, start, length);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException(Invariant($"{name}, line {line}: not UTF-8 text (a names file is UTF-8, one name per line)."));
            }

            start += length + 1;
            text = text.Trim(); // makemore strips each line; a Windows line end (\r) goes with it
            if (text.Length == 0)
            {
                continue;
            }

            if (text.FirstOrDefault(char.IsControl) is var control && control != default)
            {
                throw new InvalidDataException(Invariant($"{name}, line {line}: holds the control character U+{(int)control:X4}; a name is one line of printable characters."));
            }

            int characters = text.EnumerateRunes().Count();
            if (characters > MaxLength)
            {
                throw new InvalidDataException(Invariant($"{name}, line {line}: {characters:N0} characters long; a name has at most {MaxLength}."));
            }

            names.Add(text);
        }

        if (names.Count < MinNames)
        {
            throw new InvalidDataException(Invariant($"{name}: {names.Count} {(names.Count == 1 ? "name" : "names")}; at least {MinNames} are needed (one per line), a tenth for testing and a tenth for validation."));
        }

        var distinct = names.SelectMany(n => n.EnumerateRunes()).Distinct().Take(2).ToList();
        if (distinct.Count < 2)
        {
            throw new InvalidDataException($"{name}: every name is made of the one character '{distinct[0]}'; a language model needs at least two characters to choose between.");
        }

        return [.. names];
    }

    /// <summary>
    /// makemore's split: the names in a random order drawn from <paramref name="seed"/>; the first tenth (at most 1,000) is
    /// the test set, the next as many the validation (dev) set, the rest the training set.
    /// </summary>
    public static (string[] Train, string[] Dev, string[] Test) Split(IReadOnlyList<string> names, int seed)
    {
        int[] order = [.. Enumerable.Range(0, names.Count)];
        new Random(seed).Shuffle(order);
        int held = Math.Clamp(names.Count / 10, 1, 1000);
        string[] Take(int skip, int count) => [.. order.Skip(skip).Take(count).Select(i => names[i])];
        return (Take(2 * held, names.Count - (2 * held)), Take(held, held), Take(0, held));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
