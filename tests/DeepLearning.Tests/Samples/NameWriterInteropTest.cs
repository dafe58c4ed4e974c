extern alias namewriter;

using System.Globalization;
using System.Text.Json;
using DeepLearning.Data;
using DeepLearning.Serialization;
using DeepLearning.Text;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using namewriter::NameWriter;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// Every rung of the name writer's ladder out to ONNX Runtime and PyTorch and back, on the shipped subset of names (8,000;
/// its test split is 800 names): the same next-character probabilities and the same test loss on every side.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class NameWriterInteropTest
{
    public static TheoryData<string> Rungs => [.. Ladder.Rungs.Select(r => r.Name)];

    private static string Subset => Path.Combine(Docs.PageCodeTest.FindRoot(), "samples", "data", "names-subset", "names.txt");

    [Theory]
    [MemberData(nameof(Rungs))]
    public async Task Onnx_OfEachRung_GivesTheSameNextCharacterProbabilities_OnTheWholeTestSplit(string model)
    {
        using var dir = new TempDirectory();
        (int code, string output) = await Run("--data", Subset, "--model", model, "--quick", "--names", "0", "--save", dir.File("m.dlnn"), "--export-onnx", dir.File("m.onnx"));
        code.Should().Be(0, output);
        Network<float> network = ModelFile.Load<float>(dir.File("m.dlnn"));
        CharacterVocabulary vocabulary = CharacterVocabulary.ReadFrom(network);
        string[] test = NameList.Split(NameList.Read(Subset), WriterOptions.SplitSeed).Test;
        int positions = network.InputShape.Positions, tokens = vocabulary.Count;
        DataSet<float> data = vocabulary.NextCharacterData<float>(test, positions);

        Tensor<float> ours = network.Predict(data.Inputs);
        using var session = new InferenceSession(dir.File("m.onnx"));
        long[] ids = new long[checked(test.Length * positions)];
        for (int i = 0; i < test.Length; i++)
        {
            for (int t = 0; t < positions; t++)
            {
                ids[(i * positions) + t] = (long)data.Inputs[i, t];
            }
        }

        using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, [test.Length, positions]))]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> onnx = results.Single(r => r.Name == "probabilities").AsTensor<float>();

        test.Length.Should().Be(800);
        onnx.Dimensions.ToArray().Should().Equal(test.Length, positions, tokens);
        double worst = 0;
        for (int i = 0; i < test.Length; i++)
        {
            for (int t = 0; t < positions; t++)
            {
                for (int v = 0; v < tokens; v++)
                {
                    worst = Math.Max(worst, Math.Abs(onnx[i, t, v] - ours[i, (v * positions) + t])); // ours: a sample's row holds token v's probabilities at positions 0..T−1 together
                }
            }
        }

        worst.Should().BeLessThanOrEqualTo(1e-4, $"{model}: the largest difference of a next-character probability over {test.Length} names");
    }

    [SkippableTheory]
    [MemberData(nameof(Rungs))]
    public async Task Safetensors_OfEachRung_LoadsIntoPyTorch_ToTheSameTestLoss(string model)
    {
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        (int code, string output) = await Run("--data", Subset, "--model", model, "--quick", "--names", "0", "--save", dir.File("m.safetensors"), "--report", dir.File("r.json"));
        code.Should().Be(0, output);
        string[] test = NameList.Split(NameList.Read(Subset), WriterOptions.SplitSeed).Test;
        File.WriteAllLines(dir.File("test.txt"), test);

        (int torchCode, string torchOutput) = PyTorch.Run("-c", """
            import sys
            sys.path.insert(0, sys.argv[4])
            import deeplearning_torch as dl
            model, metadata = dl.load(sys.argv[1])
            names = [line.strip() for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
            x, y = dl.next_character_data(names, metadata["vocabulary"], int(sys.argv[3]))
            print(repr(dl.mean_loss(model, x, y)))
            """,
            dir.File("m.safetensors"), dir.File("test.txt"), PositionsOf(dir.File("r.json")).ToString(CultureInfo.InvariantCulture), Layers.NormalizationTest.PythonHelpers);

        torchCode.Should().Be(0, torchOutput);
        double torchLoss = double.Parse(torchOutput, CultureInfo.InvariantCulture);
        torchLoss.Should().BeApproximately(Report(dir.File("r.json"), "testLoss"), 1e-4, $"{model}: PyTorch's nn.Sequential with our weights scores the test names as we do");
    }

    [SkippableFact]
    public async Task TransformerTrainedInPyTorch_EvaluatesHere_ToPyTorchsTestLoss()
    {
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        string[] all = NameList.Read(Subset);
        (string[] train, _, string[] test) = NameList.Split(all, WriterOptions.SplitSeed);
        File.WriteAllLines(dir.File("train.txt"), train);
        File.WriteAllLines(dir.File("test.txt"), test);
        CharacterVocabulary vocabulary = CharacterVocabulary.FromTexts(all);
        int positions = all.Max(n => n.Length) + 1;
        string script = Path.Combine(Docs.PageCodeTest.FindRoot(), "benchmarks", "compare-pytorch", "pytorch_names.py");

        (int torchCode, string torchOutput) = PyTorch.Run(script, "--train", dir.File("train.txt"), "--test", dir.File("test.txt"), "--characters", vocabulary.Characters,
            "--positions", positions.ToString(CultureInfo.InvariantCulture), "--steps", "150", "--save", dir.File("torch.safetensors"));
        torchCode.Should().Be(0, torchOutput);
        double torchLoss = JsonDocument.Parse(torchOutput).RootElement.GetProperty("testLoss").GetDouble();

        (int code, string output) = await Run("--data", Subset, "--load", dir.File("torch.safetensors"), "--names", "3", "--report", dir.File("r.json"));

        code.Should().Be(0, output);
        torchLoss.Should().BeLessThan(2.8, "150 steps take PyTorch's transformer well below a uniform guess, ln 27 ≈ 3.30");
        Report(dir.File("r.json"), "testLoss").Should().BeApproximately(torchLoss, 1e-4, "the PyTorch-trained weights score the test names here as in PyTorch");
    }

    private static double Report(string path, string property) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty(property).GetDouble();

    private static int PositionsOf(string report) => JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("positions").GetInt32();

    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await WriterApp.RunAsync(args, output, error, width: 120, progress: false);
        return (code, output + error.ToString());
    }
}
