using DeepLearning.Training;

namespace Samples.Common;

/// <summary>
/// The samples' error contract, the digit trainer's: a mistake on the command line is one <c>error:</c> line and exit code
/// 2 (<see cref="UsageError"/>); a file or data set that cannot be read or written, or a run that diverges, is one
/// <c>error:</c> line and exit code 1. Anything else is a bug and keeps its stack trace.
/// </summary>
internal static class SampleErrors
{
    private static int _installed;

    /// <summary>Installs the contract for the whole process (done by <see cref="SampleArgs.Parse"/>).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AppDomain.CurrentDomain.UnhandledException += (_, e) =>
            {
                if (e.ExceptionObject is Exception error && ExitCode(error) is { } code)
                {
                    Console.Out.Flush();
                    Write(error.Message);
                    Environment.Exit(code);
                }
            };
        }
    }

    /// <summary>2 for a usage error, 1 for the errors a user can cause with files and data, null for a bug.</summary>
    public static int? ExitCode(Exception error) => error switch
    {
        UsageError => 2,
        IOException or InvalidDataException or UnauthorizedAccessException or TrainingDivergedException or OutOfMemoryException => 1,
        _ => null,
    };

    /// <summary>
    /// Writes <c>error: </c> and the message to the standard error: one line where a program reads it (piped, redirected),
    /// wrapped at spaces to the terminal's width where a person does.
    /// </summary>
    public static void Write(string message)
    {
        string line = $"error: {OneLine(message)}";
        Console.Error.WriteLine(Console.IsErrorRedirected ? line : ConsoleLayout.Format(line, ConsoleLayout.Width(isTerminal: true)));
    }

    /// <summary>A message as one short line (<see cref="ErrorText.OneLine"/>).</summary>
    public static string OneLine(string message) => ErrorText.OneLine(message);
}

/// <summary>A command-line mistake in a sample: one <c>error:</c> line, exit code 2.</summary>
internal sealed class UsageError(string message) : Exception(message);
