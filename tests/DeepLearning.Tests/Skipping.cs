namespace DeepLearning.Tests;

/// <summary>
/// Skips a test with a reason that <c>dotnet test</c> shows. xUnit's VSTest adapter prints only "[SKIP]" at the default
/// verbosity, so every reason is also written to <c>skipped-tests.txt</c> beside the test assembly; the test project's
/// <c>PrintSkipReasons</c> target lists the distinct reasons when the run ends. Each reason says what enables the test.
/// </summary>
internal static class Skipping
{
    private static readonly Lock Gate = new();

    /// <summary>The file the reasons of this run go to (emptied by the test project before every run).</summary>
    public static string ReasonsFile => Path.Combine(AppContext.BaseDirectory, "skipped-tests.txt");

    /// <summary>Skips the calling test when <paramref name="condition"/> holds, recording <paramref name="reason"/>.</summary>
    public static void If(bool condition, string reason)
    {
        if (condition)
        {
            lock (Gate)
            {
                File.AppendAllText(ReasonsFile, reason + Environment.NewLine);
            }

            Skip.If(true, reason);
        }
    }

    /// <summary>Skips the calling test unless <paramref name="condition"/> holds, recording <paramref name="reason"/>.</summary>
    public static void IfNot(bool condition, string reason) => If(!condition, reason);
}
