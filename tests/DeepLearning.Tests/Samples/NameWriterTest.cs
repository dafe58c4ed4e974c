extern alias namewriter;

using System.Text;
using System.Text.Json;
using DeepLearning.Layers;
using DeepLearning.Optimizers;
using DeepLearning.Data;
using DeepLearning.Serialization;
using DeepLearning.Text;
using namewriter::NameWriter;

namespace DeepLearning.Tests.Samples;

/// <summary>The name writer, run in-process as a user would run it, on the embedded subset or small files; never online.</summary>
[Collection(EnvironmentCollection.Name)]
public class NameWriterTest
{
    /// <summary>Twelve made-up names of the letters a, b, e, l, m, n, o, r, y and a hyphen.</summary>
    private static readonly string[] Names = ["emma", "olivia", "ava", "bella", "mya", "noa", "ella", "mona", "lena", "ann-ora", "rory", "lea"];

    [Fact]
    public async Task Run_Offline_UsesTheEmbeddedNames_ReportsLossesAndWritesNames()
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run("--offline", "--cache", dir.File("cache"), "--model", "bigram", "--epochs", "1", "--names", "7", "--report", dir.File("r.json"));

        code.Should().Be(0, error);
        Flat(output).Should().Contain("--offline given: using the embedded 8,000 most given names").And.Contain("7 names written");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("data").GetString().Should().Be("embedded subset");
        (root.GetProperty("trainNames").GetInt32(), root.GetProperty("devNames").GetInt32(), root.GetProperty("testNames").GetInt32()).Should().Be((6400, 800, 800));
        root.GetProperty("testLoss").GetDouble().Should().BeInRange(2.3, 2.7, "one epoch of a bigram is near the counting bigram's ≈ 2.4");
        root.GetProperty("countingBigramTestLoss").GetDouble().Should().BeInRange(2.3, 2.6);
        root.GetProperty("makemoreTestLoss").GetDouble().Should().Be(2.45);
        root.GetProperty("trainLoss").GetDouble().Should().BePositive();
        root.GetProperty("devLoss").GetDouble().Should().BePositive();
        root.GetProperty("trainSeconds").GetDouble().Should().BePositive();
        root.GetProperty("samples").EnumerateArray().Select(s => s.GetString()).Should().HaveCount(7).And.OnlyContain(s => s!.All(c => c >= 'a' && c <= 'z'));
        root.GetProperty("newShare").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("epochs").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Run_SameSeed_WritesTheSameNames_AnotherSeedOthers()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("names.txt"), Names);
        string[] Samples(string json) => [.. JsonDocument.Parse(json).RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetString()!)];

        (int code1, string first, _) = await Run("--data", dir.File("names.txt"), "--model", "gru", "--epochs", "2", "--names", "30", "--report", "-");
        (int code2, string again, _) = await Run("--data", dir.File("names.txt"), "--model", "gru", "--epochs", "2", "--names", "30", "--report", "-");
        (int code3, string other, _) = await Run("--data", dir.File("names.txt"), "--model", "gru", "--epochs", "2", "--names", "30", "--report", "-", "--seed", "2");

        (code1, code2, code3).Should().Be((0, 0, 0));
        Samples(again).Should().Equal(Samples(first));
        Samples(other).Should().NotEqual(Samples(first));
    }

    [Fact]
    public async Task Save_ThenLoad_WritesWithTheSavedVocabulary_ToTheSameLosses()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("names.txt"), Names);

        (int code, string trained, string error) = await Run("--data", dir.File("names.txt"), "--model", "transformer", "--epochs", "2", "--names", "5", "--save", dir.File("m.dlnn"), "--export-onnx", dir.File("m.onnx"), "--report", "-");
        (int loadCode, string loaded, string loadError) = await Run("--data", dir.File("names.txt"), "--load", dir.File("m.dlnn"), "--names", "5", "--report", "-");

        code.Should().Be(0, error);
        loadCode.Should().Be(0, loadError);
        JsonElement a = JsonDocument.Parse(trained).RootElement, b = JsonDocument.Parse(loaded).RootElement;
        b.GetProperty("testLoss").GetDouble().Should().Be(a.GetProperty("testLoss").GetDouble());
        b.GetProperty("samples").ToString().Should().Be(a.GetProperty("samples").ToString(), "the same network, vocabulary and seed write the same names");
        CharacterVocabulary.ReadFrom(ModelFile.Load<float>(dir.File("m.dlnn"))).Characters.Should().Be("-abeilmnorvy");
    }

    [Fact]
    public async Task Load_AModelWithoutACharacterOfTheData_OneLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllLines(dir.File("names.txt"), Names);
        File.WriteAllLines(dir.File("other.txt"), [.. Names, "zoë"]);
        (await Run("--data", dir.File("names.txt"), "--model", "bigram", "--epochs", "1", "--names", "0", "--save", dir.File("m.dlnn"))).Code.Should().Be(0);

        (int code, _, string error) = await Run("--data", dir.File("other.txt"), "--load", dir.File("m.dlnn"));

        code.Should().Be(1);
        error.Should().StartWith("error: ").And.Contain("'z' (U+007A)").And.Contain("is not in the vocabulary");
        error.TrimEnd().Split('\n').Should().ContainSingle();
    }

    [Fact]
    public async Task Cache_HoldingAnotherList_IsReportedRemovedAndNotUsed()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("cache"));
        File.WriteAllLines(dir.File("cache/names.txt"), Names);

        (int code, string output, string error) = await Run("--offline", "--cache", dir.File("cache"), "--model", "bigram", "--epochs", "0", "--names", "0");

        code.Should().Be(0, error);
        Flat(output).Should().Contain("is not the list this program writes (its SHA-256 differs); removed.").And.Contain("using the embedded");
        File.Exists(dir.File("cache/names.txt")).Should().BeFalse();
    }

    /// <summary>Files that are not names: each is one error line naming the file and what is wrong, exit 1.</summary>
    public static TheoryData<string, byte[], string> BadFiles => new()
    {
        { "empty", [], "the file is empty, so it is not a names file." },
        { "blank lines", Encoding.UTF8.GetBytes("\n \n\r\n"), "0 names; at least 10 are needed" },
        { "too few", Encoding.UTF8.GetBytes("ann\nbob\n"), "2 names; at least 10 are needed" },
        { "latin-1", [.. Encoding.UTF8.GetBytes("ann\nbob\n"), 0x4A, 0xF6, 0x72, 0x67, 0x0A], "line 3: not UTF-8 text" },
        { "tab", Encoding.UTF8.GetBytes("ann\nbo\tb\n"), "line 2: holds the control character U+0009" },
        { "too long", Encoding.UTF8.GetBytes("ann\n" + new string('a', 300) + "\n"), "line 2: 300 characters long; a name has at most 256" },
        { "one character", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("aaa\n", 20))), "every name is made of the one character 'a'" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Data_NotANamesFile_OneLineNamingTheProblem(string what, byte[] bytes, string message)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("names.txt"), bytes);

        (int code, string output, string error) = await Run("--data", dir.File("names.txt"), "--epochs", "1");

        code.Should().Be(1, what);
        error.Should().StartWith($"error: {dir.File("names.txt")}").And.Contain(message);
        error.TrimEnd().Split('\n').Should().ContainSingle();
        (output + error).Should().NotContain("   at ");
    }

    [Theory]
    [InlineData(2, "--model", "lstm", "--model lstm: not a model here; one of bigram, mlp, rnn, gru, transformer.")]
    [InlineData(2, "--model", "gpt", "--model gpt: not a model here*")]
    [InlineData(2, "--temperature", "0", "--temperature 0: give a positive number.")]
    [InlineData(2, "--top-k", "0", "--top-k 0: give 1 or more.")]
    [InlineData(2, "--names", "-1", "--names -1: give 0 to 100,000.")]
    [InlineData(2, "--save", "model.txt", "--save model.txt: give a .dlnn or .safetensors file.")]
    [InlineData(2, "--layers", "embedding(V,8) dense(5)", "--layers: the network ends in 14×5; a name writer needs the 27 logits of the next character at each of the 14 positions (14×27: end with dense(V)).")]
    [InlineData(2, "--layers", "embedding(V,8) position_embedding(4) dense(V)", "--layers: *")]
    [InlineData(2, "--layers", "nonsense(3)", "--layers: *nonsense*")]
    [InlineData(2, "--epoch", "3", "*did you mean --epochs?*")]
    [InlineData(2, "--schedule", "sawtooth", "--schedule: *")]
    [InlineData(2, "--report", "/", "--report *")]
    [InlineData(1, "--data", "/no/such/names.txt", "*/no/such/names.txt*")]
    [InlineData(1, "--data", "/etc", "*/etc*")]
    [InlineData(1, "--data", "/dev/zero", "*/dev/zero*not a regular file*")]
    [InlineData(1, "--load", "/etc/hostname", "*hostname*")]
    public async Task Run_Mistake_OneErrorLine(int expected, string option, string value, string message)
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run("--offline", "--cache", dir.File("cache"), option, value);

        code.Should().Be(expected);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Match($"error: {message}");
        (output + error).Should().NotContain("   at ");
    }

    [Fact]
    public void Split_IsMakemores_ATenthForTestAndAsManyForValidation_FixedBySeed()
    {
        string[] names = [.. Enumerable.Range(0, 32_257).Select(i => $"n{i}")];

        (string[] train, string[] dev, string[] test) = NameList.Split(names, WriterOptions.SplitSeed);

        (train.Length, dev.Length, test.Length).Should().Be((30_257, 1_000, 1_000));
        train.Concat(dev).Concat(test).Order(StringComparer.Ordinal).Should().Equal(names.Order(StringComparer.Ordinal)); // BeEquivalentTo is quadratic
        NameList.Split(names, WriterOptions.SplitSeed).Test.Should().Equal(test);
        NameList.Split(names[..50], 1).Test.Should().HaveCount(5);
    }

    public static TheoryData<string> Rungs => [.. Ladder.Rungs.Select(r => r.Name)];

    /// <summary>A step as the name writer takes it — dropout on, every position scored, AdamW at a scheduled rate — allocates nothing once warm.</summary>
    [Theory]
    [MemberData(nameof(Rungs))]
    public void TrainingStep_OfEachRung_AllocatesNothingAfterTheFirstBatch(string model)
    {
        Rung rung = Ladder.Find(model)!;
        var vocabulary = new CharacterVocabulary("-abeilmnorvy");
        var builder = new NetworkBuilder<float>(FeatureShape.Sequence(8, 1), seed: 1);
        foreach (string spec in LayerRegistry.SplitSpecs(rung.LayersFor(vocabulary.Count, 8)))
        {
            builder.Add(spec);
        }

        Network<float> network = builder.Build(Loss.CrossEntropy);
        DataSet<float> data = vocabulary.NextCharacterData<float>(Names, 8);
        IOptimizer optimizer = Registries.Optimizers.Create(rung.Optimizer);
        for (int warmUp = 0; warmUp < 100; warmUp++) // past tiered compilation's re-compilations, which can allocate
        {
            network.ComputeGradients(data.Inputs, data.Targets, Loss.CrossEntropy, training: true);
            optimizer.Step(network.Parameters, rung.LearningRate * (1 + warmUp) / 100);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 10; step++)
        {
            network.ComputeGradients(data.Inputs, data.Targets, Loss.CrossEntropy, training: true);
            optimizer.Step(network.Parameters, rung.LearningRate / (1 + step));
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, rung.LayersFor(vocabulary.Count, 8));
    }

    [Fact]
    public void CountingBigram_OnAWorkedExample_IsTheHandComputedLoss()
    {
        var vocabulary = new CharacterVocabulary("ab");

        // Training "ab": counts . → a, a → b, b → . once each. Test "a": p(a | .) = (1 + 1)/(1 + 3), p(. | a) = (0 + 1)/(1 + 3).
        double loss = WriterApp.CountingBigram(vocabulary, ["ab"], ["a"]);

        loss.Should().BeApproximately(-(Math.Log(0.5) + Math.Log(0.25)) / 2, 1e-12);
    }

    /// <summary>The output with its line breaks and indents as single spaces: what was said, whatever the width wrapped.</summary>
    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await WriterApp.RunAsync(args, output, error, width: 80, progress: false);
        return (code, output.ToString(), error.ToString());
    }
}
