using System.Security.Cryptography;
using System.Text;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Serialization;

/// <summary>Model files written by an attacker or a broken disk: only <see cref="InvalidDataException"/> may escape, and nothing is allocated from a header.</summary>
public class ModelFileHostileTest
{
    [Fact]
    public void Load_HugeLayerWithAValidChecksum_IsRefusedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.File("huge.dlnn");
        File.WriteAllBytes(path, WithChecksum(Payload(int.MaxValue, int.MaxValue, "sigmoid", values: [])));

        Action act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("huge.dlnn: layer 1 claims 2,147,483,647→2,147,483,647 neurons (*), but only 0 bytes follow.");
    }

    [Fact]
    public void Load_BadStringLengthPrefix_IsInvalidData()
    {
        using var dir = new TempDirectory();
        byte[] payload = Payload(2, 1, "sigmoid", values: [1, 2, 3]);
        int kind = 11; // after magic, version, element size and layer count: the 7-bit length of "Dense"
        payload[kind] = 0xff;
        payload[kind + 1] = 0xff;
        payload[kind + 2] = 0xff;
        payload[kind + 3] = 0xff;
        payload[kind + 4] = 0xff;
        File.WriteAllBytes(dir.File("bad.dlnn"), WithChecksum(payload));

        Action act = () => ModelFile.Load<float>(dir.File("bad.dlnn"));

        act.Should().Throw<InvalidDataException>().WithMessage("bad.dlnn: *");
    }

    [Fact]
    public void Load_LongName_IsRefused()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("long.dlnn"), WithChecksum(Payload(2, 1, new string('x', 5000), values: [1, 2, 3])));

        Action act = () => ModelFile.Load<float>(dir.File("long.dlnn"));

        act.Should().Throw<InvalidDataException>().WithMessage("long.dlnn: layer 1's activation claims a length of 5000 bytes (at most 256).");
    }

    [Theory]
    [InlineData(new byte[] { 2 }, "unknown section 2 at the end of the file")]
    [InlineData(new byte[] { 1, 0, 0, 0, 0 }, "the metadata claims 0 entries (a model file holds 1 to 1,000)")]
    [InlineData(new byte[] { 1, 0xff, 0xff, 0xff, 0x7f }, "the metadata claims 2147483647 entries*")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 0, 1, (byte)'x' }, "metadata entry 1: a key is empty")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 6, (byte)'f', (byte)'o', (byte)'r', (byte)'m', (byte)'a', (byte)'t', 0 }, "metadata entry 1: the key 'format' is reserved*")]
    [InlineData(new byte[] { 1, 2, 0, 0, 0, 1, (byte)'k', 0, 1, (byte)'k', 0 }, "the metadata holds 'k' twice")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 1, (byte)'k', 0, 9 }, "unexpected bytes after the metadata")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 1, (byte)'k', 0x80, 0x80, 0x10 }, "the metadata value of 'k' claims a length of 262144 bytes (at most 65536)")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 1, 0xff, 0 }, "the model file is malformed (a name or setting in it is not UTF-8 text).")]
    [InlineData(new byte[] { 1, 1, 0, 0, 0, 1, (byte)'k', 2, 0xc3, 0x28 }, "the model file is malformed (a name or setting in it is not UTF-8 text).")]
    public void Load_CraftedMetadataSection_OneLineNamingTheProblem(byte[] section, string message)
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(2, seed: 1).Dense(1).Build(Loss.MeanSquaredError);
        ModelFile.Save(network, dir.File("plain.dlnn"));
        byte[] plain = File.ReadAllBytes(dir.File("plain.dlnn"));
        File.WriteAllBytes(dir.File("m.dlnn"), WithChecksum([.. plain[..^32], .. section]));

        Action act = () => ModelFile.Load<float>(dir.File("m.dlnn"));

        act.Should().Throw<InvalidDataException>().WithMessage($"m.dlnn: {message}*");
    }

    [Fact]
    public void Save_MetadataBreakingARule_IsRefusedBeforeWriting()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(2, seed: 1).Dense(1).Build(Loss.MeanSquaredError);
        network.Metadata["deeplearning.layers"] = "mine";

        Action act = () => ModelFile.Save(network, dir.File("m.dlnn"));

        act.Should().Throw<NotSupportedException>().WithMessage("*its metadata breaks a rule: the key 'deeplearning.layers' is reserved*");
        File.Exists(dir.File("m.dlnn")).Should().BeFalse();
        network.Metadata.Clear();
        network.Metadata["big"] = new string('x', 65_537);
        FluentActions.Invoking(() => SafeTensors.Save(network, dir.File("m.safetensors"))).Should().Throw<NotSupportedException>().WithMessage("*the value of 'big' is longer than 65,536 bytes*");
    }

    [Fact]
    public void Save_WithoutMetadata_IsFormat4AsBefore_AndWithIt_RoundTrips()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(2, seed: 1).Dense(1).Build(Loss.MeanSquaredError);
        ModelFile.Save(network, dir.File("plain.dlnn"));
        network.Metadata["b"] = "2";
        network.Metadata["a"] = "ünïcode\nand a line break";
        ModelFile.Save(network, dir.File("with.dlnn"));

        byte[] plain = File.ReadAllBytes(dir.File("plain.dlnn")), with = File.ReadAllBytes(dir.File("with.dlnn"));
        with.AsSpan(0, plain.Length - 32).SequenceEqual(plain.AsSpan(0, plain.Length - 32)).Should().BeTrue("the metadata section follows what a file without it holds");
        ModelFile.Load<float>(dir.File("plain.dlnn")).Metadata.Should().BeEmpty();
        ModelFile.Load<float>(dir.File("with.dlnn")).Metadata.Should().Equal(network.Metadata);
        ModelFile.Load<float>(dir.File("with.dlnn")).Metadata.Keys.Should().Equal("a", "b");
    }

    [Fact]
    public void Load_DevZero_IsRefusedWithoutReading()
    {
        Action act = () => ModelFile.Load<float>("/dev/zero");

        act.Should().Throw<InvalidDataException>().WithMessage("/dev/zero: is not a regular file (a device, a pipe or a socket), so it is not a model file; nothing was read.");
    }

    [Fact]
    public void Load_Folder_SaysItIsAFolder()
    {
        using var dir = new TempDirectory();

        Action act = () => ModelFile.Load<float>(dir.Path);

        act.Should().Throw<InvalidDataException>().WithMessage("*: is a folder, not a model file.");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void Load_NonFiniteWeight_IsRefusedNamingIt(float bad)
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("nan.dlnn"), WithChecksum(Payload(2, 1, "sigmoid", values: [1, bad, 3])));

        Action act = () => ModelFile.Load<float>(dir.File("nan.dlnn"));

        act.Should().Throw<InvalidDataException>().WithMessage("nan.dlnn: layer 1's Dense(2→1).Weights[1, 0] is *; a model's weights and biases must be finite*");
    }

    [Fact]
    public void Save_NonFiniteWeight_IsRefusedAndWritesNothing()
    {
        using var dir = new TempDirectory();
        var layer = new Dense<double>(2, 1);
        layer.Weights[1, 0] = double.NaN;

        Action act = () => ModelFile.Save(new Network<double>(layer), dir.File("m.dlnn"));

        act.Should().Throw<ArgumentException>().WithMessage("Dense(2→1).Weights holds NaN at index 1; a network with non-finite weights*");
        Directory.GetFiles(dir.Path).Should().BeEmpty();
    }

    [Fact]
    public void Load_SeededMutations_OnlyInvalidDataExceptionEscapes()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(5, seed: 2).Dense(4, Activation.ReLU).Dense(3).Build();
        string good = dir.File("good.dlnn");
        ModelFile.Save(network, good);
        byte[] original = File.ReadAllBytes(good);
        byte[] payload = original[..^32];
        var random = new Random(20261127);
        int accepted = 0;
        for (int trial = 0; trial < 600; trial++)
        {
            byte[] mutated = Mutate(payload, random, trial);
            bool fixChecksum = trial % 3 != 0; // most mutations keep a valid checksum, so the parser itself is exercised
            byte[] file = fixChecksum ? WithChecksum(mutated) : [.. mutated, .. original[^32..]];
            string path = dir.File($"m{trial}.dlnn");
            File.WriteAllBytes(path, file);
            try
            {
                ModelFile.Load<double>(path);
                accepted++;
            }
            catch (InvalidDataException e)
            {
                e.Message.Should().StartWith($"m{trial}.dlnn:").And.NotContain("\n");
            }
        }

        accepted.Should().BeLessThan(300, "most mutations break the file; those that do not (a changed weight) load");
    }

    /// <summary>Byte flips, truncations, insertions and 32-bit size fields set to extremes.</summary>
    internal static byte[] Mutate(byte[] data, Random random, int trial)
    {
        byte[] copy = (byte[])data.Clone();
        switch (trial % 5)
        {
            case 0:
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            case 2:
                int at = random.Next(copy.Length);
                return [.. copy[..at], .. Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256)), .. copy[at..]];
            default:
                int offset = random.Next(Math.Max(1, copy.Length - 4));
                int[] extremes = [int.MaxValue, int.MinValue, -1, 0, 1 << 30, 65537, 0x7FFFFFC7];
                BitConverter.TryWriteBytes(copy.AsSpan(offset), extremes[random.Next(extremes.Length)]);
                return copy;
        }
    }

    internal static byte[] Payload(int inputs, int outputs, string activation, float[] values)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("DLNN"u8);
            writer.Write((ushort)1);
            writer.Write((byte)4);
            writer.Write(1);
            writer.Write("Dense");
            writer.Write(inputs);
            writer.Write(outputs);
            writer.Write(activation);
            writer.Write(false);
            foreach (float v in values)
            {
                writer.Write(v);
            }
        }

        return stream.ToArray();
    }

    internal static byte[] WithChecksum(byte[] payload) => [.. payload, .. SHA256.HashData(payload)];
}
