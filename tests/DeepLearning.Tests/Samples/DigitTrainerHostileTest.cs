using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using DeepLearning.Data;
using DeepLearning.Serialization;
using DeepLearning.Tests.Data;
using DigitTrainer;
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
    public void MemoryCheck_NetworkLargerThanMemory_SaysHowMuchItNeeds()
    {
        var options = new TrainerOptions { Hidden = [1_000_000] };

        Action act = () => MemoryCheck.Check(options, 60_000, 10_000, availableBytes: 4_000_000_000);

        act.Should().Throw<UsageException>().WithMessage("--hidden 1000000: this network (795,000,010 parameters) needs about 2?.? GB of memory to train, but only 4.0 GB is available; use fewer neurons.");
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
        output.Should().Contain($"warning: MNIST cache {cache}: train-images-idx3-ubyte removed: MD5 ");
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

    private static string SaveDigitModel(TempDirectory dir)
    {
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(10, Activation.Softmax).Build();
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
