using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using DeepLearning.Data;
using DeepLearning.Losses;
using DeepLearning.Serialization;
using DeepLearning.Tests.Data;
using DigitTrainer;
using Samples.Common;
using SkiaSharp;

namespace DeepLearning.Tests.Samples;

/// <summary>The trainer as a hostile user meets it: one line, the right exit code, no stack trace, no stray file.</summary>
[Collection(EnvironmentCollection.Name)]
public class DigitTrainerHostileTest
{
    [Theory]
    [InlineData("5478275", "layer 'dense(5478275, relu)' after 1×28×28: The weight matrix of Dense(784→5478275) would be 784×5,478,275 = 4,294,967,600 elements")]
    [InlineData("100000000", "layer 'dense(100000000, relu)' after 1×28×28: The weight matrix of Dense(784→100000000) would be 784×100,000,000")]
    [InlineData("100,2147483647", "layer 'dense(2147483647, relu)' after 100: The weight matrix of Dense(100→2147483647) would be 100×2,147,483,647")]
    public async Task Run_WeightMatrixOverTheArrayLimit_OneLineExit2(string hidden, string expected)
    {
        (int code, string output, string error) = await Run("--hidden", hidden, "--offline", "--epochs", "1");

        code.Should().Be(2);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith($"error: --hidden {hidden}: {expected}");
        output.Should().BeEmpty("nothing is loaded or trained");
    }

    [Fact]
    public async Task Run_UnknownLayerAfter9000ValidOnes_QuotesAnExcerpt_NotTheWholeValue()
    {
        string layers = string.Join(' ', Enumerable.Repeat("relu", 9_000)) + " bogus(3) dense(10)";

        (int code, _, string error) = await Run("--layers", layers, "--offline", "--epochs", "1");

        code.Should().NotBe(0);
        string line = error.TrimEnd().Split('\n').Should().ContainSingle().Subject;
        line.Length.Should().BeLessThan(ErrorText.LongestLine + 100, "a 45,018-character value is not quoted whole");
        line.Should().StartWith("error: --layers 'relu relu").And.Contain(" … ").And.Contain("bogus(3) dense(10) (45,018 characters)'")
            .And.Contain("unknown layer 'bogus'");
    }

    [Theory]
    [InlineData(100, 100)]
    [InlineData(100_000, 1_000)]
    public void ErrorText_LongQuotesAndLines_AreCutToAnExcerptWithTheirLength(int length, int longest)
    {
        string value = new string('a', length / 2) + new string('z', length - (length / 2));

        string quoted = ErrorText.OneLine($"--x '{value}' is wrong");
        string bare = ErrorText.OneLine(value);

        quoted.Should().Contain(length > ErrorText.LongestQuote ? $"z ({length:N0} characters)' is wrong" : $"'{value}' is wrong");
        bare.Length.Should().BeLessThanOrEqualTo(longest + 40);
        ErrorText.OneLine("two\nlines\u0007").Should().Be("two lines?");
    }

    [Fact]
    public void MemoryCheck_NetworkLargerThanMemory_SaysHowMuchItNeeds()
    {
        var options = new TrainerOptions { Hidden = [1_000_000] };

        Action act = () => MemoryCheck.Check(options, 60_000, 10_000, availableBytes: 4_000_000_000);

        // Its buffers for batches of 64, 32 (the last of 60,000), 1,024 and 784 (the last of 10,000): 1,904 rows of a million neurons.
        act.Should().Throw<UsageException>().WithMessage("--hidden 1000000: this network (795,000,010 parameters) needs about 4?.? GB of memory to train, but only 4.0 GB is available; use fewer neurons.");
    }

    [Fact]
    public void MemoryCheck_ConvolutionWhoseBuffersDoNotFit_SaysHowMuchItNeeds()
    {
        // 4,096 filters on 24×24 positions: few parameters, but each image of a batch keeps millions of values.
        var options = new TrainerOptions { Layers = ["conv2d(4096,5,relu)", "dense(10)"] };

        Action act = () => MemoryCheck.Check(options, 60_000, 10_000, availableBytes: 4_000_000_000);

        act.Should().Throw<UsageException>().WithMessage("--layers 'conv2d(4096,5,relu) dense(10)': this network (23,699,466 parameters) needs about * GB of memory to train, but only 4.0 GB is available; use fewer or smaller layers.");
        MemoryCheck.Estimate(new TrainerOptions { Layers = ["conv2d(20,5,relu)", "maxpool2d(2)", "conv2d(40,5,relu)", "maxpool2d(2)", "dense(100,relu)", "dense(10)"] }, 60_000, 10_000, out long parameters)
            .Should().BeLessThan(2_000_000_000, "Nielsen's two-convolution network trains on a small machine");
        parameters.Should().Be(85_670);
    }

    [Fact]
    public void MemoryCheck_CountsTheLastPartialBatchesBuffers()
    {
        var options = new TrainerOptions { Layers = ["dense(1000)", "dense(10)"], BatchSize = 100 };

        long even = MemoryCheck.Estimate(options, 60_000, 10_240, out _), partial = MemoryCheck.Estimate(options, 60_050, 10_240, out _);
        long evenTest = MemoryCheck.Estimate(options, 60_000, 10_000, out _);

        long perRow = Registries.Layers.PlanList("dense(1000) dense(10)", FeatureShape.Flat(784)).ValuesPerSample * sizeof(float);
        (partial - even).Should().Be((50 * perRow) + (50 * 2 * 794 * sizeof(float)), "a batch of 50 keeps its own buffers, beside 50 more images and their shuffled copy");
        (evenTest - even).Should().Be((784 * perRow) - (240 * 794 * sizeof(float)), "the test set's last 784 rows keep their own buffers; 240 fewer test images");
    }

    [Fact]
    public async Task Evaluate_ASmallFileWhoseBuffersDoNotFit_RefusedBeforeItRuns()
    {
        // 1,000 max-poolings of 1×1: 96 KB on disk, no parameters to speak of, gigabytes of buffers for 1,024 images.
        using var dir = new TempDirectory();
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1);
        for (int i = 0; i < 1000; i++)
        {
            builder.Add("maxpool2d(1)");
        }

        ModelFile.Save(builder.Add("dense(10)").Build(), dir.File("deep.dlnn"));

        (int code, string output, string error) = SampleProcess.Run("DigitTrainer", ["evaluate", "--model", dir.File("deep.dlnn"), "--offline"], environment: new() { ["DOTNET_GCHeapHardLimit"] = "0x40000000" });

        code.Should().Be(1, output);
        error.TrimEnd().Should().MatchRegex(@"^error: .*deep\.dlnn: its network \(1,001 layers, 7,850 parameters\) needs about 9\.\d GB of buffers to read 1,024 images at a time, but only 1\.\d GB is available\.$");
    }

    [Fact]
    public async Task Evaluate_ASmallFileWhoseConvolutionCannotTakeABatch_OneLine_ButPredictReadsOneImage()
    {
        // A 1×1 filter padded by 1,000: 2028×2028 positions a sample, pooled to one value — a file of a few hundred bytes.
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1).Add("conv2d(1,1,padding=1000)").Add("maxpool2d(2028)").Add("dense(10)").Build();
        ModelFile.Save(network, dir.File("wide.dlnn"));

        Dictionary<string, string> twoGigabytes = new() { ["DOTNET_GCHeapHardLimit"] = "0x80000000" }; // the same on any machine
        (int code, string output, string error) = SampleProcess.Run("DigitTrainer", ["evaluate", "--model", dir.File("wide.dlnn"), "--offline"], environment: twoGigabytes);
        (int predictCode, string predicted, string predictError) = SampleProcess.Run("DigitTrainer", ["predict", "--model", dir.File("wide.dlnn"), "--index", "0", "--offline"], environment: twoGigabytes);

        new FileInfo(dir.File("wide.dlnn")).Length.Should().BeLessThan(1000);
        code.Should().Be(1, output);
        error.TrimEnd().Should().MatchRegex(@"^error: .*wide\.dlnn: its network \(3 layers, 22 parameters\) needs about \d+\.\d GB of buffers to read 1,024 images at a time, but only .* is available\.$");
        predictCode.Should().Be(0, predictError);
        predicted.Should().Contain("Predicted digit:");
    }

    [Fact]
    public void MemoryCheck_DefaultNetwork_Fits()
    {
        long bytes = MemoryCheck.Estimate(new TrainerOptions(), 60_000, 10_000, out long parameters);

        parameters.Should().Be((784 * 800) + 800 + (800 * 10) + 10);
        bytes.Should().BeInRange(400_000_000, 1_000_000_000, "weights are small; the data and its shuffled copy dominate (70,000 × 794 floats × 2)");
    }

    [Fact]
    public async Task Run_UnwritableSave_FailsBeforeTrainingNamingTheUsersPath()
    {
        (int code, string output, string error) = await Run("--save", "/proc/x.dlnn", "--offline", "--epochs", "1");

        code.Should().Be(2);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: --save /proc/x.dlnn: cannot write the file (").And.NotContain(".tmp");
        output.Should().NotContain("epoch");
    }

    [Fact]
    public async Task Run_HugeLearningRate_StopsWithOneLineAndExit1()
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run(
            "--learning-rate", "1000", "--offline", "--cache", dir.File("none"), "--train-limit", "2000", "--hidden", "32", "--epochs", "3");

        code.Should().Be(1, output);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().MatchRegex(
            @"^error: Training diverged in epoch 1: the mean training loss .* is more than 3× the untrained network's .*; try a smaller learning rate than 1000 \(for example 100\)\.$");
    }

    [Fact]
    public async Task Predict_ModelWithNaNWeights_OneLineExit1()
    {
        using var dir = new TempDirectory();
        float[] values = new float[784 * 10];
        values[5] = float.NaN; // W[0, 5]
        File.WriteAllBytes(dir.File("m.dlnn"), Serialization.ModelFileHostileTest.WithChecksum(Serialization.ModelFileHostileTest.Payload(784, 10, "softmax", values)));

        (int code, string output, string error) = await Run("predict", "--model", dir.File("m.dlnn"), "--index", "0");

        code.Should().Be(1);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain("m.dlnn: layer 1's Dense(784→10).Weights[0, 5]").And.Contain("is NaN");
        output.Should().NotContain("Predicted");
    }

    [Fact]
    public async Task Predict_HugePngHeader_RefusedBeforeDecoding()
    {
        using var dir = new TempDirectory();
        string model = SaveDigitModel(dir);
        File.WriteAllBytes(dir.File("big.png"), PngHeaderOnly(20000, 20000));

        (int code, _, string error) = await Run("predict", "--model", model, "--image", dir.File("big.png"));

        code.Should().Be(1);
        error.TrimEnd().Should().Be("error: big.png: the image is 20,000×20,000 pixels; this program reads images of 1 to 40,000,000 pixels. Crop or shrink it around the digit.");
    }

    [Fact]
    public async Task Predict_TruncatedPng_SaysTruncated()
    {
        using var dir = new TempDirectory();
        string model = SaveDigitModel(dir);
        using var bitmap = new SKBitmap(200, 200);
        var random = new Random(1);
        for (int y = 0; y < 200; y++)
        {
            for (int x = 0; x < 200; x++)
            {
                byte v = (byte)random.Next(256);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        byte[] bytes = png.ToArray();
        File.WriteAllBytes(dir.File("cut.png"), bytes[..(bytes.Length / 2)]);

        (int code, _, string error) = await Run("predict", "--model", model, "--image", dir.File("cut.png"));

        code.Should().Be(1);
        error.TrimEnd().Should().Be("error: cut.png: the image is truncated (its data ends before its last row).");
    }

    [Fact]
    public void LoadGrey_SeededMutationsOfPngAndPgm_OnlyInvalidDataExceptionEscapes()
    {
        using var dir = new TempDirectory();
        using var bitmap = new SKBitmap(16, 16);
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        byte[] pgm = [.. Encoding.ASCII.GetBytes("P5\n16 16\n255\n"), .. new byte[256]];
        foreach ((string name, byte[] original) in new[] { ("png", png.ToArray()), ("pgm", pgm) })
        {
            var random = new Random(name.Length);
            for (int trial = 0; trial < 300; trial++)
            {
                string path = dir.File($"{name}{trial}");
                File.WriteAllBytes(path, Serialization.ModelFileHostileTest.Mutate(original, random, trial));
                try
                {
                    DigitImage.LoadGrey(path);
                }
                catch (InvalidDataException e)
                {
                    e.Message.Should().StartWith($"{name}{trial}:").And.NotContain("\n");
                }
            }
        }
    }

    [Fact]
    public async Task Run_ForeignFilesInTheCache_AreReportedRemovedAndNotTrainedOn()
    {
        using var dir = new TempDirectory();
        string cache = dir.File("cache");
        Directory.CreateDirectory(cache);
        MnistTest.WriteSmallMnist(cache, 20, 10); // well-formed IDX files, but not MNIST: their MD5s do not match

        (int code, string output, string error) = await Run("--cache", cache, "--offline", "--train-limit", "500", "--hidden", "16", "--epochs", "1", "--show", "0");

        code.Should().Be(0, error);
        output.Replace("\n  ", " ", StringComparison.Ordinal).Should().Contain($"warning: MNIST cache {cache}: train-images-idx3-ubyte removed: MD5 "); // wrapped at 80 columns
        output.Should().Contain("using the embedded subset");
        Directory.GetFiles(cache).Should().BeEmpty();
    }

    [Fact]
    public async Task Run_CacheGivenIsAFile_OneLineExit2()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("cache"), "x");

        (int code, _, string error) = await Run("--cache", dir.File("cache"), "--offline", "--epochs", "1");

        code.Should().Be(2);
        error.TrimEnd().Should().Be($"error: --cache {dir.File("cache")}: is a file, not a folder.");
    }

    public static TheoryData<string> OutputOptions => new() { "--save", "--export-onnx", "--plot", "--report" };

    [Theory]
    [MemberData(nameof(OutputOptions))]
    public async Task Run_OutputIsASpecialFileOrALink_RefusedBeforeTrainingAndLeftAsItWas(string option)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("real"), "original");
        File.CreateSymbolicLink(dir.File("link"), dir.File("real"));
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [dir.File("fifo")])!)
        {
            mkfifo.WaitForExit();
        }

        foreach ((string path, string why) in new[] { ("/dev/stdout", "symbolic link"), ("/dev/null", "not a regular file"), (dir.File("fifo"), "not a regular file"), (dir.File("link"), "symbolic link"), (dir.File("real") + "/", "folder separator") })
        {
            (int code, string output, string error) = await Run(option, path, "--offline", "--cache", dir.File("none"), "--epochs", "1");

            code.Should().Be(2, path);
            error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith($"error: {option} {path}: cannot write the file (").And.Contain(why);
            output.Should().BeEmpty("nothing was loaded or trained");
        }

        File.ReadAllText(dir.File("real")).Should().Be("original");
        new FileInfo(dir.File("link")).LinkTarget.Should().Be(dir.File("real"));
        Directory.GetFileSystemEntries(dir.Path).Should().BeEquivalentTo([dir.File("real"), dir.File("link"), dir.File("fifo")]);
    }

    [Theory]
    [InlineData("--save")]
    [InlineData("--export-onnx")]
    [InlineData("--plot")]
    [InlineData("--report")]
    [InlineData("--data")]
    [InlineData("--cache")]
    [InlineData("evaluate", "--model")]
    [InlineData("predict", "--model")]
    [InlineData("predict", "--image")]
    public async Task Run_EmptyPath_OneLineExit2(params string[] args)
    {
        (int code, string output, string error) = await Run([.. args, "", "--epochs", "1"]);

        code.Should().Be(2);
        error.TrimEnd().Should().Be($"error: {args[^1]} needs a path; '' is empty.");
        output.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--save", "--epochs")]
    [InlineData("--save", "--epochs", "1")]
    [InlineData("--report", "--plot", "p.png")]
    [InlineData("--data", "--offline")]
    [InlineData("--model", "--index", "3")]
    public async Task Run_PathValueForgotten_SaysItLooksLikeAnOption(string option, params string[] rest)
    {
        (int code, _, string error) = await Run([option, .. rest]);

        code.Should().Be(2);
        error.TrimEnd().Should().Be($"error: {option} '{rest[0]}': looks like an option, not a path (was {option}'s value forgotten?); write ./{rest[0]} for a file of that name.");
    }

    [Theory]
    [InlineData("--save", "same.bin", "--export-onnx", "same.bin")]
    [InlineData("--save", "x.json", "--report", "./x.json")]
    [InlineData("--plot", "p.png", "--report", "sub/../p.png")]
    public async Task Run_TwoOutputsNameOneFile_RefusedBeforeTraining(string first, string path, string second, string samePath)
    {
        (int code, string output, string error) = await Run(first, path, second, samePath, "--offline", "--epochs", "1");

        code.Should().Be(2);
        error.TrimEnd().Should().Be($"error: {first} and {second} both name '{samePath}'; give each its own file.");
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task Evaluate_ReportSameAsTheModel_Refused()
    {
        (int code, _, string error) = await Run("evaluate", "--model", "m.dlnn", "--report", "m.dlnn");

        code.Should().Be(2);
        error.TrimEnd().Should().Be("error: --model and --report both name 'm.dlnn'; give each its own file.");
    }

    [Theory]
    [InlineData("evaluate", "--layers", "dense(100,relu) dense(10)")]
    [InlineData("predict", "--hidden", "30")]
    [InlineData("evaluate", "--activation", "tanh")]
    public async Task ModelThatCarriesItsNetwork_AnOptionDescribingAnotherNetwork_RefusedInOneLine(string mode, string option, string value)
    {
        using var dir = new TempDirectory();
        string model = SaveDigitModel(dir);
        string[] extra = mode == "predict" ? ["--index", "0"] : [];

        (int code, string output, string error) = await Run([mode, "--model", model, option, value, "--offline", .. extra]);

        code.Should().Be(2, output);
        error.TrimEnd().Should().StartWith($"error: {option}: '").And.Contain("digits.dlnn' carries its own network (dense); ")
            .And.EndWith($"; {option} describes the network only for a PyTorch safetensors file, which carries none.");
        error.TrimEnd().Should().NotContain("\n");
    }

    [Theory]
    [InlineData("evaluate")]
    [InlineData("predict")]
    public async Task ModelThatCarriesItsLoss_AnotherLoss_RefusedInOneLine(string mode)
    {
        using var dir = new TempDirectory();
        string model = SaveDigitModel(dir, Loss.CrossEntropy);
        string[] extra = mode == "predict" ? ["--index", "0"] : [];

        (int code, string output, string error) = await Run([mode, "--model", model, "--loss", "quadratic", "--offline", .. extra]);

        code.Should().Be(2, output);
        error.TrimEnd().Should().StartWith("error: --loss: '").And.Contain("digits.dlnn' carries its own loss (cross_entropy); ")
            .And.EndWith("--loss names the loss only for a file that stores none (a PyTorch safetensors file, a model file of format 2).");
        error.TrimEnd().Should().NotContain("\n");
    }

    [Fact]
    public async Task ModelThatCarriesItsLoss_TheSameLossGiven_Accepted()
    {
        using var dir = new TempDirectory();
        string model = SaveDigitModel(dir, Loss.CrossEntropy);

        (int code, string output, string error) = await Run("predict", "--model", model, "--loss", "cross-entropy", "--index", "0", "--offline");

        code.Should().Be(0, error);
        output.Should().NotBeEmpty();
    }

    [Fact]
    public async Task Evaluate_UnwritableReport_RefusedBeforeTheModelIsRead()
    {
        using var dir = new TempDirectory();
        string model = SaveDigitModel(dir);

        (int code, string output, string error) = await Run("evaluate", "--model", model, "--report", "/proc/r.json", "--offline");

        code.Should().Be(2);
        error.TrimEnd().Should().StartWith("error: --report /proc/r.json: cannot write the file (");
        output.Should().BeEmpty();
    }

    [Fact]
    public async Task Run_ReportToStandardOutput_JsonAloneThereTheRestOnStandardError()
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run("--report", "-", "--offline", "--cache", dir.File("none"), "--train-limit", "300", "--hidden", "8", "--epochs", "1", "--show", "0");

        code.Should().Be(0, error);
        using var json = System.Text.Json.JsonDocument.Parse(output);
        json.RootElement.GetProperty("trainSamples").GetInt32().Should().Be(300);
        error.Should().Contain("Test accuracy:");
        Directory.GetFileSystemEntries(dir.Path).Should().BeEmpty("no file named '-' was written");
    }

    [Theory]
    [InlineData("gaussian(0,1e300)", "--init gaussian(0,1e300): the initial Dense(784→800).Weights holds ∞ in float")]
    [InlineData("gaussian(1e39,1)", "--init gaussian(1e39,1): the initial Dense(784→800).Weights holds")]
    public async Task Run_InitializerBeyondFloat_RefusedBeforeTrainingNotAfter(string init, string expected)
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run("--init", init, "--offline", "--cache", dir.File("none"), "--epochs", "0", "--save", dir.File("m.dlnn"));

        code.Should().Be(2);
        error.TrimEnd().Should().StartWith($"error: {expected.Replace("∞", "Infinity", StringComparison.Ordinal)}").And.NotContain("\n");
        output.Should().NotContain("Test accuracy");
        File.Exists(dir.File("m.dlnn")).Should().BeFalse();
    }

    [Fact]
    public async Task Run_MoreLayersThanAModelFileHolds_RefusedWhenSaving_TrainedOtherwise()
    {
        string hidden = string.Join(',', Enumerable.Repeat("2", ModelFile.MaxLayers));

        (int code, string output, string error) = await Run("--hidden", hidden, "--save", "big.dlnn", "--offline", "--epochs", "1");

        code.Should().Be(2);
        error.TrimEnd().Should().EndWith("10,001 layers; a saved model holds at most 10,000, so --save would write a file no one can read back.");
        output.Should().BeEmpty();
    }

    [Theory]
    [InlineData("--batch-size", "2147483647")]
    [InlineData("--batch-size", "1000000000")]
    [InlineData("--train-limit", "100000000")]
    [InlineData("--train-limit", "2147483647")]
    public async Task Run_CountsBeyondTheData_TrainOnWhatThereIs(string option, string value)
    {
        using var dir = new TempDirectory();
        string[] limit = option == "--train-limit" ? [] : ["--train-limit", "200"];
        long before = GC.GetTotalAllocatedBytes(precise: true);

        (int code, string output, string error) = await Run([option, value, .. limit, "--offline", "--cache", dir.File("none"), "--hidden", "8", "--epochs", "1", "--show", "0"]);

        code.Should().Be(0, error);
        output.Should().Contain("Test accuracy:");
        (GC.GetTotalAllocatedBytes(precise: true) - before).Should().BeLessThan(1_500_000_000, "nothing is sized by the batch size or the limit, only by the data");
    }

    [Fact]
    public async Task Run_SameCommandTwice_SameNumbersBitForBit_AndTheBackendSaid()
    {
        using var dir = new TempDirectory();
        string[] args = ["--offline", "--cache", dir.File("none"), "--train-limit", "2000", "--epochs", "1", "--hidden", "256", "--batch-size", "32", "--show", "0", "--seed", "3"];

        (int code1, string first, _) = await Run([.. args, "--report", "-", "--save", dir.File("a.dlnn")]);
        (int code2, string second, _) = await Run([.. args, "--report", "-", "--save", dir.File("b.dlnn")]);

        code1.Should().Be(0);
        code2.Should().Be(0);
        using var a = System.Text.Json.JsonDocument.Parse(first);
        using var b = System.Text.Json.JsonDocument.Parse(second);
        foreach (string key in new[] { "testAccuracy", "testLoss", "backend" })
        {
            b.RootElement.GetProperty(key).GetRawText().Should().Be(a.RootElement.GetProperty(key).GetRawText(), key);
        }

        b.RootElement.GetProperty("epochs")[0].GetProperty("trainLoss").GetDouble().Should().Be(a.RootElement.GetProperty("epochs")[0].GetProperty("trainLoss").GetDouble());
        a.RootElement.GetProperty("backend").GetString().Should().StartWith("managed", "the default never depends on a timing");
        File.ReadAllBytes(dir.File("b.dlnn")).Should().Equal(File.ReadAllBytes(dir.File("a.dlnn")));
    }

    [Fact]
    public async Task Run_DataFolderOfSymbolicLinks_ReadsTheFilesTheyName()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("real"));
        Directory.CreateDirectory(dir.File("links"));
        MnistTest.WriteSmallMnist(dir.File("real"), 50, 20);
        foreach (string file in Directory.GetFiles(dir.File("real")))
        {
            File.CreateSymbolicLink(Path.Combine(dir.File("links"), Path.GetFileName(file)), file);
        }

        (int code, string output, string error) = await Run("--data", dir.File("links"), "--hidden", "8", "--epochs", "1", "--show", "0");

        code.Should().Be(0, error);
        output.Should().Contain("Data: 50 training and 20 test images");
    }

    [Theory]
    [InlineData("fifo", "is not a regular file")]
    [InlineData("/dev/zero", "is not a regular file")]
    public async Task Evaluate_ModelIsASpecialFile_OneLineWithoutBlocking(string model, string expected)
    {
        using var dir = new TempDirectory();
        if (model == "fifo")
        {
            using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [dir.File("fifo")])!;
            mkfifo.WaitForExit();
            model = dir.File("fifo");
        }

        (int code, _, string error) = await Run("evaluate", "--model", model, "--offline");

        code.Should().Be(1);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(expected);
    }

    [Theory]
    [InlineData("[[\"dense\", \"input=784; outputs=20000\"], [\"dense\", \"input=20000; outputs=20000\"], [\"dense\", \"input=20000; outputs=10\"]]", "parameters, more than the")]
    [InlineData("[null]", "is not [kind, configuration]")]
    public async Task Evaluate_CraftedSafetensorsMetadata_OneLineAndLittleMemory(string layers, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bomb.safetensors");
        Serialization.SafeTensorsTest.WriteWithMetadata(path, layers);
        long before = GC.GetTotalAllocatedBytes(precise: true);

        (int code, _, string error) = await Run("evaluate", "--model", path, "--offline");

        code.Should().Be(1);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Contain(expected);
        (GC.GetTotalAllocatedBytes(precise: true) - before).Should().BeLessThan(300_000_000, "a file under 1 MB never costs more than 300 MB");
    }

    [Fact]
    public async Task Evaluate_PyTorchSafetensorsWithAHugeHiddenOption_RefusedByTheMemoryCheck()
    {
        using var dir = new TempDirectory();
        string path = dir.File("pytorch.safetensors");
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(10).Build();
        SafeTensors.Save(network, path);
        StripMetadata(path);

        (int code, _, string error) = await Run("evaluate", "--model", path, "--hidden", "5478275", "--offline");

        code.Should().Be(2);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: --hidden 5478275: ");
    }

    private static void StripMetadata(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = System.Text.Json.Nodes.JsonNode.Parse(bytes.AsSpan(8, length))!.AsObject();
        header.Remove("__metadata__");
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8;
        var result = new byte[8 + padded + (bytes.Length - 8 - length)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)padded);
        json.CopyTo(result, 8);
        result.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.AsSpan(8 + length).CopyTo(result.AsSpan(8 + padded));
        File.WriteAllBytes(path, result);
    }

    [Fact]
    public async Task Run_ControlCharacterInAValue_OneLine()
    {
        (int code, _, string error) = await Run("--activation", "foo\nbar");

        code.Should().Be(2);
        error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("error: --activation: ");
    }

    private static string SaveDigitModel(TempDirectory dir, ILoss? loss = null)
    {
        // A loss that takes logits gets a linear output layer, as the trainer builds it.
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(10, loss is null ? Activation.Softmax : Activation.Identity).Build();
        network.Loss = loss;
        ModelFile.Save(network, dir.File("digits.dlnn"));
        return dir.File("digits.dlnn");
    }

    /// <summary>A PNG signature and a valid IHDR chunk announcing width×height, then an empty IDAT and IEND: 60-odd bytes.</summary>
    private static byte[] PngHeaderOnly(int width, int height)
    {
        var file = new List<byte> { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a };
        void Chunk(string type, byte[] data)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(typed));
            file.AddRange([.. length, .. typed, .. crc]);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // 8-bit grey
        Chunk("IHDR", header);
        Chunk("IDAT", [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk("IEND", []);
        return [.. file];
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await TrainerApp.RunAsync(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }
}
