using DeepLearning.IO;

namespace Samples.Common;

/// <summary>
/// The cache folder of a sample's fetched data ($XDG_CACHE_HOME/deeplearning/NAME, else ~/.cache/deeplearning/NAME) and
/// the checks before a cached file is used: the folder must be a folder, and the file must be exactly what the sample
/// writes there (its SHA-256).
/// </summary>
internal static class DataCache
{
    /// <summary>The default cache folder for <paramref name="name"/>.</summary>
    public static string DefaultDirectory(string name)
        => Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "deeplearning",
            name);

    /// <summary>
    /// Whether the cache folder can be used: a file given as --cache is a <see cref="UsageError"/>; a default folder that is
    /// a file is said in a warning line and left alone.
    /// </summary>
    public static async Task<bool> UsableAsync(string cache, bool given, string what, TextWriter log)
    {
        if (!File.Exists(cache))
        {
            return true;
        }

        if (given)
        {
            throw new UsageError($"--cache {cache}: is a file, not a folder.");
        }

        await log.WriteLineAsync($"warning: the {what} cache {cache} is a file, not a folder; not using it.");
        return false;
    }

    /// <summary>
    /// The cached file's bytes when their SHA-256 is <paramref name="sha256"/>; otherwise null, after one warning line —
    /// a file that differs is removed (<paramref name="expected"/> names what it should have been), one that cannot be read
    /// is left alone.
    /// </summary>
    public static async Task<byte[]?> ReadVerifiedAsync(string file, long maxBytes, string what, string sha256, string expected, bool offline, TextWriter log)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            byte[] bytes = BoundedFile.ReadAllBytes(file, maxBytes, what);
            if (NpmPackage.Sha256(bytes) == sha256)
            {
                return bytes;
            }

            await log.WriteLineAsync($"warning: {file} is not {expected} (its SHA-256 differs); removed{(offline ? string.Empty : ", fetching it again")}.");
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await log.WriteLineAsync($"warning: the {what} cache {file} cannot be read ({e.Message.Split('\n')[0].TrimEnd()}).");
        }

        return null;
    }
}
