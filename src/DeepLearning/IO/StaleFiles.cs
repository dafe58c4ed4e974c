using System.Diagnostics;
using System.Globalization;

namespace DeepLearning.IO;

/// <summary>
/// Removes the temporary files that a killed process left behind. Such files are named <c>PREFIX PID.GUID SUFFIX</c>; one
/// is stale when no process with that PID runs here and no writer holds it locked — a writer in another PID namespace
/// (a container sharing the folder) has a PID that means nothing here, but its lock shows it is alive. A file of this
/// process, or one a writer holds, is never touched.
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
                if (name.Length < prefix.Length + suffix.Length + 34 || !name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(suffix, StringComparison.Ordinal))
                {
                    continue; // "PID.GUID" needs at least 34 characters; the pattern also matches names where prefix and suffix overlap
                }

                string middle = name[prefix.Length..^suffix.Length]; // "PID.GUID"
                int dot = middle.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0
                    && int.TryParse(middle.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                    && middle.Length - dot - 1 == 32
                    && !IsRunning(pid)
                    && TryDeleteUnlocked(file))
                {
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

    /// <summary>Deletes a file only if no writer holds it: opened exclusively (which fails while a writer's lock is on it) and deleted on close.</summary>
    private static bool TryDeleteUnlocked(string file)
    {
        try
        {
            using var claimed = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // locked by a live writer, or gone already
        }
    }
}
