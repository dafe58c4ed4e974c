using DeepLearning;
using DeepLearning.Training;
using DeepLearning.Data;
using DeepLearning.Serialization;
using DeepLearning.Text;
using NameWriter;

namespace Playground.Model;

/// <summary>
/// What the Names page fetches from its own site, only when it is opened: the 8,000 names the name writer embeds and the
/// transformer it trained on them, made by <c>eng/make-playground-names.sh</c>. Each is fetched once and kept.
/// </summary>
/// <param name="fetch">Fetches a file by its address relative to the playground (see <see cref="DigitAssets"/>).</param>
public sealed class NameAssets(Func<string, Task<byte[]>> fetch)
{
    /// <summary>The names' address: one per line, UTF-8 (the name writer's embedded subset of the 2018 US baby names).</summary>
    public const string NamesPath = "names/names.txt";

    /// <summary>The shipped transformer's address, with its vocabulary in the file.</summary>
    public const string ModelPath = "names/names-transformer.dlnn";

    private Task<NameData>? _names;
    private Task<Network<float>>? _model;

    /// <summary>The names, split as the name writer splits them.</summary>
    public Task<NameData> NamesAsync() => _names ??= LoadNamesAsync();

    /// <summary>The transformer trained by <c>samples/NameWriter</c> on these names (see the script).</summary>
    public Task<Network<float>> ModelAsync() => _model ??= LoadModelAsync();

    private async Task<NameData> LoadNamesAsync() => NameData.From(NameList.Parse(await fetch(NamesPath), NamesPath));

    private async Task<Network<float>> LoadModelAsync() => ModelFile.Load<float>(await fetch(ModelPath), ModelPath);
}

/// <summary>Names split as the name writer splits them (makemore's split), with their vocabulary and the network's positions.</summary>
/// <param name="Train">The names learned from.</param>
/// <param name="Dev">The validation names: the page's dev loss.</param>
/// <param name="Test">The test names (the name writer's test loss; the page does not use them).</param>
/// <param name="Vocabulary">Every character of the names, and the boundary token '.'.</param>
/// <param name="Positions">The longest name plus one: the start token and the characters.</param>
public sealed record NameData(string[] Train, string[] Dev, string[] Test, CharacterVocabulary Vocabulary, int Positions)
{
    /// <summary>Splits names with <see cref="NameList.SplitSeed"/> (see <see cref="NameList.Split"/>).</summary>
    public static NameData From(string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        (string[] train, string[] dev, string[] test) = NameList.Split(names, NameList.SplitSeed);
        int longest = names.Max(n => n.EnumerateRunes().Count());
        return new NameData(train, dev, test, CharacterVocabulary.FromTexts(names), longest + 1);
    }

    /// <summary>The next-character data of some of the names: inputs the start token and the characters, targets the next ones.</summary>
    public DataSet<float> Encode(IReadOnlyList<string> names) => Vocabulary.NextCharacterData<float>(names, Positions);
}
