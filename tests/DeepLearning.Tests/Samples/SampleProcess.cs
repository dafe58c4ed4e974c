using System.Diagnostics;

namespace DeepLearning.Tests.Samples;

/// <summary>Runs a sample's built program (samples/NAME/bin/…/NAME.dll, built with the tests) as a user runs it.</summary>
internal static class SampleProcess
{
    /// <summary>Runs <paramref name="sample"/> with <paramref name="args"/> at <paramref name="columns"/> columns (and <paramref name="environment"/> added); its exit code and both outputs.</summary>
    public static (int Code, string Output, string Error) Run(string sample, IEnumerable<string> args, int columns = 80, Dictionary<string, string>? environment = null)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string dll = Path.Combine(Docs.PageCodeTest.FindRoot(), "samples", sample, "bin", configuration, "net10.0", sample + ".dll");
        File.Exists(dll).Should().BeTrue($"{dll} is built with the tests");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach ((string name, string value) in environment ?? [])
        {
            start.Environment[name] = value;
        }
        using Process process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }
}
