using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace DeepLearning.IO;

/// <summary>
/// Writes a file so that it is never seen half-written: the bytes go to a temporary file in the same folder
/// (<c>.NAME.PID.GUID.tmp.EXT</c>), which is renamed over the target only when complete and flushed to disk.
/// </summary>
/// <remarks>
/// <para>
/// <b>Only regular files are replaced.</b> A target that is a folder, a symbolic link, a device, a pipe or a socket
/// (<c>/dev/null</c>, <c>/dev/stdout</c>) is refused with an <see cref="IOException"/> before anything is written, since
/// renaming over it would replace it; give the path of the file itself. A path ending in a folder separator is refused.
/// </para>
/// <para>
/// <b>Nothing is left behind.</b> On every failure — an exception in the writer, a full disk, a folder without write
/// permission — the temporary file is deleted and the target is left as it was; so it is when the process is
/// interrupted (SIGINT, SIGTERM, SIGHUP) while writing. A process killed outright (SIGKILL, power loss) cannot clean up:
/// the next write into the same folder removes temporary files whose writer is gone — whose process (the PID in their
/// name) no longer runs and which no writer holds locked, so a live writer in another PID namespace (a container
/// sharing the folder) is never disturbed.
/// </para>
/// <para>
/// The temporary name keeps within the file system's 255-byte limit: a long target name is shortened in it (with a hash of
/// the whole name). Errors are <see cref="IOException"/>s whose message names the target path, never the temporary one.
/// Thread-safe: two writers of the same target each use their own temporary file, and the last rename wins. The model
/// files, safetensors, ONNX exports, IDX files and the digit trainer's reports and plots are all written through this class.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// AtomicFile.WriteAllText("report.json", json);           // report.json is the old file or the new one, never a mix
/// AtomicFile.Write("plot.png", path => plot.SavePng(path)); // for libraries that want a path to write to
/// </code>
/// </example>
public static class AtomicFile
{
    private const int MaxNameBytes = 255;
    private const int MaxExtensionBytes = 16;
    private static readonly ConcurrentDictionary<string, byte> Writing = new(StringComparer.Ordinal);
    private static readonly Lazy<PosixSignalRegistration[]> SignalCleanup = new(RegisterSignalCleanup);

    /// <summary>Writes <paramref name="path"/> from a stream: <paramref name="write"/> fills it, then it replaces the target.</summary>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="write">Writes the contents into the stream it is given (a temporary file, locked while it is written).</param>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/> and why.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        Preconditions.CheckNotNull(write, nameof(write));
        Replace(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None); // an exclusive lock while it is written
            write(stream);
            stream.Flush(flushToDisk: true);
        });
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/>.</summary>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="text">The contents.</param>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/> and why.</exception>
    public static void WriteAllText(string path, string text)
    {
        Preconditions.CheckNotNull(text, nameof(text));
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(text)));
    }

    /// <summary>
    /// Writes <paramref name="path"/> through a library that wants a file name: <paramref name="writeTo"/> receives the
    /// temporary path (with the target's extension, so format-by-extension still works), then it replaces the target.
    /// </summary>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="writeTo">Writes the complete file at the path it is given.</param>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/> and why.</exception>
    public static void Write(string path, Action<string> writeTo)
    {
        Preconditions.CheckNotNull(writeTo, nameof(writeTo));
        Replace(path, temporary =>
        {
            // The temporary file exists from the start and is held open (a shared lock), so that no sweep removes it.
            using var held = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            writeTo(temporary);
            if (!File.Exists(temporary) || new FileInfo(temporary).Length == 0)
            {
                throw new IOException("the writer produced no file");
            }
        });
    }

    /// <summary>
    /// Checks, before a long computation, that <paramref name="path"/> can be written later: it names a regular file or
    /// nothing yet (not a folder, link, device, pipe or socket), and a file can be created in its folder — or, when the
    /// folder does not exist yet, in the nearest folder above it that does. Leaves nothing behind, folders included.
    /// </summary>
    /// <param name="path">The file that will be written.</param>
    /// <exception cref="IOException">It cannot be written; the message names <paramref name="path"/> and why.</exception>
    public static void CheckWritable(string path)
    {
        string full = FullPath(path);
        string? folder = Path.GetDirectoryName(full);
        while (folder is not null && !Directory.Exists(folder))
        {
            folder = Path.GetDirectoryName(folder);
        }

        string probe = TemporaryPath(Path.Combine(folder ?? "/", Path.GetFileName(full)));
        Guard(path, probe, () =>
        {
            CheckTarget(full);
            folder = Path.GetDirectoryName(full);
            while (folder is not null && !Directory.Exists(folder))
            {
                if (File.Exists(folder) || FileKinds.Of(folder, followLinks: false) != FileKind.Missing)
                {
                    throw new IOException($"{folder} is not a folder");
                }

                folder = Path.GetDirectoryName(folder);
            }

            try
            {
                File.WriteAllBytes(probe, []);
            }
            finally
            {
                TryDelete(probe);
            }
        });
    }

    /// <summary>
    /// The start of the temporary names of <paramref name="fileName"/>: <c>.NAME.</c>, or for a name too long to leave room
    /// for the rest, <c>.</c> + its start + <c>~</c> + a hash of the whole name + <c>.</c> — so that every temporary name
    /// fits in 255 bytes.
    /// </summary>
    internal static string TemporaryPrefix(string fileName)
    {
        int room = MaxNameBytes - Suffix(fileName).Length - 1 - 10 - 1 - 32 - 1; // ".", PID, ".", GUID, "."
        if (Encoding.UTF8.GetByteCount(fileName) <= room)
        {
            return $".{fileName}.";
        }

        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fileName)))[..8];
        var start = new StringBuilder();
        foreach (Rune rune in fileName.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(start.ToString()) + rune.Utf8SequenceLength + 1 + hash.Length > room)
            {
                break;
            }

            start.Append(rune.ToString());
        }

        return $".{start}~{hash}.";
    }

    /// <summary>The end of the temporary names of <paramref name="fileName"/>: <c>.tmp</c> and its extension when short (libraries pick a format by it).</summary>
    internal static string Suffix(string fileName)
    {
        string extension = Path.GetExtension(fileName);
        return ".tmp" + (Encoding.UTF8.GetByteCount(extension) <= MaxExtensionBytes ? extension : string.Empty);
    }

    /// <summary>Writes through a fresh temporary file beside the target, then renames it over the target.</summary>
    private static void Replace(string path, Action<string> writeTemporary)
    {
        string full = FullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        string temporary = TemporaryPath(full);
        _ = SignalCleanup.Value;
        Writing[temporary] = 0;
        try
        {
            Guard(path, temporary, () =>
            {
                CheckTarget(full);
                Directory.CreateDirectory(directory);
                StaleFiles.Remove(directory, TemporaryPrefix(Path.GetFileName(full)), Suffix(Path.GetFileName(full)));
                writeTemporary(temporary);
                CheckTarget(full); // still a regular file or nothing: rename never replaces a link or a device
                File.Move(temporary, full, overwrite: true);
            });
        }
        finally
        {
            TryDelete(temporary);
            Writing.TryRemove(temporary, out _);
        }
    }

    /// <summary>Runs <paramref name="action"/>, reporting its IO errors by the user's path (without the temporary name).</summary>
    private static void Guard(string path, string temporary, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write the file ({Reason(e, temporary)}).", e);
        }
    }

    /// <summary>Refuses a target that is not a regular file or nothing.</summary>
    private static void CheckTarget(string full)
    {
        switch (FileKinds.Of(full, followLinks: false))
        {
            case FileKind.Directory:
                throw new IOException("it is a folder");
            case FileKind.SymbolicLink:
                throw new IOException($"it is a symbolic link to {new FileInfo(full).LinkTarget}; give the path of the file itself, or remove the link");
            case FileKind.Special:
                throw new IOException("it is not a regular file but a device, a pipe or a socket, which a file written here would replace");
        }
    }

    private static string FullPath(string path)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        if (path.Length == 0)
        {
            throw new IOException("cannot write a file at an empty path.");
        }

        if (path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new IOException($"{path}: cannot write the file (the path ends with a folder separator: give a file name).");
        }

        return Path.GetFullPath(path);
    }

    private static string TemporaryPath(string full)
    {
        string name = Path.GetFileName(full);
        return Path.Combine(Path.GetDirectoryName(full)!, $"{TemporaryPrefix(name)}{Environment.ProcessId}.{Guid.NewGuid():N}{Suffix(name)}");
    }

    /// <summary>The system's reason, without the temporary file's name that the user never asked for.</summary>
    private static string Reason(Exception e, string temporary)
    {
        string folder = Path.GetDirectoryName(temporary)!;
        return e switch
        {
            UnauthorizedAccessException => $"permission denied in {folder}",
            FileNotFoundException or DirectoryNotFoundException => $"{folder} does not accept new files",
            _ => e.Message.Split('\n')[0].TrimEnd().Replace(temporary, "a temporary file", StringComparison.Ordinal),
        };
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder became unwritable: nothing more can be done, and the next write retries (see StaleFiles).
        }
    }

    /// <summary>On SIGINT, SIGTERM and SIGHUP, the temporary files being written are deleted; the signal then does what it would have done.</summary>
    private static PosixSignalRegistration[] RegisterSignalCleanup()
    {
        if (OperatingSystem.IsBrowser() || OperatingSystem.IsWasi())
        {
            return [];
        }

        try
        {
            return [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP }.Select(signal => PosixSignalRegistration.Create(signal, _ =>
            {
                foreach (string temporary in Writing.Keys)
                {
                    TryDelete(temporary);
                }
            }))];
        }
        catch (PlatformNotSupportedException)
        {
            return [];
        }
    }
}
