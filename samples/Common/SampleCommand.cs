using System.CommandLine;

namespace Samples.Common;

/// <summary>
/// The shape every sample with a <c>--report</c> runs in: parse the command line, print --help, check the files it will
/// write before any work, run, write the report (to a file atomically, or alone on the standard output with
/// <c>--report -</c>, the rest going to the standard error), and keep the samples' error contract (<see cref="SampleErrors"/>).
/// </summary>
internal static class SampleCommand
{
    /// <summary>0 when done, 2 after a usage error, 1 after a data or file error — one <c>error:</c> line either way.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where a person reads the run.</param>
    /// <param name="error">Where the error line goes (and the run, with <c>--report -</c>).</param>
    /// <param name="width">The columns to lay the text out in.</param>
    /// <param name="command">The sample's options.</param>
    /// <param name="help">--help at a width.</param>
    /// <param name="parse">The checked options of a parsed command line; a mistake is a <see cref="UsageError"/>.</param>
    /// <param name="outputs">The files a run will write, with their options.</param>
    /// <param name="report">The --report value: a path, <c>-</c>, or null.</param>
    /// <param name="run">The run itself, writing to the writer it is given; returns the report as JSON.</param>
    public static async Task<int> RunAsync<TOptions>(
        string[] args,
        TextWriter output,
        TextWriter error,
        int width,
        RootCommand command,
        Func<int, string> help,
        Func<ParseResult, TOptions> parse,
        Func<TOptions, IEnumerable<(string Option, string Path)>> outputs,
        Func<TOptions, string?> report,
        Func<TOptions, TextWriter, Task<string>> run)
    {
        ParseResult parsed = command.Parse(args);
        try
        {
            if (parsed.Errors.Count > 0)
            {
                throw new UsageError(CommandHelp.Error(parsed));
            }

            if (parsed.Action is System.CommandLine.Help.HelpAction)
            {
                await output.WriteAsync(help(width));
                return 0;
            }

            TOptions options = parse(parsed);
            foreach ((string option, string path) in outputs(options))
            {
                SampleArgs.OutputFile(option, path); // a folder, special file or link, or an unwritable folder: refused before any work
            }

            string? reportPath = report(options);
            var human = new LayoutWriter(reportPath == "-" ? error : output, width);
            try
            {
                string json = await run(options, human);
                if (reportPath == "-")
                {
                    await output.WriteLineAsync(json);
                }
                else if (reportPath is not null)
                {
                    DeepLearning.IO.AtomicFile.WriteAllText(reportPath, json + "\n");
                    await human.WriteLineAsync($"Report written to {reportPath}");
                }
            }
            finally
            {
                await human.FlushAsync();
            }

            return 0;
        }
        catch (Exception e) when (SampleErrors.ExitCode(e) is { } code || e is ArgumentException or NotSupportedException)
        {
            // ArgumentException and NotSupportedException: what the library refuses (a layer spec that does not build, a
            // model that does not fit the data) — the user's input, said in one line.
            await error.WriteLineAsync($"error: {SampleErrors.OneLine(e.Message.Split(" (Parameter '", StringSplitOptions.None)[0])}");
            return SampleErrors.ExitCode(e) ?? (e is ArgumentException && e.Message.StartsWith("--", StringComparison.Ordinal) ? 2 : 1);
        }
    }
}
