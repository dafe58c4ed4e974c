using System.Globalization;

namespace Samples.Common;

/// <summary>The options every sample takes: --seed, --output DIR, --quick (the smoke run CI makes), --data DIR and --help.</summary>
internal sealed record SampleArgs(int Seed, string Output, bool Quick, string? Data)
{
    /// <summary>Parses the command line; prints help or one error line and returns the exit code when the sample should stop.</summary>
    public static (SampleArgs? Args, int ExitCode) Parse(string[] args, string name, string description, bool usesMnist)
    {
        int seed = 1;
        string output = Path.Combine("output", name.ToLowerInvariant());
        bool quick = false;
        string? data = null;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (option)
            {
                case "--help" or "-h":
                    Console.WriteLine($"{name}: {description}");
                    Console.WriteLine();
                    Console.WriteLine($"Usage: dotnet run --project samples/{name} -c Release -- [options]");
                    Console.WriteLine("  --seed N      seed of the data, the weights and the shuffling (default 1)");
                    Console.WriteLine($"  --output DIR  where the pictures go (default {output})");
                    Console.WriteLine("  --quick       a small, fast run (what CI runs as a smoke test)");
                    if (usesMnist)
                    {
                        Console.WriteLine("  --data DIR    the four MNIST files; default: the digit trainer's cache if complete, else the embedded subset");
                    }

                    return (null, 0);
                case "--seed" when int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int s):
                    seed = s;
                    i++;
                    break;
                case "--output" when !string.IsNullOrWhiteSpace(value):
                    output = value;
                    i++;
                    break;
                case "--data" when usesMnist && !string.IsNullOrWhiteSpace(value):
                    data = value;
                    i++;
                    break;
                case "--quick":
                    quick = true;
                    break;
                default:
                    Console.Error.WriteLine($"error: unknown or incomplete option '{option}' (see --help).");
                    return (null, 2);
            }
        }

        return (new SampleArgs(seed, output, quick, data), 0);
    }

    /// <summary>A path inside the output folder, which is created.</summary>
    public string File(string name)
    {
        Directory.CreateDirectory(Output);
        return Path.Combine(Output, name);
    }
}
