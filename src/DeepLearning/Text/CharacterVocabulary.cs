using System.Globalization;
using System.Numerics;
using System.Text;
using DeepLearning.Data;
using DeepLearning.Training;

namespace DeepLearning.Text;

/// <summary>
/// The tokens of a character-level language model: token 0 marks where a text starts and where it ends (written
/// <c>.</c>), and tokens 1 to V − 1 are the characters the texts use, in ordinal order — for lower-case names
/// <c>.abcdefghijklmnopqrstuvwxyz</c>, V = 27, as in makemore.
/// </summary>
/// <remarks>
/// <para>
/// <b>Characters</b> are Unicode scalar values (a letter outside the Basic Multilingual Plane is one character, not two
/// halves); line breaks and other control characters are refused, since a text is one line.
/// </para>
/// <para>
/// <b>Next-character data</b> (<see cref="NextCharacterData{T}"/>): a text c₁…cₙ becomes one sample of T positions, the
/// input x = [0, c₁, …, cₙ, 0, …] and the target y = [c₁, …, cₙ, 0, −1, …]: at every position the network reads the
/// characters so far and is scored on the next one, the end marker included; positions after the end have the target −1,
/// which <see cref="Losses.CrossEntropy"/> ignores. Token ids live in the input tensor as whole numbers of the network's
/// element type (exact: a vocabulary holds at most 2²⁴ tokens); the embedding layer checks each one.
/// </para>
/// <para>
/// <b>Saved with the network</b>: <see cref="WriteTo{T}(Network{T})"/> stores the characters in
/// <see cref="Network{T}.Metadata"/> under <c>vocabulary</c>, which the model file, safetensors and ONNX keep;
/// <see cref="ReadFrom{T}(Network{T})"/> brings the vocabulary back.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var vocabulary = CharacterVocabulary.FromTexts(["emma", "olivia", "ava"]);   // .aeilmov, V = 8
/// int[] tokens = vocabulary.Encode("ava");                                      // [1, 7, 1]
/// string text = vocabulary.Decode([5, 1]);                                      // "ma"
/// </code>
/// </example>
public sealed class CharacterVocabulary
{
    /// <summary>Token 0: the start and the end of every text, written <c>.</c>.</summary>
    public const int Boundary = 0;

    /// <summary>The key of <see cref="Network{T}.Metadata"/> under which <see cref="WriteTo{T}(Network{T})"/> stores the characters.</summary>
    public const string MetadataKey = "vocabulary";

    /// <summary>The most tokens a vocabulary holds: 2²⁴, so that every id is exact in float.</summary>
    public const int MaxTokens = 1 << 24;

    private readonly Rune[] _characters;
    private readonly Dictionary<Rune, int> _tokens = [];

    /// <summary>Creates a vocabulary from its characters, in token order (token 1 is the first).</summary>
    /// <param name="characters">The characters, each once, no control characters.</param>
    /// <exception cref="ArgumentException">There are no characters, one repeats, or one is a control character.</exception>
    public CharacterVocabulary(string characters)
    {
        Preconditions.CheckNotNull(characters, nameof(characters));
        _characters = [.. Runes(characters, "The vocabulary", nameof(characters))];
        if (_characters.Length == 0)
        {
            throw new ArgumentException("A vocabulary needs at least one character.", nameof(characters));
        }

        if (_characters.Length >= MaxTokens)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{_characters.Length:N0} characters; a vocabulary holds at most {MaxTokens - 1:N0}."), nameof(characters));
        }

        for (int k = 0; k < _characters.Length; k++)
        {
            Rune c = _characters[k];
            if (Rune.IsControl(c))
            {
                throw new ArgumentException($"Character {k + 1} of the vocabulary is {Describe(c)}; a vocabulary holds printable characters.", nameof(characters));
            }

            if (!_tokens.TryAdd(c, k + 1))
            {
                throw new ArgumentException($"The vocabulary holds {Describe(c)} twice.", nameof(characters));
            }
        }

        Characters = characters;
    }

    /// <summary>The characters, in token order (token 1 first).</summary>
    public string Characters { get; }

    /// <summary>V: the number of tokens, the boundary included — the size of the embedding's table and of the output layer.</summary>
    public int Count => _characters.Length + 1;

    /// <summary>The vocabulary of some texts: every character they use, in ordinal (code point) order.</summary>
    /// <param name="texts">The texts.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentException">The texts hold no character, or a control character (naming the text).</exception>
    public static CharacterVocabulary FromTexts(IEnumerable<string> texts)
    {
        Preconditions.CheckNotNull(texts, nameof(texts));
        var seen = new SortedSet<Rune>();
        int index = 0;
        foreach (string text in texts)
        {
            Preconditions.CheckNotNull(text, $"texts[{index}]");
            foreach (Rune c in Runes(text, $"Text {index + 1}", nameof(texts)))
            {
                if (Rune.IsControl(c))
                {
                    throw new ArgumentException($"Text {index + 1} holds {Describe(c)}; a text is one line of printable characters.", nameof(texts));
                }

                seen.Add(c);
            }

            index++;
        }

        return seen.Count == 0
            ? throw new ArgumentException("The texts hold no character to build a vocabulary from.", nameof(texts))
            : new CharacterVocabulary(string.Concat(seen.Select(c => c.ToString())));
    }

    /// <summary>The vocabulary a network was saved with (<see cref="WriteTo{T}(Network{T})"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network.</param>
    /// <returns>The vocabulary.</returns>
    /// <exception cref="ArgumentException">The network has no <c>vocabulary</c> metadata, or it is not a vocabulary.</exception>
    public static CharacterVocabulary ReadFrom<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        if (!network.Metadata.TryGetValue(MetadataKey, out string? characters))
        {
            throw new ArgumentException($"{network}: no '{MetadataKey}' in its metadata; it was not saved with a character vocabulary.", nameof(network));
        }

        try
        {
            return new CharacterVocabulary(characters);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{network}: its '{MetadataKey}' metadata: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}", nameof(network), e);
        }
    }

    /// <summary>Stores the characters in the network's metadata under <c>vocabulary</c>, to be saved with it.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="network">The network.</param>
    /// <exception cref="ArgumentException">The network's output is not one of the <see cref="Count"/> tokens per position.</exception>
    public void WriteTo<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        FeatureShape output = network.OutputShape;
        if ((output.IsSequence ? output.Features : output.Size) != Count)
        {
            throw new ArgumentException($"{network}: its output {output} does not score the {Count} tokens of this vocabulary.", nameof(network));
        }

        network.Metadata[MetadataKey] = Characters;
    }

    /// <summary>The token of a character.</summary>
    /// <param name="character">The character.</param>
    /// <returns>Its token, 1 to V − 1.</returns>
    /// <exception cref="ArgumentException">The character is not in the vocabulary.</exception>
    public int Token(Rune character)
        => _tokens.TryGetValue(character, out int token) ? token : throw new ArgumentException($"{Describe(character)} is not in the vocabulary.", nameof(character));

    /// <summary>The tokens of a text, one per character (without the boundary).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens.</returns>
    /// <exception cref="ArgumentException">A character is not in the vocabulary (naming it and where it is).</exception>
    public int[] Encode(string text)
    {
        Preconditions.CheckNotNull(text, nameof(text));
        var tokens = new List<int>(text.Length);
        foreach (Rune c in Runes(text, $"'{text}'", nameof(text)))
        {
            tokens.Add(_tokens.TryGetValue(c, out int token)
                ? token
                : throw new ArgumentException($"{Describe(c)} (character {tokens.Count + 1} of '{text}') is not in the vocabulary.", nameof(text)));
        }

        return [.. tokens];
    }

    /// <summary>The text of some tokens; the boundary is written <c>.</c>.</summary>
    /// <param name="tokens">The tokens.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A token is not 0 to V − 1.</exception>
    public string Decode(IEnumerable<int> tokens)
    {
        Preconditions.CheckNotNull(tokens, nameof(tokens));
        var text = new StringBuilder();
        foreach (int token in tokens)
        {
            text.Append(Symbol(token));
        }

        return text.ToString();
    }

    /// <summary>How a token is written: its character, or <c>.</c> for the boundary.</summary>
    /// <param name="token">The token, 0 to V − 1.</param>
    /// <returns>The text of the token.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The token is not 0 to V − 1.</exception>
    public string Symbol(int token)
        => token == Boundary ? "."
            : (uint)token < (uint)Count ? _characters[token - 1].ToString()
            : throw new ArgumentOutOfRangeException(nameof(token), token, string.Create(CultureInfo.InvariantCulture, $"Token {token} is not in the vocabulary (0 to {Count - 1})."));

    /// <summary>
    /// The next-character data of some texts, one sample of <paramref name="positions"/> tokens each (see the remarks):
    /// inputs m×T token ids (<see cref="FeatureShape.Sequence(int, int)"/>(T, 1)), targets m×T class indices with −1 after
    /// the end.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="texts">The texts; none longer than T − 1 characters.</param>
    /// <param name="positions">T, at least 1: the network's sequence length.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="ArgumentException">A text is longer than T − 1 characters or holds a character not in the vocabulary (naming it).</exception>
    public DataSet<T> NextCharacterData<T>(IReadOnlyList<string> texts, int positions)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(texts, nameof(texts));
        Preconditions.CheckPositive(positions, nameof(positions));
        var inputs = new Tensor<T>(texts.Count, positions);
        var targets = new Tensor<T>(texts.Count, positions);
        targets.AsSpan().Fill(-T.One);
        for (int i = 0; i < texts.Count; i++)
        {
            int[] tokens = Encode(Preconditions.CheckNotNull(texts[i], $"texts[{i}]"));
            if (tokens.Length >= positions)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Text {i + 1} ('{texts[i]}') has {tokens.Length} characters; with {positions} positions a text has at most {positions - 1} (one position is the start)."), nameof(texts));
            }

            inputs[i, 0] = T.CreateChecked(Boundary);
            for (int k = 0; k < tokens.Length; k++)
            {
                targets[i, k] = T.CreateChecked(tokens[k]);
                inputs[i, k + 1] = T.CreateChecked(tokens[k]);
            }

            targets[i, tokens.Length] = T.CreateChecked(Boundary);
        }

        return new DataSet<T>(inputs, targets);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Count} tokens: .{Characters}");

    /// <summary>The characters of a text, refusing half of a surrogate pair (which is no character).</summary>
    private static IEnumerable<Rune> Runes(string text, string what, string parameter)
    {
        for (int k = 0; k < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(k), out Rune c, out int used) != System.Buffers.OperationStatus.Done)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{what} holds half of a surrogate pair at UTF-16 index {k}, which is no character."), parameter);
            }

            yield return c;
            k += used;
        }
    }

    private static string Describe(Rune c)
        => Rune.IsControl(c) || Rune.IsWhiteSpace(c)
            ? string.Create(CultureInfo.InvariantCulture, $"U+{c.Value:X4}")
            : string.Create(CultureInfo.InvariantCulture, $"'{c}' (U+{c.Value:X4})");
}
