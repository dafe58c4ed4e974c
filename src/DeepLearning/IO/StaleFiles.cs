using System.Diagnostics;
using System.Globalization;

namespace DeepLearning.IO;

/// <summary>
/// Removes the temporary files that a killed process left behind. Such files are named <c>PREFIX PID.GUID SUFFIX</c>; one
/// is stale when no process with that PID runs. A file of a running process (this one included) is never touched.
/// </summary>
internal static class StaleFiles
{
    public static int Remove(string directory, string prefix, string suffix)
    {
        int removed = 0;
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        try
        {
            foreach (string file in Directory.EnumerateFiles(directory, prefix + "*" + suffix))
            {
                string name = Path.GetFileName(file);
                string middle = name[prefix.Length..^suffix.Length]; // "PID.GUID"
                int dot = middle.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0
                    && int.TryParse(middle.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && middle.Length - dot - 1 == 32
                    && !IsRunning(pid))
                {
                    File.Delete(file);
                    removed++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a folder we cannot list or clean is reported by the write that follows, if it matters.
        }

        return removed;
    }

    internal static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
