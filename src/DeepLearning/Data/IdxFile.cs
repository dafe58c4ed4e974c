using System.Buffers.Binary;
using System.IO.Compression;

using DeepLearning.IO;

namespace DeepLearning.Data;

/// <summary>
/// Reads and writes IDX files, the format of MNIST: a big-endian header — two zero bytes, a type byte (0x08 for unsigned
/// bytes), the number of dimensions, then each dimension as a 32-bit integer — followed by the data. Images use magic
/// 0x00000803 (count, rows, columns); labels use 0x00000801 (count). Files may be gzip-compressed (<c>.gz</c>).
/// </summary>
/// <remarks>
/// Reading checks the magic, the number of dimensions, the sizes and the length of the data, and throws
/// <see cref="InvalidDataException"/> naming the file and the problem. The header is never trusted to size an allocation:
/// a raw file's data must fit in the file, and a gzip file is decompressed in chunks as its bytes arrive. A gzip file
/// (one member, RFC 1952) must end with the CRC-32 and length of its uncompressed data, which are verified, so a file cut
/// short or followed by other bytes is refused. Folders, devices and pipes are refused without being read.
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

    /// <summary>The largest IDX file read, raw or compressed: <see cref="Array.MaxLength"/> bytes (about 2 GiB).</summary>
    private const long MaxFileBytes = 0x7FFFFFC7;

    private static (int[] Dimensions, byte[] Data) Read(string path, int expectedMagic, string what)
    {
        Preconditions.CheckNotNull(path, nameof(path));
        string name = Path.GetFileName(path);
        using FileStream file = BoundedFile.OpenRead(path, MaxFileBytes, $"an IDX {what} file", out long length);
        bool gzip = length >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        if (!gzip)
        {
            return ReadIdx(file, length, name, expectedMagic, what);
        }

        // A gzip file (RFC 1952): header, deflate data, then CRC-32 and ISIZE of the uncompressed bytes in its last 8 bytes.
        // The whole compressed file is read first (it is at most the size of the file), so that the trailer can be checked.
        byte[] compressed = new byte[length];
        file.ReadExactly(compressed);
        int start = GzipDataOffset(compressed, name);
        using var deflate = new DeflateStream(new MemoryStream(compressed, start, compressed.Length - start - 8, writable: false), CompressionMode.Decompress);
        var checksum = new CrcStream(deflate);
        try
        {
            (int[] dimensions, byte[] data) = ReadIdx(checksum, null, name, expectedMagic, what);
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 8));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(compressed.AsSpan(compressed.Length - 4));
            if (crc != checksum.Crc || size != (uint)checksum.Length)
            {
                throw new InvalidDataException(
                    $"{name}: the gzip trailer does not match the data (CRC-32 0x{checksum.Crc:x8} and {checksum.Length} bytes, trailer says 0x{crc:x8} and {size}): the file is truncated, corrupt, or has bytes after its end.");
            }

            return (dimensions, data);
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(name + ":", StringComparison.Ordinal))
        {
            // DeflateStream's own complaint: the compressed data is damaged.
            throw new InvalidDataException($"{name}: corrupt gzip data: the compressed bytes cannot be decoded (the file is damaged or truncated).", e);
        }
    }

    /// <summary>Checks a gzip header (RFC 1952) and returns where its deflate data starts.</summary>
    private static int GzipDataOffset(byte[] gz, string name)
    {
        const int Text = 1, HeaderCrc = 2, Extra = 4, Name = 8, Comment = 16;
        if (gz.Length < 18)
        {
            throw new InvalidDataException($"{name}: truncated gzip file ({gz.Length} bytes; even an empty one has 20).");
        }

        if (gz[2] != 8)
        {
            throw new InvalidDataException($"{name}: gzip compression method {gz[2]} is not deflate (8); the file is corrupt.");
        }

        int flags = gz[3];
        if ((flags & ~(Text | HeaderCrc | Extra | Name | Comment)) != 0)
        {
            throw new InvalidDataException($"{name}: gzip header has reserved flag bits set (0x{flags:x2}); the file is corrupt.");
        }

        int position = 10;
        if ((flags & Extra) != 0)
        {
            position += 2 + BinaryPrimitives.ReadUInt16LittleEndian(gz.AsSpan(position));
        }

        foreach (int zeroTerminated in new[] { Name, Comment })
        {
            if ((flags & zeroTerminated) != 0)
            {
                int end = Array.IndexOf(gz, (byte)0, Math.Min(position, gz.Length));
                position = end < 0 ? int.MaxValue : end + 1;
            }
        }

        if ((flags & HeaderCrc) != 0)
        {
            position = position > int.MaxValue - 2 ? int.MaxValue : position + 2;
        }

        if (position > gz.Length - 8)
        {
            throw new InvalidDataException($"{name}: truncated gzip file: it ends inside its header.");
        }

        return position;
    }

    /// <summary>Reads the IDX header and data from a stream; <paramref name="rawLength"/> is the file's length when it is not compressed.</summary>
    private static (int[] Dimensions, byte[] Data) ReadIdx(Stream stream, long? rawLength, string name, int expectedMagic, string what)
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

            expectedBytes = checked(expectedBytes * dimensions[i]); // at most 2³¹ · (2³¹ − 65) after the check below: no wrap
            if (expectedBytes > Array.MaxLength)
            {
                throw new InvalidDataException($"{name}: the header claims {string.Join("×", dimensions[..(i + 1)])} bytes of {what}, more than any file this reader accepts.");
            }
        }

        long headerBytes = 4 * (1 + rank);
        if (rawLength is { } fileLength && fileLength - headerBytes < expectedBytes)
        {
            throw new InvalidDataException(
                $"{name}: truncated: the header claims {Describe(dimensions)} = {expectedBytes} bytes of {what}, but the file holds only {fileLength - headerBytes} after its {headerBytes}-byte header.");
        }

        // A raw file's size was checked above; compressed data is read in growing chunks, so the allocation follows the
        // bytes really present, never the header's claim alone.
        byte[] data = rawLength is null ? ReadGrowing(stream, expectedBytes) : new byte[expectedBytes];
        if (rawLength is not null && !TryReadExactly(stream, data))
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

    /// <summary>Passes reads through and computes the CRC-32 (gzip's, System.IO.Hashing) and length of every byte read.</summary>
    private sealed class CrcStream(Stream inner) : Stream
    {
        private readonly System.IO.Hashing.Crc32 _crc = new();

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        private long _length;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            _crc.Append(buffer[..read]);
            _length += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

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
