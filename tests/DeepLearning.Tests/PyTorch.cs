using System.Diagnostics;

namespace DeepLearning.Tests;

/// <summary>Runs Python scripts with Debian's PyTorch (python3-torch) for parity tests; those tests skip, saying why, where it is missing.</summary>
internal static class PyTorch
{
    private const string Python = "/usr/bin/python3";

    private static readonly Lazy<bool> Available = new(() => File.Exists(Python) && Run("-c", "import torch").Code == 0);

    /// <summary>
    /// Skips the calling test unless PyTorch can be imported — or, with DEEPLEARNING_REQUIRE_PYTORCH=1 (as CI sets it),
    /// fails it, so that a parity test never passes by skipping where PyTorch should be.
    /// </summary>
    public static void SkipUnlessInstalled()
    {
        if (Environment.GetEnvironmentVariable("DEEPLEARNING_REQUIRE_PYTORCH") == "1")
        {
            Available.Value.Should().BeTrue("DEEPLEARNING_REQUIRE_PYTORCH=1 but /usr/bin/python3 cannot import torch");
        }

        Skipping.IfNot(Available.Value, "PyTorch is not installed (apt-get install python3-torch)");
    }

    /// <summary>Runs python3 with the arguments and returns its exit code and output (stdout then stderr), trimmed.</summary>
    public static (int Code, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Trim());
    }
}
