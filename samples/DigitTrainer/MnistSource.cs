using System.Numerics;
using DeepLearning.Data;

namespace DigitTrainer;

/// <summary>Where the digits came from, as written in the report.</summary>
internal enum DataSource
{
    Directory,
    Cache,
    Download,
    Embedded,
}

/// <summary>
/// Finds MNIST: the folder given with --data; else the cache; else a download into the cache; else the embedded subset
/// (the first 10,000 training images and all 10,000 test images), saying so in one line.
/// </summary>
internal static class MnistSource
{
    /// <summary>The embedded subset, copied next to the program.</summary>
    public static string EmbeddedDirectory => Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");

    public static async Task<(MnistData<T> Data, DataSource Source, string Where)> LoadAsync<T>(
        TrainerOptions options, TextWriter log, bool testSetOnly = false)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (options.DataDirectory is { } given)
        {
            // A folder the user named must work: any problem with it is an error, not a fallback.
            return (LoadOrFail<T>(given), DataSource.Directory, given);
        }

        string cache = options.CacheDirectory ?? Mnist.DefaultCacheDirectory;
        bool usable = true;
        if (File.Exists(cache))
        {
            if (options.CacheDirectory is not null)
            {
                throw new UsageException($"--cache {cache}: is a file, not a folder.");
            }

            await log.WriteLineAsync($"warning: the MNIST cache {cache} is a file, not a folder; not using it.");
            usable = false;
        }

        if (usable)
        {
            // Every copy in the cache is checked against MNIST's published MD5s before use: a damaged or foreign file is
            // reported and removed (and downloaded again below); a verified one is never touched.
            foreach (string problem in MnistDownloader.RemoveDamaged(cache))
            {
                await log.WriteLineAsync($"warning: MNIST cache {cache}: {problem}.");
            }

            if (Mnist.IsComplete(cache))
            {
                try
                {
                    return (Mnist.Load<T>(cache), DataSource.Cache, cache);
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    await log.WriteLineAsync($"warning: the MNIST cache in {cache} cannot be read ({FirstLine(e.Message)}).");
                }
            }
        }

        if (testSetOnly)
        {
            // The test set of the embedded subset is the full MNIST test set: no need to download anything.
            return (Mnist.Load<T>(EmbeddedDirectory), DataSource.Embedded, EmbeddedDirectory);
        }

        string outcome = options.Offline ? "not in the cache and --offline given" : "not in the cache";
        if (!options.Offline && usable)
        {
            var downloader = new MnistDownloader(options.Mirrors.Count > 0 ? options.Mirrors : null, TimeSpan.FromSeconds(10));
            try
            {
                await log.WriteLineAsync($"Downloading MNIST into {cache} …");
                await downloader.DownloadAsync(cache, new LineProgress(log));
                return (Mnist.Load<T>(cache), DataSource.Download, cache);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                outcome = $"download failed ({Reasons(e.Message, downloader.Mirrors.Count)}), as it does without a network";
            }
        }

        // One line, whatever happened: what failed, that the run goes on with the subset, and how to give the full set.
        await log.WriteLineAsync($"Full MNIST {outcome}: using the embedded subset (10,000 training and 10,000 test images). For all 60,000 training images give --data DIR, a folder with the four MNIST files.");
        return (Mnist.Load<T>(EmbeddedDirectory), DataSource.Embedded, EmbeddedDirectory);
    }

    /// <summary>
    /// Why a download failed, short: the distinct reasons the downloader gave for its mirrors — "2 mirrors: Name or service
    /// not known" — without the addresses, which the reader cannot act on.
    /// </summary>
    private static string Reasons(string message, int mirrors)
    {
        string line = FirstLine(message);
        int listed = line.IndexOf("mirror(s): ", StringComparison.Ordinal);
        if (listed < 0)
        {
            return line;
        }

        string[] reasons = [.. line[(listed + "mirror(s): ".Length)..].Split("; ").Select(r => r[(r.LastIndexOf(": ", StringComparison.Ordinal) + 2)..].TrimEnd('.')).Distinct()];
        return $"{mirrors} {(mirrors == 1 ? "mirror" : "mirrors")}: {string.Join("; ", reasons)}";
    }

    private static MnistData<T> LoadOrFail<T>(string directory)
        where T : struct, IFloatingPointIeee754<T>
    {
        try
        {
            return Mnist.Load<T>(directory);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new DataException($"--data {directory}: {FirstLine(e.Message)}", e);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd();

    /// <summary>A data problem the user must fix: reported as one line, exit code 1.</summary>
    internal sealed class DataException(string message, Exception inner) : Exception(message, inner);

    /// <summary>One line per finished file (and per 10 MB), so progress reads well in a log too.</summary>
    private sealed class LineProgress(TextWriter log) : IProgress<DownloadProgress>
    {
        private long _lastReported;

        public void Report(DownloadProgress value)
        {
            bool done = value.TotalBytes is { } total && value.BytesReceived == total;
            if (done || value.BytesReceived - _lastReported >= 10_000_000)
            {
                _lastReported = done ? 0 : value.BytesReceived;
                string of = value.TotalBytes is { } t ? $" of {t / 1e6:F1}" : string.Empty;
                log.WriteLine(FormattableString.Invariant($"  {value.File}: {value.BytesReceived / 1e6:F1}{of} MB"));
            }
        }
    }
}
