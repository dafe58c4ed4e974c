using System.Text.Json;
using DeepLearning.Data;
using DeepLearning.Tests.Data;
using DigitTrainer;

namespace DeepLearning.Tests.Samples;

/// <summary>The digit trainer, run in-process as a user would run it, on small data or the embedded subset.</summary>
[Collection(EnvironmentCollection.Name)]
public class DigitTrainerTest
{
    [Theory]
    [InlineData(0.39, "0.4 s")]
    [InlineData(37.64, "37.6 s")]
    [InlineData(3725.0, "3725.0 s")]
    public void EpochClock_ShowsSecondsToOneDecimal_NotASubSecondEpochAs000000(double seconds, string shown)
        => SecondsColumn.Format(TimeSpan.FromSeconds(seconds)).Should().Be(shown);

    [Fact]
    public async Task Run_NoDataAndNoNetwork_FallsBackToEmbeddedSubsetAndReports()
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run(
            "--cache", dir.File("empty-cache"), "--mirror", "http://127.0.0.1:1/", "--epochs", "1", "--train-limit", "2000",
            "--hidden", "32", "--report", dir.File("report.json"), "--show", "1");

        code.Should().Be(0, error);
        output.Should().Contain("Full MNIST download failed (").And.Contain("using the embedded subset");
        output.Should().Contain("Confusion matrix").And.Contain("Per-digit accuracy").And.Contain("true ");
        Directory.Exists(dir.File("empty-cache")).Should().BeFalse("a failed first download leaves no empty cache folder behind");

        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(dir.File("report.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("dataSource").GetString().Should().Be("embedded");
        root.GetProperty("trainSamples").GetInt32().Should().Be(2000);
        root.GetProperty("testSamples").GetInt32().Should().Be(10000);
        root.GetProperty("backend").GetString().Should().NotBeNullOrEmpty();
        root.GetProperty("testAccuracy").GetDouble().Should().BeInRange(0.5, 1.0, "one epoch on 2,000 images is far above chance (0.1)");
        JsonElement epoch = root.GetProperty("epochs")[0];
        epoch.GetProperty("epoch").GetInt32().Should().Be(1);
        epoch.GetProperty("trainLoss").GetDouble().Should().BePositive();
        epoch.GetProperty("testAccuracy").GetDouble().Should().BeApproximately(root.GetProperty("testAccuracy").GetDouble(), 1e-12,
            "after the last epoch the final model is the one evaluated");
        epoch.GetProperty("seconds").GetDouble().Should().BePositive();
    }

    [Fact]
    public async Task Run_DataFolderGiven_TrainsOnItAndSavesPredictableModel()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 30, test: 10);

        (int code, _, string error) = await Run(
            "--data", dir.Path, "--epochs", "2", "--hidden", "8", "--save", dir.File("model.dlnn"), "--report", dir.File("r.json"),
            "--plot", dir.File("curves.png"));

        code.Should().Be(0, error);
        File.Exists(dir.File("model.dlnn")).Should().BeTrue();
        File.ReadAllBytes(dir.File("curves.png")).Take(4).Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G');
        JsonDocument.Parse(File.ReadAllText(dir.File("r.json"))).RootElement.GetProperty("dataSource").GetString().Should().Be("directory");

        (int predictCode, string prediction, string predictError) = await Run("predict", "--model", dir.File("model.dlnn"), "--index", "3", "--data", dir.Path);

        predictCode.Should().Be(0, predictError);
        prediction.Should().MatchRegex(@"Predicted digit: \d \(true label 3\)");
        prediction.Split('\n').Count(l => l.TrimStart().StartsWith("0:", StringComparison.Ordinal) || l.Contains('%')).Should().BeGreaterThanOrEqualTo(10);
    }

    [Fact]
    public async Task Run_MissingDataFolder_OneLineAndNonZeroExit()
    {
        (int code, string output, string error) = await Run("--data", "/no/such/folder", "--epochs", "1");

        code.Should().Be(1);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: --data /no/such/folder: MNIST folder '/no/such/folder' does not exist.");
        (output + error).Should().NotContain("   at ");
    }

    [Fact]
    public async Task Run_CorruptDataFolder_OneLineNamingTheFile()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, 5, 5);
        byte[] images = File.ReadAllBytes(dir.File("train-images-idx3-ubyte"));
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), images[..1000]);

        (int code, _, string error) = await Run("--data", dir.Path);

        code.Should().Be(1);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain("train-images-idx3-ubyte: truncated");
    }

    [Theory]
    [InlineData("--epochs", "-3", "--epochs '-3': expected a whole number of at least 0.")]
    [InlineData("--hidden", "300,x", "--hidden '300,x': 'x' is not a layer size*")]
    [InlineData("--activation", "swish", "--activation: unknown activation 'swish'; expected one of *.")]
    [InlineData("--layers", "dense(100,relu) dense(10", "--layers 'dense(100,relu) dense(10': its parentheses do not match; write e.g. \"dense(100,relu) dense(10)\".")]
    [InlineData("--layers", "dense(100,relu) dense(20)", "--layers 'dense(100,relu) dense(20)': the last layer gives 20 outputs; a digit classifier needs 10, one per digit (end with dense(10)).")]
    [InlineData("--layers", "dense(100,relu) dens(10)", "--layers 'dense(100,relu) dens(10)': unknown layer 'dens' (did you mean dense?); expected one of *.")]
    [InlineData("--optimizer", "adam", "--momentum: optimizer 'adam' has no parameter 'momentum'; its parameters are lr, beta1, beta2, eps.", "--momentum", "0.5")]
    [InlineData("--optimizer", "adam(0.01)", "--learning-rate: optimizer 'adam': lr is given twice.", "--learning-rate", "0.1")]
    [InlineData("--layers", "dense(10)", "--hidden describes the --hidden network; with --layers give each layer's settings in its spec, e.g. dense(100, relu, init=he_normal).", "--hidden", "30")]
    [InlineData("--optimizer", "adam(2, 3, 4, 5, 6)", "--optimizer: optimizer 'adam' takes at most 4 parameter(s) (lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8), but 5 were given.")]
    [InlineData("--learning-rate", "0", "--learning-rate '0': expected a positive number*")]
    [InlineData("--frobnicate", "1", "Unrecognized command or argument '--frobnicate' (see --help).")]
    [InlineData("--mirror", "ftp://x", "--mirror 'ftp://x' is not an http or https address.")]
    public async Task Run_BadOption_OneLineAndExitCode2(string option, string value, string message, params string[] more)
    {
        (int code, _, string error) = await Run([option, value, .. more]);

        code.Should().Be(2);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Match("error: " + message);
    }

    [Fact]
    public async Task Run_Help_ListsEveryOption()
    {
        (int code, string output, _) = await Run("--help");

        code.Should().Be(0);
        foreach (string option in new[] { "--data", "--epochs", "--hidden", "--activation", "--loss", "--learning-rate", "--batch-size", "--momentum", "--seed", "--train-limit", "--save", "--plot", "--report", "predict" })
        {
            output.Should().Contain(option);
        }
    }

    [Fact]
    public async Task Predict_CorruptModel_OneLine()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("model.dlnn"), "not a model");

        (int code, _, string error) = await Run("predict", "--model", dir.File("model.dlnn"), "--index", "0");

        code.Should().Be(1);
        error.Trim().Should().Be("error: model.dlnn: not a DeepLearning model file (it does not start with 'DLNN').");
    }

    [Fact]
    public async Task Predict_PgmImage_ClassifiesIt()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 20, test: 5);
        (await Run("--data", dir.Path, "--epochs", "1", "--hidden", "4", "--save", dir.File("m.dlnn"))).Code.Should().Be(0);
        File.WriteAllBytes(dir.File("digit.pgm"), Pgm(40, 30, (x, y) => x is > 15 and < 22 && y is > 5 and < 25 ? (byte)0 : (byte)255));

        (int code, string output, string error) = await Run("predict", "--model", dir.File("m.dlnn"), "--image", dir.File("digit.pgm"));

        code.Should().Be(0, error);
        output.Should().MatchRegex(@"Predicted digit: \d\r?\n");
    }

    [Fact]
    public async Task Predict_PngImage_DecodedScaledAndClassified()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 20, test: 5);
        (await Run("--data", dir.Path, "--epochs", "1", "--hidden", "4", "--save", dir.File("m.dlnn"))).Code.Should().Be(0);
        using (var bitmap = new SkiaSharp.SKBitmap(90, 120))
        using (var canvas = new SkiaSharp.SKCanvas(bitmap))
        using (var pen = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.Black, StrokeWidth = 12, IsAntialias = true })
        {
            canvas.Clear(SkiaSharp.SKColors.White);
            canvas.DrawLine(45, 15, 45, 105, pen); // a "1", dark ink on white paper, not 28×28
            canvas.Flush();
            using SkiaSharp.SKData png = SkiaSharp.SKImage.FromBitmap(bitmap).Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(dir.File("one.png"), png.ToArray());
        }

        (int code, string output, string error) = await Run("predict", "--model", dir.File("m.dlnn"), "--image", dir.File("one.png"));

        code.Should().Be(0, error);
        output.Should().MatchRegex(@"Predicted digit: \d\r?\n");
        output.Should().Contain("@", "the scaled, centred, inverted digit is drawn in the terminal");
    }

    [Fact]
    public async Task Predict_NotAnImage_OneLine()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 20, test: 5);
        (await Run("--data", dir.Path, "--epochs", "1", "--hidden", "4", "--save", dir.File("m.dlnn"))).Code.Should().Be(0);
        File.WriteAllText(dir.File("notes.png"), "not a picture");

        (int code, _, string error) = await Run("predict", "--model", dir.File("m.dlnn"), "--image", dir.File("notes.png"));

        code.Should().Be(1);
        error.Trim().Should().Be("error: notes.png: not an image this program can read (PNG, JPEG, BMP, GIF, WebP or PGM).");
    }

    internal static byte[] Pgm(int width, int height, Func<int, int, byte> pixel)
    {
        var header = System.Text.Encoding.ASCII.GetBytes($"P5\n# test\n{width} {height}\n255\n");
        var body = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                body[(y * width) + x] = pixel(x, y);
            }
        }

        return [.. header, .. body];
    }

    [Fact]
    public async Task Run_SaveSafeTensorsAndExportOnnx_ThenEvaluateBoth()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 40, test: 10);

        (int code, string output, string error) = await Run(
            "--data", dir.Path, "--epochs", "1", "--hidden", "8", "--save", dir.File("m.safetensors"), "--export-onnx", dir.File("m.onnx"), "--show", "0");

        code.Should().Be(0, error);
        output.Replace("\n  ", " ", StringComparison.Ordinal).Should().Contain($"Model saved to {dir.File("m.safetensors")}").And.Contain($"ONNX model written to {dir.File("m.onnx")}"); // wrapped at 80 columns
        File.ReadAllBytes(dir.File("m.onnx")).Length.Should().BeGreaterThan(784 * 8 * 4);

        (int evaluateCode, string evaluation, string evaluateError) = await Run("evaluate", "--model", dir.File("m.safetensors"), "--data", dir.Path, "--report", dir.File("e.json"));

        evaluateCode.Should().Be(0, evaluateError);
        evaluation.Should().MatchRegex(@"Test accuracy: \d+\.\d\d% \(\d+ of 10 wrong\)");
        JsonDocument.Parse(File.ReadAllText(dir.File("e.json"))).RootElement.GetProperty("testAccuracy").GetDouble().Should().BeInRange(0, 1);
    }

    [Fact]
    public async Task Evaluate_SafeTensorsWithoutMetadata_TakesTheArchitectureFromTheOptions()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 20, test: 10);
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(16, Activation.Tanh).Dense(10).Build();
        DeepLearning.Serialization.SafeTensors.Save(network, dir.File("with.safetensors"));
        byte[] bytes = File.ReadAllBytes(dir.File("with.safetensors"));
        int headerLength = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(8, headerLength))!.AsObject();
        header.Remove("__metadata__"); // as PyTorch would write it
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString().PadRight(headerLength));
        File.WriteAllBytes(dir.File("torch.safetensors"), [.. bytes[..8], .. json, .. bytes[(8 + headerLength)..]]);

        (int wrong, _, string wrongError) = await Run("evaluate", "--model", dir.File("torch.safetensors"), "--data", dir.Path, "--hidden", "30");
        (int right, string output, string error) = await Run("evaluate", "--model", dir.File("torch.safetensors"), "--data", dir.Path, "--hidden", "16", "--activation", "tanh");

        wrong.Should().Be(1);
        wrongError.Trim().Should().Be("error: torch.safetensors: tensor '0.weight' has shape [16, 784], expected [30, 784] (PyTorch's layout, [out, in] for a Linear weight).");
        right.Should().Be(0, error);
        output.Should().Contain("Network<Single> 1×28×28→16→10");
    }

    [Fact]
    public async Task Run_EveryLineFitsEightyColumns_GalleryWrapsByWholeDigits()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 30, test: 10);
        string longPath = dir.File(new string('x', 60));
        Directory.CreateDirectory(longPath);

        (int code, string output, string error) = await Run("--data", dir.Path, "--epochs", "20", "--hidden", "8", "--show", "5", "--cache", Path.Combine(longPath, "cache"));

        code.Should().Be(0, error);
        string[] lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        lines.Should().OnlyContain(l => l.Length <= 80, "the trainer writes for an 80-column terminal when it knows no other width");
        lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)).Should().Be(20);
        lines.Where(l => l.StartsWith('|')).Should().OnlyContain(l => l.Length == 30 || l.Length == 61, "one or two whole 30-column digits per row");
        output.Should().Contain("20 epochs").And.NotContain("Network<Single>");
    }

    [Fact]
    public async Task Layers_ConvolutionalNetwork_TrainsInEightyColumns_SavedModelsEvaluateAndPredictAlike()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 40, test: 10);
        const string Cnn = "conv2d(4,5,relu) maxpool2d(2) conv2d(6,3,relu,padding=1) maxpool2d(2) dense(16,relu) dense(10)";

        (int code, string output, string error) = await Run(
            "--data", dir.Path, "--layers", Cnn, "--epochs", "2", "--batch-size", "10", "--save", dir.File("cnn.dlnn"),
            "--export-onnx", dir.File("cnn.onnx"), "--report", dir.File("r.json"), "--show", "2");

        code.Should().Be(0, error);
        output.Split('\n').Select(l => l.TrimEnd('\r')).Should().OnlyContain(l => l.Length <= 80);
        output.Replace("\n  ", " ", StringComparison.Ordinal).Should().Contain("1×28×28→4×24×24→4×12×12→6×12×12→6×6×6→16→10, 3,968 parameters");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        report.RootElement.GetProperty("layers").EnumerateArray().Select(e => e.GetString()).Should().Equal(Cnn.Split(' '));
        double trained = report.RootElement.GetProperty("testAccuracy").GetDouble();

        (int saveCode, _, string saveError) = await Run("--data", dir.Path, "--layers", Cnn, "--epochs", "2", "--batch-size", "10", "--save", dir.File("cnn.safetensors"), "--show", "0");
        saveCode.Should().Be(0, saveError);
        foreach (string model in new[] { "cnn.dlnn", "cnn.safetensors" })
        {
            (int evaluateCode, string evaluation, string evaluateError) = await Run("evaluate", "--model", dir.File(model), "--data", dir.Path, "--report", dir.File("e.json"));
            evaluateCode.Should().Be(0, evaluateError);
            using JsonDocument evaluated = JsonDocument.Parse(File.ReadAllText(dir.File("e.json")));
            evaluated.RootElement.GetProperty("testAccuracy").GetDouble().Should().Be(trained, $"{model} is the network trained with the same seed: {evaluation}");

            (int predictCode, string prediction, string predictError) = await Run("predict", "--model", dir.File(model), "--index", "3", "--data", dir.Path);
            predictCode.Should().Be(0, predictError);
            prediction.Should().MatchRegex(@"Predicted digit: \d \(true label 3\)");
        }
    }

    [Fact]
    public async Task Layers_ShapesThatDoNotChain_OneLineNamingTheLayerAndShape()
    {
        using var dir = new TempDirectory();
        MnistTest.WriteSmallMnist(dir.Path, train: 20, test: 5);

        (int code, string output, string error) = await Run("--data", dir.Path, "--layers", "conv2d(4,5) maxpool2d(2) conv2d(8,13) dense(10)");

        code.Should().Be(2);
        output.Should().BeEmpty("nothing is loaded or trained");
        error.Trim().Should().StartWith("error: --layers 'conv2d(4,5) maxpool2d(2) conv2d(8,13) dense(10)': ").And.Contain("4×12×12").And.Contain("13");
        error.Trim().Split('\n').Should().ContainSingle();
    }

    [Fact]
    public async Task Resume_TwoEpochsSavedThenFourInAll_SameTestAccuracyAndLossAsFourStraight()
    {
        using var dir = new TempDirectory();
        string[] run = ["--offline", "--cache", dir.File("none"), "--train-limit", "1500", "--show", "0", "--layers", "dense(64) batch_norm relu dropout(0.2) dense(10)", "--optimizer", "adamw(lr=0.003, weight_decay=0.01)", "--schedule", "warmup(30)", "--clip", "1.0"];

        (int straightCode, string straight, string straightError) = await Run([.. run, "--epochs", "4", "--report", dir.File("straight.json"), "--save", dir.File("straight.dlnn")]);
        (int halfCode, _, string halfError) = await Run([.. run, "--epochs", "2", "--save", dir.File("half.dlnn")]);
        (int code, string output, string error) = await Run("--offline", "--cache", dir.File("none"), "--show", "0", "--resume", dir.File("half.dlnn"), "--epochs", "4", "--report", dir.File("resumed.json"), "--save", dir.File("resumed.dlnn"));

        (straightCode, halfCode, code).Should().Be((0, 0, 0), straightError + halfError + error);
        output.Should().Contain("resuming after epoch 2 of").And.Contain("epoch 3/4").And.NotContain("epoch 1/4");
        JsonElement a = JsonDocument.Parse(File.ReadAllText(dir.File("straight.json"))).RootElement, b = JsonDocument.Parse(File.ReadAllText(dir.File("resumed.json"))).RootElement;
        b.GetProperty("testAccuracy").GetDouble().Should().Be(a.GetProperty("testAccuracy").GetDouble());
        b.GetProperty("testLoss").GetDouble().Should().Be(a.GetProperty("testLoss").GetDouble());
        File.ReadAllBytes(dir.File("resumed.dlnn")).Should().Equal(File.ReadAllBytes(dir.File("straight.dlnn")), "the same network, optimizer state and progress, byte for byte");
        straight.ReplaceLineEndings(" ").Should().Contain("schedule warmup(30),").And.Contain("norm(1)");
    }

    [Theory]
    [InlineData("--batch-size", "32", "--resume takes the run's network and settings from *; --batch-size would change them*")]
    [InlineData("--layers", "dense(10)", "*--layers would change them*")]
    [InlineData("--epochs", "2", "*the run already has 2 epochs; --epochs counts the whole run, so give more than 2.")]
    [InlineData("--double", null, "*the run computed in float; leave out --double*")]
    public async Task Resume_SettingsThatWouldChangeTheRun_OneLine(string option, string? value, string message)
    {
        using var dir = new TempDirectory();
        (int first, _, string firstError) = await Run("--offline", "--cache", dir.File("none"), "--train-limit", "300", "--epochs", "2", "--hidden", "8", "--show", "0", "--save", dir.File("run.dlnn"));
        first.Should().Be(0, firstError);

        string[] epochs = option == "--epochs" ? [] : ["--epochs", "3"];
        (int code, _, string error) = await Run(["--offline", "--cache", dir.File("none"), "--resume", dir.File("run.dlnn"), .. epochs, .. value is null ? [option] : new[] { option, value }]);

        code.Should().BeOneOf(1, 2);
        error.Trim().Split('\n').Should().ContainSingle().Which.Should().Match("error: " + message);
    }

    [Fact]
    public async Task Resume_ModelWithoutACheckpoint_OneLine()
    {
        using var dir = new TempDirectory();
        (int first, _, string firstError) = await Run("--offline", "--cache", dir.File("none"), "--train-limit", "300", "--epochs", "1", "--hidden", "8", "--show", "0", "--save", dir.File("model.safetensors"));
        first.Should().Be(0, firstError);

        (int code, _, string error) = await Run("--offline", "--cache", dir.File("none"), "--resume", dir.File("model.safetensors"), "--epochs", "3");

        code.Should().Be(1);
        error.Trim().Should().StartWith("error: model.safetensors: not a DeepLearning model file");
    }

    [Fact]
    public async Task NormalizedAndResidualNetworks_TrainSaveAndEvaluate_ToTheTrainedAccuracy_AlsoInOnnxRuntime()
    {
        // The issue's forms: batch_norm and layer_norm with an activation's name alone as a layer; a residual block.
        using var dir = new TempDirectory();
        foreach ((string layers, string name) in new[]
        {
            ("conv2d(20,5) batch_norm relu maxpool2d(2) conv2d(40,5) batch_norm relu maxpool2d(2) dense(100) layer_norm relu dense(10)", "cnn"),
            ("dense(128,relu) residual(dense(128,relu) dense(128)) relu dense(10)", "resnet"),
        })
        {
            (int code, _, string error) = await Run(
                "--offline", "--cache", dir.File("none"), "--train-limit", "600", "--epochs", "1", "--show", "0", "--layers", layers,
                "--report", dir.File($"{name}.json"), "--save", dir.File($"{name}.dlnn"), "--export-onnx", dir.File($"{name}.onnx"));
            code.Should().Be(0, error);
            double trained = JsonDocument.Parse(File.ReadAllText(dir.File($"{name}.json"))).RootElement.GetProperty("testAccuracy").GetDouble();

            (int evaluateCode, _, string evaluateError) = await Run("evaluate", "--model", dir.File($"{name}.dlnn"), "--offline", "--cache", dir.File("none"), "--report", dir.File($"{name}-evaluated.json"));
            evaluateCode.Should().Be(0, evaluateError);
            JsonDocument.Parse(File.ReadAllText(dir.File($"{name}-evaluated.json"))).RootElement.GetProperty("testAccuracy").GetDouble().Should().Be(trained, $"{name}: the saved network, running averages included, is the trained one");

            MnistData<float> mnist = Mnist.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset"));
            float[,] onnx = Serialization.OnnxExportTest.RunOnnx(dir.File($"{name}.onnx"), mnist.Test.Inputs);
            int correct = Enumerable.Range(0, mnist.Test.Count).Count(i => Enumerable.Range(0, 10).MaxBy(j => onnx[i, j]) == mnist.Test.Labels![i]);
            ((double)correct / mnist.Test.Count).Should().BeApproximately(trained, 0.0005, $"{name} in ONNX Runtime");
        }
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await TrainerApp.RunAsync(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }
}
