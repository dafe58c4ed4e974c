using System.Buffers.Binary;
using System.IO.Compression;
using DeepLearning.Data;

namespace DeepLearning.Tests.Data;

public class IdxFileTest
{
    private static readonly IdxImages ThreeImages = new(3, 2, 2, [0, 1, 2, 3, 10, 11, 12, 13, 250, 251, 252, 255]);

    [Theory]
    [InlineData("images")]
    [InlineData("images.gz")]
    public void WriteImagesThenRead_RoundTrips(string name)
    {
        using var dir = new TempDirectory();

        IdxFile.WriteImages(dir.File(name), ThreeImages);
        IdxImages read = IdxFile.ReadImages(dir.File(name));

        read.Count.Should().Be(3);
        read.Height.Should().Be(2);
        read.Width.Should().Be(2);
        read.Pixels.Should().Equal(ThreeImages.Pixels);
    }

    [Fact]
    public void WriteImages_Raw_HasBigEndianHeaderWithMagic0x803()
    {
        using var dir = new TempDirectory();

        IdxFile.WriteImages(dir.File("images"), ThreeImages);
        byte[] bytes = File.ReadAllBytes(dir.File("images"));

        bytes.Take(16).Should().Equal(0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2);
        bytes.Length.Should().Be(16 + 12);
        Directory.GetFiles(dir.Path).Should().ContainSingle("no temporary file is left behind");
    }

    [Theory]
    [InlineData("labels")]
    [InlineData("labels.gz")]
    public void WriteLabelsThenRead_RoundTrips(string name)
    {
        using var dir = new TempDirectory();

        IdxFile.WriteLabels(dir.File(name), [7, 2, 1, 0]);

        IdxFile.ReadLabels(dir.File(name)).Should().Equal(7, 2, 1, 0);
    }

    [Fact]
    public void ReadImages_LabelFile_WrongMagicNamesFileAndBothMagics()
    {
        using var dir = new TempDirectory();
        IdxFile.WriteLabels(dir.File("train-labels-idx1-ubyte"), [1, 2]);

        Action act = () => IdxFile.ReadImages(dir.File("train-labels-idx1-ubyte"));

        act.Should().Throw<InvalidDataException>()
            .WithMessage("train-labels-idx1-ubyte: wrong magic number 0x00000801, expected 0x00000803 for IDX images (3 dimension(s)); this is an IDX file of unsigned bytes with 1 dimension(s).");
    }

    [Fact]
    public void ReadLabels_ForeignFile_SaysNotAnIdxFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("notes.txt"), "hello, world");

        Action act = () => IdxFile.ReadLabels(dir.File("notes.txt"));

        act.Should().Throw<InvalidDataException>().WithMessage("notes.txt: wrong magic number 0x68656c6c*this is not an IDX file.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_Truncated_SaysHowMuchIsMissing(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File(gzip ? "images.gz" : "images");
        WriteRaw(path, gzip, Header(0x803, 3, 2, 2), new byte[10]); // 12 pixels claimed, 10 present

        Action act = () => IdxFile.ReadImages(path);

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"{Path.GetFileName(path)}: truncated: the header claims 3 images of 2×2 = 12 bytes of images, but the file holds only 10*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_HeaderClaimsHugeCount_FailsWithoutAllocatingIt(bool gzip)
    {
        using var dir = new TempDirectory();
        string path = dir.File(gzip ? "huge.gz" : "huge");
        WriteRaw(path, gzip, Header(0x803, 2_000_000_000, 28, 28), new byte[100]);

        Action act = () => IdxFile.ReadImages(path);

        act.Should().Throw<InvalidDataException>().WithMessage("huge*: the header claims 2000000000×28 bytes of images, more than any file this reader accepts.");
    }

    [Fact]
    public void ReadImages_HeaderClaimsMoreThanFileButFitsInMemory_SaysTruncated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("images.gz");
        WriteRaw(path, gzip: true, Header(0x803, 60000, 28, 28), new byte[784]);

        Action act = () => IdxFile.ReadImages(path);

        act.Should().Throw<InvalidDataException>().WithMessage("images.gz: truncated: the header claims 60000 images of 28×28 = 47040000 bytes*holds only 784.");
    }

    [Fact]
    public void ReadLabels_ExtraBytes_SaysCorrupt()
    {
        using var dir = new TempDirectory();
        WriteRaw(dir.File("labels"), false, Header(0x801, 2), [1, 2, 3]);

        Action act = () => IdxFile.ReadLabels(dir.File("labels"));

        act.Should().Throw<InvalidDataException>().WithMessage("labels: the file holds more bytes than its header describes (2 labels)*");
    }

    [Fact]
    public void ReadLabels_CorruptGzip_NamesFile()
    {
        using var dir = new TempDirectory();
        IdxFile.WriteLabels(dir.File("labels.gz"), new byte[5000]);
        byte[] bytes = File.ReadAllBytes(dir.File("labels.gz"));
        File.WriteAllBytes(dir.File("labels.gz"), bytes[..(bytes.Length / 2)].Concat(new byte[] { 0xff, 0xff, 0xff }).ToArray());

        Action act = () => IdxFile.ReadLabels(dir.File("labels.gz"));

        act.Should().Throw<InvalidDataException>().WithMessage("labels.gz: *");
    }

    [Fact]
    public void ReadLabels_EmptyFile_SaysTooShort()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("empty"), []);

        Action act = () => IdxFile.ReadLabels(dir.File("empty"));

        act.Should().Throw<InvalidDataException>().WithMessage("empty: the file is empty, so it is not an IDX labels file.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(9)]
    public void ReadLabels_GzipMissingItsLastBytes_IsRefused(int missing)
    {
        using var dir = new TempDirectory();
        IdxFile.WriteLabels(dir.File("labels.gz"), Enumerable.Range(0, 3000).Select(i => (byte)(i % 10)).ToArray());
        byte[] bytes = File.ReadAllBytes(dir.File("labels.gz"));
        File.WriteAllBytes(dir.File("labels.gz"), bytes[..^missing]);

        Action act = () => IdxFile.ReadLabels(dir.File("labels.gz"));

        act.Should().Throw<InvalidDataException>().WithMessage("labels.gz: *");
    }

    [Fact]
    public void ReadLabels_GzipFollowedByGarbage_IsRefusedNamingTheTrailer()
    {
        using var dir = new TempDirectory();
        IdxFile.WriteLabels(dir.File("labels.gz"), new byte[3000]);
        File.AppendAllText(dir.File("labels.gz"), "garbage!");

        Action act = () => IdxFile.ReadLabels(dir.File("labels.gz"));

        act.Should().Throw<InvalidDataException>().WithMessage("labels.gz: the gzip trailer does not match the data*");
    }

    [Fact]
    public void ReadLabels_GzipWithAFlippedDataBit_IsRefused()
    {
        using var dir = new TempDirectory();
        IdxFile.WriteLabels(dir.File("labels.gz"), Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray());
        byte[] bytes = File.ReadAllBytes(dir.File("labels.gz"));
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(dir.File("labels.gz"), bytes);

        Action act = () => IdxFile.ReadLabels(dir.File("labels.gz"));

        act.Should().Throw<InvalidDataException>().WithMessage("labels.gz: *");
    }

    [Fact]
    public void ReadLabels_Folder_SaysItIsAFolder()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("train-labels-idx1-ubyte"));

        Action act = () => IdxFile.ReadLabels(dir.File("train-labels-idx1-ubyte"));

        act.Should().Throw<InvalidDataException>().WithMessage("*train-labels-idx1-ubyte: is a folder, not an IDX labels file.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_SeededMutations_OnlyInvalidDataExceptionEscapes(bool gzip)
    {
        using var dir = new TempDirectory();
        string name = gzip ? "images.gz" : "images";
        IdxFile.WriteImages(dir.File(name), new IdxImages(4, 5, 3, [.. Enumerable.Range(0, 60).Select(i => (byte)(i * 13))]));
        byte[] original = File.ReadAllBytes(dir.File(name));
        var random = new Random(gzip ? 11 : 10);
        for (int trial = 0; trial < 400; trial++)
        {
            byte[] mutated = Serialization.ModelFileHostileTest.Mutate(original, random, trial);
            string path = dir.File($"m{trial}" + (gzip ? ".gz" : string.Empty));
            File.WriteAllBytes(path, mutated);
            try
            {
                IdxFile.ReadImages(path);
            }
            catch (InvalidDataException e)
            {
                e.Message.Should().Contain($"m{trial}").And.NotContain("\n");
            }
        }
    }

    internal static byte[] Header(int magic, params int[] dimensions)
    {
        var header = new byte[4 * (dimensions.Length + 1)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 * (i + 1)), dimensions[i]);
        }

        return header;
    }

    internal static void WriteRaw(string path, bool gzip, byte[] header, byte[] body)
    {
        using FileStream file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(header);
        stream.Write(body);
    }
}
