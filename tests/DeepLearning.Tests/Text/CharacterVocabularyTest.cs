using DeepLearning.Data;
using DeepLearning.Serialization;
using DeepLearning.Text;
using Microsoft.ML.OnnxRuntime;

namespace DeepLearning.Tests.Text;

/// <summary>The characters of a language model: tokens, next-character data, and the vocabulary saved with the network.</summary>
public class CharacterVocabularyTest
{
    [Fact]
    public void FromTexts_IsTheBoundaryThenTheCharactersInOrdinalOrder()
    {
        var vocabulary = CharacterVocabulary.FromTexts(["emma", "olivia", "ava"]);

        vocabulary.Characters.Should().Be("aeilmov");
        vocabulary.Count.Should().Be(8);
        vocabulary.Encode("ava").Should().Equal(1, 7, 1);
        vocabulary.Decode([5, 1, CharacterVocabulary.Boundary]).Should().Be("ma.");
        vocabulary.ToString().Should().Be("8 tokens: .aeilmov");
    }

    [Fact]
    public void Characters_OutsideTheBasicPlane_AreOneTokenEach()
    {
        var vocabulary = CharacterVocabulary.FromTexts(["a😀b", "é"]);

        vocabulary.Count.Should().Be(5, "a, b, é and the emoji (two UTF-16 units) are four characters");
        vocabulary.Decode(vocabulary.Encode("😀é")).Should().Be("😀é");
    }

    [Fact]
    public void NextCharacterData_IsMakemoresLayout_StartThenCharacters_TargetsCharactersThenEndThenIgnored()
    {
        var vocabulary = new CharacterVocabulary("abc");

        DataSet<float> data = vocabulary.NextCharacterData<float>(["cab", "a"], positions: 5);

        data.Inputs.GetRow(0).Should().Equal(0, 3, 1, 2, 0);
        data.Targets.GetRow(0).Should().Equal(3, 1, 2, 0, -1);
        data.Inputs.GetRow(1).Should().Equal(0, 1, 0, 0, 0);
        data.Targets.GetRow(1).Should().Equal(1, 0, -1, -1, -1);
    }

    [Fact]
    public void NextCharacterData_TrainsAnEmbeddingBigram_ToTheCountingBigramsLoss()
    {
        // A bigram network (a V×V table of logits) trained to convergence is the counting bigram without smoothing:
        // p(b | a) = count(a b) / count(a ·). Worked by hand for "ab", "ab", "b": after the start, a twice and b once.
        var vocabulary = new CharacterVocabulary("ab");
        DataSet<double> data = vocabulary.NextCharacterData<double>(["ab", "ab", "b"], positions: 3);
        Network<double> network = new NetworkBuilder<double>(FeatureShape.Sequence(3, 1), seed: 1).Add("embedding(3,3)").Build(Loss.CrossEntropy);

        network.Fit(data, Loss.CrossEntropy, new DeepLearning.Optimizers.Adam(0.1), new TrainingOptions { Epochs = 3000, BatchSize = 3, DivergenceFactor = null });

        // 8 predictions: . → a, a, b (−ln 2/3, 2/3, 1/3); a → b twice (0); b → . three times (0).
        double expected = -((2 * Math.Log(2.0 / 3)) + Math.Log(1.0 / 3)) / 8;
        network.Evaluate(data, Loss.CrossEntropy).Loss.Should().BeApproximately(expected, 1e-3);
    }

    [Theory]
    [InlineData("", "at least one character")]
    [InlineData("abca", "holds 'a' (U+0061) twice")]
    [InlineData("ab\tc", "U+0009")]
    public void Constructor_BadCharacters_OneClearMessage(string characters, string message)
    {
        Action create = () => _ = new CharacterVocabulary(characters);

        create.Should().Throw<ArgumentException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void Constructor_HalfASurrogatePair_IsNoCharacter()
    {
        string characters = "a" + (char)0xD800 + "b"; // built here: a test case's text would be changed on its way to the runner

        FluentActions.Invoking(() => new CharacterVocabulary(characters)).Should().Throw<ArgumentException>().WithMessage("*half of a surrogate pair at UTF-16 index 1*");
    }

    [Fact]
    public void Encode_AndData_NameWhatIsWrong()
    {
        var vocabulary = new CharacterVocabulary("ab");

        FluentActions.Invoking(() => vocabulary.Encode("abz")).Should().Throw<ArgumentException>().WithMessage("'z' (U+007A) (character 3 of 'abz') is not in the vocabulary.*");
        FluentActions.Invoking(() => vocabulary.NextCharacterData<float>(["abab"], 4)).Should().Throw<ArgumentException>()
            .WithMessage("Text 1 ('abab') has 4 characters; with 4 positions a text has at most 3*");
        FluentActions.Invoking(() => vocabulary.Decode([3])).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Token 3 is not in the vocabulary (0 to 2).*");
        FluentActions.Invoking(() => CharacterVocabulary.FromTexts(["ok", "line\nbreak"])).Should().Throw<ArgumentException>().WithMessage("Text 2 holds U+000A*");
        FluentActions.Invoking(() => CharacterVocabulary.FromTexts(["", ""])).Should().Throw<ArgumentException>().WithMessage("*no character*");
    }

    [Fact]
    public void Embedding_RefusesAnIdOutsideTheVocabulary_NamingIt()
    {
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(3, 1), seed: 1).Add("embedding(4,2)").Build(Loss.CrossEntropy);

        FluentActions.Invoking(() => network.Predict(Tensor<float>.FromRows([0, 1, 4]))).Should().Throw<ArgumentException>().WithMessage("*4*");
        FluentActions.Invoking(() => network.Predict(Tensor<float>.FromRows([0, 1.5f, 2]))).Should().Throw<ArgumentException>().WithMessage("*1.5*");
    }

    [Fact]
    public void Vocabulary_TravelsWithTheNetwork_ThroughModelFileSafetensorsAndOnnx()
    {
        using var dir = new TempDirectory();
        var vocabulary = CharacterVocabulary.FromTexts(["zoë", "ann-marie"]);
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(10, 1), seed: 1)
            .Add($"embedding({vocabulary.Count},4)").Add($"dense({vocabulary.Count})").Build(Loss.CrossEntropy);
        vocabulary.WriteTo(network);
        network.Metadata["licence"] = "CC0";

        ModelFile.Save(network, dir.File("m.dlnn"));
        SafeTensors.Save(network, dir.File("m.safetensors"));
        OnnxExport.Save(network, dir.File("m.onnx"));

        CharacterVocabulary.ReadFrom(ModelFile.Load<float>(dir.File("m.dlnn"))).Characters.Should().Be(vocabulary.Characters);
        Network<float> fromSafetensors = SafeTensors.Load<float>(dir.File("m.safetensors"));
        fromSafetensors.Metadata.Should().Equal(network.Metadata);
        using var session = new InferenceSession(dir.File("m.onnx"));
        session.ModelMetadata.CustomMetadataMap.Should().Equal(network.Metadata);
    }

    [Fact]
    public void WriteTo_ANetworkOfAnotherVocabularySize_IsRefused()
    {
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(3, 1), seed: 1).Add("embedding(5,5)").Build(Loss.CrossEntropy);

        FluentActions.Invoking(() => new CharacterVocabulary("ab").WriteTo(network)).Should().Throw<ArgumentException>().WithMessage("*does not score the 3 tokens*");
        FluentActions.Invoking(() => CharacterVocabulary.ReadFrom(network)).Should().Throw<ArgumentException>().WithMessage("*no 'vocabulary' in its metadata*");
    }
}
