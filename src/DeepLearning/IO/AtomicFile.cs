using System.Text;

namespace DeepLearning.IO;

/// <summary>
/// Writes a file so that it is never seen half-written: the bytes go to a temporary file in the same folder
/// (<c>.NAME.PID.GUID.tmp.EXT</c>), which is renamed over the target only when complete and flushed to disk.
/// </summary>
/// <remarks>
/// <para>
/// On every failure — an exception in the writer, a full disk, a folder without write permission — the temporary file is
/// deleted and the target is left as it was. A process killed mid-write (SIGKILL, power loss) cannot clean up after itself:
/// the next write into the same folder removes the temporary files whose process (the PID in their name) no longer runs.
/// </para>
/// <para>
/// Errors are <see cref="IOException"/>s whose message names the target path, never the temporary one. Thread-safe:
/// two writers of the same target each use their own temporary file, and the last rename wins.
/// The model files, IDX files and the digit trainer's reports and plots are all written through this class.
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
    /// <summary>Writes <paramref name="path"/> from a stream: <paramref name="write"/> fills it, then it replaces the target.</summary>
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="write">Writes the contents into the stream it is given (a temporary file).</param>
    /// <exception cref="IOException">The file could not be written; the message names <paramref name="path"/> and why.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        Preconditions.CheckNotNull(write, nameof(write));
        Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
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
        Preconditions.CheckNotNull(path, nameof(path));
        Preconditions.CheckNotNull(writeTo, nameof(writeTo));
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Run(path, full, temporary =>
        {
            StaleFiles.Remove(directory, $".{Path.GetFileName(full)}.", ".tmp" + Path.GetExtension(full));
            writeTo(temporary);
            if (!File.Exists(temporary))
            {
                throw new IOException("the writer produced no file");
            }

            File.Move(temporary, full, overwrite: true);
        });
    }

    /// <summary>
    /// Checks, before a long computation, that <paramref name="path"/> can be written later: it is not a folder, its folder
    /// exists or can be created, and a file can be created there. Leaves no file behind (a folder it had to create stays).
    /// </summary>
    /// <param name="path">The file that will be written.</param>
    /// <exception cref="IOException">It cannot be written; the message names <paramref name="path"/> and why.</exception>
    public static void CheckWritable(string path)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        Run(path, Path.GetFullPath(path), temporary => File.WriteAllBytes(temporary, []));
    }

    /// <summary>Runs <paramref name="action"/> on a fresh temporary path beside <paramref name="full"/>; reports errors by the user's path; always removes the temporary file.</summary>
    private static void Run(string path, string full, Action<string> action)
    {
        string temporary = TemporaryPath(full);
        try
        {
            if (Directory.Exists(full))
            {
                throw new IOException("it is a folder");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            action(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{path}: cannot write the file ({Reason(e, temporary)}).", e);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static string TemporaryPath(string full)
        => Path.Combine(
            Path.GetDirectoryName(full)!,
            $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");

    /// <summary>The system's reason, without the temporary file's name that the user never asked for.</summary>
    private static string Reason(Exception e, string temporary)
    {
        string folder = Path.GetDirectoryName(temporary)!;
        return e switch
        {
            UnauthorizedAccessException => $"permission denied in {folder}",
            FileNotFoundException or DirectoryNotFoundException => $"{folder} does not accept new files",
            _ => e.Message.Replace(temporary, "a temporary file", StringComparison.Ordinal).Split('\n')[0].TrimEnd(),
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
}
