using System.Buffers.Binary;
using System.IO.Compression;

namespace DeepLearning.Data;

/// <summary>
/// Reads and writes IDX files, the format of MNIST: a big-endian header — two zero bytes, a type byte (0x08 for unsigned
/// bytes), the number of dimensions, then each dimension as a 32-bit integer — followed by the data. Images use magic
/// 0x00000803 (count, rows, columns); labels use 0x00000801 (count). Files may be gzip-compressed (<c>.gz</c>).
/// </summary>
/// <remarks>
/// Reading checks the magic, the number of dimensions, the sizes and the length of the data, and throws
/// <see cref="InvalidDataException"/> naming the file and the problem. The header is never trusted to size an allocation:
/// a raw file's data must fit in the file, and a gzip file is decompressed in chunks as its bytes arrive.
/// Writing goes to a temporary file that is renamed when complete.
/// </remarks>
public static class IdxFile
{
    /// <summary>The magic number of an IDX file of unsigned-byte images (three dimensions).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>The magic number of an IDX file of unsigned-byte labels (one dimension).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads an image file (magic 0x00000803), raw or gzip-compressed.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The images.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX image file; the message says why.</exception>
    public static IdxImages ReadImages(string path)
    {
        (int[] dimensions, byte[] data) = Read(path, ImagesMagic, "images");
        return new IdxImages(dimensions[0], dimensions[1], dimensions[2], data);
    }

    /// <summary>Reads a label file (magic 0x00000801), raw or gzip-compressed.</summary>
    /// <param name="path">The file.</param>
    /// <returns>One byte per label.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX label file; the message says why.</exception>
    public static byte[] ReadLabels(string path) => Read(path, LabelsMagic, "labels").Data;

    /// <summary>Writes images as an IDX file (magic 0x00000803); gzip-compressed when the path ends in <c>.gz</c>.</summary>
    /// <param name="path">The file to write; replaced atomically.</param>
    /// <param name="images">The images.</param>
    /// <exception cref="ArgumentException">The pixel count does not match Count·Height·Width.</exception>
    public static void WriteImages(string path, IdxImages images)
    {
        Preconditions.CheckNotNull(images, nameof(images));
        if ((long)images.Count * images.Height * images.Width != images.Pixels.Length || images.Count < 0 || images.Height < 0 || images.Width < 0)
        {
            throw new ArgumentException($"images has {images.Pixels.Length} pixels, but {images.Count} images of {images.Height}×{images.Width} need {(long)images.Count * images.Height * images.Width}.", nameof(images));
        }

        Write(path, ImagesMagic, [images.Count, images.Height, images.Width], images.Pixels);
    }

    /// <summary>Writes labels as an IDX file (magic 0x00000801); gzip-compressed when the path ends in <c>.gz</c>.</summary>
    /// <param name="path">The file to write; replaced atomically.</param>
    /// <param name="labels">One byte per label.</param>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels) => Write(path, LabelsMagic, [labels.Length], labels.ToArray());

    private static void Write(string path, int magic, int[] dimensions, byte[] data)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        AtomicFile.Write(path, file =>
        {
            using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionLevel.SmallestSize, leaveOpen: true)
                : new NonClosingStream(file);
            Span<byte> header = stackalloc byte[4 * (1 + dimensions.Length)];
            BinaryPrimitives.WriteInt32BigEndian(header, magic);
            for (int i = 0; i < dimensions.Length; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(header[(4 * (i + 1))..], dimensions[i]);
            }

            stream.Write(header);
            stream.Write(data);
        });
    }

    private static (int[] Dimensions, byte[] Data) Read(string path, int expectedMagic, string what)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        string name = Path.GetFileName(path);
        using FileStream file = File.OpenRead(path);
        bool gzip = file.Length >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            Span<byte> word = stackalloc byte[4];
            if (!TryReadExactly(stream, word))
            {
                throw new InvalidDataException($"{name}: the file is too short to be an IDX file (it ends before the 4-byte magic number).");
            }

            int magic = BinaryPrimitives.ReadInt32BigEndian(word);
            int rank = expectedMagic & 0xff;
            if (magic != expectedMagic)
            {
                string found = (magic & ~0xffff) == 0 && (magic & 0xff00) == 0x0800
                    ? $"an IDX file of unsigned bytes with {magic & 0xff} dimension(s)"
                    : "not an IDX file";
                throw new InvalidDataException(
                    $"{name}: wrong magic number 0x{magic:x8}, expected 0x{expectedMagic:x8} for IDX {what} ({rank} dimension(s)); this is {found}.");
            }

            var dimensions = new int[rank];
            long expectedBytes = 1;
            for (int i = 0; i < rank; i++)
            {
                if (!TryReadExactly(stream, word))
                {
                    throw new InvalidDataException($"{name}: truncated header: it ends before dimension {i + 1} of {rank}.");
                }

                dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(word);
                if (dimensions[i] < 0 || (i > 0 && dimensions[i] == 0))
                {
                    throw new InvalidDataException($"{name}: dimension {i + 1} is {dimensions[i]}, which is not a valid size.");
                }

                expectedBytes *= dimensions[i];
                if (expectedBytes > Array.MaxLength)
                {
                    throw new InvalidDataException($"{name}: the header claims {string.Join("×", dimensions[..(i + 1)])} bytes of {what}, more than any file this reader accepts.");
                }
            }

            long headerBytes = 4 * (1 + rank);
            if (!gzip && file.Length - headerBytes < expectedBytes)
            {
                throw new InvalidDataException(
                    $"{name}: truncated: the header claims {Describe(dimensions)} = {expectedBytes} bytes of {what}, but the file holds only {file.Length - headerBytes} after its {headerBytes}-byte header.");
            }

            byte[] data = gzip ? ReadGrowing(stream, expectedBytes) : new byte[expectedBytes];
            if (!gzip && !TryReadExactly(stream, data))
            {
                throw new InvalidDataException($"{name}: truncated while reading the {what}.");
            }

            if (data.Length < expectedBytes)
            {
                throw new InvalidDataException(
                    $"{name}: truncated: the header claims {Describe(dimensions)} = {expectedBytes} bytes of {what}, but the file holds only {data.Length}.");
            }

            if (stream.ReadByte() != -1)
            {
                throw new InvalidDataException($"{name}: the file holds more bytes than its header describes ({Describe(dimensions)}); it is corrupt or not an IDX file.");
            }

            return (dimensions, data);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name + ":", StringComparison.Ordinal))
        {
            // GZipStream's own complaint (corrupt or truncated compressed data), given the file's name.
            throw new InvalidDataException($"{name}: corrupt gzip data ({e.Message})", e);
        }
    }

    private static string Describe(int[] dimensions) => dimensions.Length switch
    {
        1 => $"{dimensions[0]} labels",
        3 => $"{dimensions[0]} images of {dimensions[1]}×{dimensions[2]}",
        _ => string.Join("×", dimensions),
    };

    /// <summary>Reads up to <paramref name="expected"/> bytes in chunks, so the allocation grows only with bytes really present.</summary>
    private static byte[] ReadGrowing(Stream stream, long expected)
    {
        const int Chunk = 1 << 20;
        var buffer = new byte[(int)Math.Min(expected, Chunk)];
        int filled = 0;
        while (filled < expected)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(expected, (long)buffer.Length * 2));
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                Array.Resize(ref buffer, filled);
                break;
            }

            filled += read;
        }

        return buffer;
    }

    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
        => stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;

    /// <summary>Lets a raw write share the using-pattern of a GZipStream without closing the underlying file early.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
