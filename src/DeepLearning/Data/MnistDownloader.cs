using System.Net;
using System.Security.Cryptography;

namespace DeepLearning.Data;

/// <summary>
/// Downloads the four MNIST <c>.gz</c> files from the public mirrors into a folder, verifying each file's published MD5.
/// </summary>
/// <remarks>
/// Each file is written to a temporary name and renamed only when complete and verified, so after any failure —
/// offline, a 404, a wrong checksum, a truncated body, a server that stalls — the folder holds either the verified file
/// or nothing. Files already present and verified are not downloaded again. Mirrors are tried in order.
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
    public MnistDownloader(IEnumerable<Uri>? mirrors = null, TimeSpan? timeout = null, IEnumerable<MnistFile>? files = null)
    {
        Mirrors = [.. mirrors ?? DefaultMirrors];
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        Files = [.. files ?? Mnist.Files];
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "timeout must be positive.");
        }
    }

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
    /// <exception cref="IOException">A file could not be fetched from any mirror; the message names it and the last error.</exception>
    public async Task DownloadAsync(string directory, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(directory, nameof(directory));
        Directory.CreateDirectory(directory);
        using var handler = new SocketsHttpHandler { ConnectTimeout = Timeout, AutomaticDecompression = DecompressionMethods.None };
        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        foreach (MnistFile file in Files)
        {
            string destination = Path.Combine(directory, file.GzipName);
            if (File.Exists(destination))
            {
                if (await Md5Async(destination, cancellationToken).ConfigureAwait(false) == file.GzipMd5)
                {
                    continue;
                }

                File.Delete(destination);
            }

            string? lastError = null;
            foreach (Uri mirror in Mirrors)
            {
                var source = new Uri(mirror, file.GzipName);
                try
                {
                    await DownloadFileAsync(client, source, destination, file, progress, cancellationToken).ConfigureAwait(false);
                    lastError = null;
                    break;
                }
                catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException
                    || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    lastError = $"{source}: {Describe(e)}";
                }
            }

            if (lastError is not null)
            {
                throw new IOException($"Could not download {file.GzipName} from any of {Mirrors.Count} mirror(s); last error: {lastError}");
            }
        }
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

    private static async Task<string> Md5Async(string path, CancellationToken cancellationToken)
    {
        await using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
