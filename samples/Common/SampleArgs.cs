using System.CommandLine;

namespace Samples.Common;

/// <summary>
/// The options every sample takes — --seed, --output DIR, --quick (the smoke run CI makes), --data DIR — declared once with
/// System.CommandLine, which writes --help from them and validates them. A usage error is one line on standard error,
/// beginning with "error: ", and exit code 2. Everything the sample then prints to the standard output is laid out for the
/// terminal with <see cref="ConsoleLayout"/>.
/// </summary>
internal sealed record SampleArgs(int Seed, string Output, bool Quick, string? Data, ParseResult Parsed)
{
    /// <summary>Parses the command line; prints help or one error line and returns the exit code when the sample should stop.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="name">The sample's name.</param>
    /// <param name="description">One line: what it shows.</param>
    /// <param name="usesMnist">Whether it takes --data.</param>
    /// <param name="extra">The sample's own options, read from <see cref="Parsed"/>.</param>
    public static (SampleArgs? Args, int ExitCode) Parse(string[] args, string name, string description, bool usesMnist, params Option[] extra)
    {
        string defaultOutput = Path.Combine("output", name.ToLowerInvariant());
        var seed = new Option<int>("--seed") { Description = "seed of the data, the weights and the shuffling", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output") { Description = "where the pictures go", DefaultValueFactory = _ => defaultOutput, HelpName = "DIR" };
        var quick = new Option<bool>("--quick") { Description = "a small, fast run (what CI runs as a smoke test)" };
        var data = new Option<string?>("--data")
        {
            Description = "the four MNIST files; default: the digit trainer's cache if complete, else the embedded subset",
            HelpName = "DIR",
        };
        var root = new RootCommand($"{name}: {description}") { seed, output, quick };
        if (usesMnist)
        {
            root.Options.Add(data);
        }

        foreach (Option option in extra)
        {
            root.Options.Add(option);
        }

        (ParseResult? parsed, int exitCode) = ParseCommand(root, args, name);
        if (parsed is null)
        {
            return (null, exitCode);
        }

        try
        {
            string? dataPath = parsed.GetValue(data);
            return (new SampleArgs(parsed.GetValue(seed), PathValue("--output", parsed.GetValue(output)!), parsed.GetValue(quick), dataPath is null ? null : PathValue("--data", dataPath), parsed), 0);
        }
        catch (UsageError e)
        {
            SampleErrors.Write(e.Message);
            return (null, 2);
        }
    }

    /// <summary>
    /// Lays out everything written to the standard output from now on for the terminal (<see cref="ConsoleLayout.Width"/>:
    /// its width, $COLUMNS, or 80 when piped), once per process; returns the width.
    /// </summary>
    public static int UseLayout()
    {
        if (_layout is null)
        {
            _layout = new LayoutWriter(Console.Out, ConsoleLayout.Width(!Console.IsOutputRedirected));
            Console.SetOut(_layout);
        }

        return _layout.Columns;
    }

    private static LayoutWriter? _layout;

    /// <summary>The columns the standard output is laid out in (<see cref="UseLayout"/>).</summary>
    public static int Width => _layout?.Columns ?? ConsoleLayout.Width(!Console.IsOutputRedirected);

    /// <summary>
    /// Parses a sample's own command: installs the error contract and the layout, writes --help (from the declarations,
    /// with the defaults they use) or --version, or one error line; the parse result when the sample should go on, else
    /// null and the exit code (0 after help, 2 after an error).
    /// </summary>
    public static (ParseResult? Parsed, int ExitCode) ParseCommand(RootCommand root, string[] args, string name)
    {
        SampleErrors.Install();
        int width = UseLayout();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            SampleErrors.Write(CommandHelp.Error(parsed));
            return (null, 2);
        }

        if (parsed.Action is System.CommandLine.Help.HelpAction)
        {
            Console.Write(CommandHelp.Write(root, name, width));
            return (null, 0);
        }

        if (parsed.Action is not null)
        {
            parsed.Invoke(); // --version
            return (null, 0);
        }

        return (parsed, 0);
    }

    /// <summary>
    /// A path option's value: not empty, not an option name (a forgotten value), no control characters; else a
    /// <see cref="UsageError"/>.
    /// </summary>
    public static string PathValue(string option, string value)
        => value.Length == 0 ? throw new UsageError($"{option} needs a path; '' is empty.")
            : value.Any(char.IsControl) ? throw new UsageError($"{option}: the path holds a control character (a line break?); give a plain path.")
            : value.StartsWith('-') ? throw new UsageError($"{option} '{value}': looks like an option, not a path (was {option}'s value forgotten?); write ./{value} for a file of that name.")
            : value;

    /// <summary>
    /// An output file option's value, checked before any work: a path that is a folder, a special file or a symbolic
    /// link, or whose folder cannot be written, is a <see cref="UsageError"/>; nothing is created.
    /// </summary>
    public static string OutputFile(string option, string value)
    {
        PathValue(option, value);
        try
        {
            DeepLearning.IO.AtomicFile.CheckWritable(value);
            return value;
        }
        catch (IOException e)
        {
            throw new UsageError($"{option} {e.Message}");
        }
    }

    /// <summary>A path inside the output folder, which is created.</summary>
    public string File(string name)
    {
        Directory.CreateDirectory(Output);
        return Path.Combine(Output, name);
    }
}
