namespace DeepLearning.IO;

/// <summary>
/// Reads whole files whose size is known before a single byte is read: a folder, a device, a pipe or a file over a cap is
/// refused with an <see cref="InvalidDataException"/> naming the file, so that no reader ever allocates from what a file
/// claims or reads without end (<c>/dev/zero</c>).
/// </summary>
internal static class BoundedFile
{
    /// <summary>Reads all of a regular file of at most <paramref name="maxBytes"/> bytes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <param name="what">What the file should be, with its article, for messages: "a model file".</param>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        long length = CheckRegular(path, maxBytes, what);
        string name = Path.GetFileName(path);
        var bytes = new byte[length];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read != bytes.Length || stream.ReadByte() != -1)
        {
            throw new InvalidDataException($"{name}: the file changed size while it was read ({length:N0} bytes expected); is another program writing it?");
        }

        return bytes;
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is a regular file of 1 to <paramref name="maxBytes"/> bytes and returns its length.
    /// Special files (devices, pipes, sockets) report a length of 0 and are refused without being opened.
    /// </summary>
    public static long CheckRegular(string path, long maxBytes, string what)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        string name = Path.GetFileName(path);
        if (Directory.Exists(path))
        {
            throw new InvalidDataException($"{path}: is a folder, not {what}.");
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"{path}: no such file.", path);
        }

        long length = info.Length;
        if (length == 0)
        {
            throw new InvalidDataException($"{path}: the file is empty or not a regular file (a device or pipe has no size), so it is not {what}.");
        }

        if (length > maxBytes)
        {
            throw new InvalidDataException($"{name}: {length:N0} bytes, more than the {maxBytes:N0} bytes allowed for {what}.");
        }

        return length;
    }
}
