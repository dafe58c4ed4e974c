using System.Text.Json;
using DigitTrainer;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// The end-to-end training run of the default network on the full MNIST for a few epochs (<see cref="FullMnist"/>).
/// </summary>
public class DigitTrainerEndToEndTest
{
    [SkippableFact]
    public async Task DefaultNetwork_ThreeEpochsOnFullMnist_CloseTo98Percent()
    {
        string directory = FullMnist.DirectoryOrSkip();
        using var dir = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        int code = await TrainerApp.RunAsync(["--data", directory, "--epochs", "3", "--report", dir.File("report.json"), "--show", "0"], output, error, interactive: false);

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
