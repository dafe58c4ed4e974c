using System.IO.Compression;

namespace SiteServer;

/// <summary>Writes F.br (Brotli, quality 11) and F.gz (gzip, smallest) beside every file of a folder worth compressing.</summary>
internal static class Compression
{
    /// <summary>Already compressed, or shipped compressed on purpose (the Digits page's images are .gz files).</summary>
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        ".br", ".gz", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".zip", ".nupkg",
    };

    /// <summary>Smaller files gain too little to be worth a second request's bookkeeping.</summary>
    private const long SmallestWorthIt = 512;

    public static int CompressFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            Console.Error.WriteLine($"error: {folder} is not a folder");
            return 1;
        }

        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !Skipped.Contains(Path.GetExtension(f)) && new FileInfo(f).Length >= SmallestWorthIt)
            .Order(StringComparer.Ordinal)
            .ToList();
        long before = 0, brotli = 0, gzip = 0;
        object sums = new();
        Parallel.ForEach(files, file =>
        {
            long length = new FileInfo(file).Length;
            long br = Ensure(file, ".br", s => new BrotliStream(s, CompressionLevel.SmallestSize, leaveOpen: true),
                s => new BrotliStream(s, CompressionMode.Decompress));
            long gz = Ensure(file, ".gz", s => new GZipStream(s, CompressionLevel.SmallestSize, leaveOpen: true),
                s => new GZipStream(s, CompressionMode.Decompress));
            lock (sums)
            {
                before += length;
                brotli += br;
                gzip += gz;
            }
        });
        Console.WriteLine($"compressed {files.Count:N0} files of {folder}: {before / 1e6:0.0} MB → Brotli "
            + $"{brotli / 1e6:0.0} MB, gzip {gzip / 1e6:0.0} MB (a copy is kept only where it is smaller)");
        return 0;
    }

    /// <summary>
    /// The copy's length: an existing copy that decompresses to exactly the file is kept (the playground's publish makes
    /// its own, at the same levels); a copy that would not be at least 10% smaller is not written (nor kept), and the
    /// file is then sent as it is.
    /// </summary>
    private static long Ensure(string file, string suffix, Func<Stream, Stream> compressor, Func<Stream, Stream> decompressor)
    {
        string copy = file + suffix;
        var original = new FileInfo(file);
        if (File.Exists(copy) && IsCopyOf(copy, file, decompressor))
        {
            return new FileInfo(copy).Length;
        }

        using var buffer = new MemoryStream();
        using (Stream compressing = compressor(buffer))
        using (FileStream input = File.OpenRead(file))
        {
            input.CopyTo(compressing);
        }

        if (buffer.Length > original.Length * 9 / 10)
        {
            File.Delete(copy);
            return original.Length;
        }

        string temporary = copy + ".tmp";
        File.WriteAllBytes(temporary, buffer.ToArray());
        File.Move(temporary, copy, overwrite: true);
        return buffer.Length;
    }

    private static bool IsCopyOf(string copy, string file, Func<Stream, Stream> decompressor)
    {
        try
        {
            using var decompressed = new MemoryStream();
            using (FileStream input = File.OpenRead(copy))
            using (Stream decompressing = decompressor(input))
            {
                decompressing.CopyTo(decompressed);
            }

            return decompressed.GetBuffer().AsSpan(0, (int)decompressed.Length).SequenceEqual(File.ReadAllBytes(file));
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
