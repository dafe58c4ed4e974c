namespace DeepLearning.IO;

/// <summary>
/// The one way the library reads a file it is given: a regular file, opened once, whose size is taken from the open
/// handle and capped. A folder, a device (<c>/dev/zero</c>), a pipe, a socket or a missing file is refused before anything
/// is opened; a symbolic link is followed to the file it names (a folder of links to shared data sets reads like the
/// data itself). So no reader allocates from what a file claims, reads without end, or reads a size from one file and
/// the bytes from another.
/// </summary>
/// <remarks>Every problem is one line naming the file: <see cref="FileNotFoundException"/> when there is nothing there, else <see cref="InvalidDataException"/>.</remarks>
/// <example>
/// <code>
/// byte[] bytes = BoundedFile.ReadAllBytes("digit.png", 64_000_000, "an image");
/// </code>
/// </example>
public static class BoundedFile
{
    /// <summary>Opens a regular file for reading, after the checks above; the caller disposes the stream.</summary>
    /// <param name="path">The file, or a symbolic link to one.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file should be, with its article, for messages: <c>a model file</c>.</param>
    /// <param name="length">The file's length, read from the open handle: 1 to <paramref name="maxBytes"/>.</param>
    /// <returns>The open stream, at position 0.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">Nothing is there (or a symbolic link names nothing).</exception>
    /// <exception cref="InvalidDataException">A folder, a special file, an empty file, or one over <paramref name="maxBytes"/>.</exception>
    /// <exception cref="IOException">The file could not be opened (permission denied, …).</exception>
    public static FileStream OpenRead(string path, long maxBytes, string what, out long length)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        Preconditions.CheckNotNull(what, nameof(what));
        if (path.Length == 0)
        {
            throw new ArgumentException($"The path of {what} is empty.", nameof(path));
        }

        switch (FileKinds.Of(path, followLinks: true))
        {
            case FileKind.Missing:
                throw FileKinds.Of(path, followLinks: false) == FileKind.SymbolicLink
                    ? new FileNotFoundException($"{path}: is a symbolic link to {new FileInfo(path).LinkTarget}, which does not exist.", path)
                    : new FileNotFoundException($"{path}: no such file.", path);
            case FileKind.Directory:
                throw new InvalidDataException($"{path}: is a folder, not {what}.");
            case FileKind.Special:
                throw new InvalidDataException($"{path}: is not a regular file (a device, a pipe or a socket), so it is not {what}; nothing was read.");
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"{path}: cannot be read (permission denied).", e);
        }

        length = stream.Length; // from the handle: the file just opened, whatever the path names by now
        if (length == 0 || length > maxBytes)
        {
            stream.Dispose();
            throw new InvalidDataException(length == 0
                ? $"{Path.GetFileName(path)}: the file is empty, so it is not {what}."
                : $"{Path.GetFileName(path)}: {length:N0} bytes, more than the {maxBytes:N0} bytes allowed for {what}.");
        }

        return stream;
    }

    /// <summary>Reads all of a regular file of at most <paramref name="maxBytes"/> bytes, after the checks of <see cref="OpenRead"/>.</summary>
    /// <param name="path">The file, or a symbolic link to one.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file should be, with its article, for messages: <c>a model file</c>.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="InvalidDataException">Not a regular file of 1 to <paramref name="maxBytes"/> bytes, or it changed size while it was read.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        using FileStream stream = OpenRead(path, maxBytes, what, out long length);
        var bytes = new byte[length];
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read != bytes.Length || stream.ReadByte() != -1)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)}: the file changed size while it was read ({length:N0} bytes expected); is another program writing it?");
        }

        return bytes;
    }
}
