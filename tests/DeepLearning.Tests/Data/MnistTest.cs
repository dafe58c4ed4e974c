using DeepLearning.Data;

namespace DeepLearning.Tests.Data;

[Collection(EnvironmentCollection.Name)]
public class MnistTest
{
    [Fact]
    public void Load_FolderWithRawAndGzipFiles_LoadsBothSets()
    {
        using var dir = new TempDirectory();
        WriteSmallMnist(dir.Path, train: 5, test: 3);

        MnistData<float> data = Mnist.Load<float>(dir.Path);

        data.Training.Count.Should().Be(5);
        data.Test.Count.Should().Be(3);
        data.Training.Inputs.Columns.Should().Be(784);
        data.Training.Labels.Should().Equal(0, 1, 2, 3, 4);
        data.Training.Inputs[1, 0].Should().BeApproximately(0.2f, 1e-6f, "image 1 of the helper is filled with 51, and 51/255 = 0.2");
        Mnist.IsComplete(dir.Path).Should().BeTrue();
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        using var dir = new TempDirectory();
        WriteSmallMnist(dir.Path, 2, 2);
        File.Delete(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz"));

        Action act = () => Mnist.Load<float>(dir.Path);

        act.Should().Throw<FileNotFoundException>().WithMessage("*has no t10k-labels-idx1-ubyte (nor t10k-labels-idx1-ubyte.gz).");
        Mnist.IsComplete(dir.Path).Should().BeFalse();
    }

    [Fact]
    public void Load_DamagedRawBesideAGoodGzip_ReadsTheGzip()
    {
        using var dir = new TempDirectory();
        WriteSmallMnist(dir.Path, 5, 3);
        File.WriteAllBytes(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte"), [1, 2, 3]); // a damaged raw copy
        MnistData<float> data = Mnist.Load<float>(dir.Path);

        data.Test.Labels.Should().Equal(0, 1, 2);
    }

    [Fact]
    public void Load_FolderNamedLikeADataFile_SaysItIsAFolder()
    {
        using var dir = new TempDirectory();
        WriteSmallMnist(dir.Path, 2, 2);
        File.Delete(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte"));

        Action act = () => Mnist.Load<float>(dir.Path);

        act.Should().Throw<InvalidDataException>().WithMessage("*t10k-labels-idx1-ubyte: is a folder, not an IDX labels file.");
    }

    [Fact]
    public void Load_CountMismatch_NamesBothFiles()
    {
        using var dir = new TempDirectory();
        WriteSmallMnist(dir.Path, 4, 2);
        IdxFile.WriteLabels(Path.Combine(dir.Path, "train-labels-idx1-ubyte"), [1, 2, 3]);

        Action act = () => Mnist.Load<float>(dir.Path);

        act.Should().Throw<InvalidDataException>()
            .WithMessage("train-images-idx3-ubyte holds 4 images but train-labels-idx1-ubyte holds 3 labels; the counts must match.");
    }

    [Fact]
    public void Load_LabelNotADigit_NamesIndex()
    {
        using var dir = new TempDirectory();
        WriteSmallMnist(dir.Path, 3, 2);
        IdxFile.WriteLabels(Path.Combine(dir.Path, "train-labels-idx1-ubyte"), [1, 12, 3]);

        Action act = () => Mnist.Load<float>(dir.Path);

        act.Should().Throw<InvalidDataException>().WithMessage("train-labels-idx1-ubyte: label 12 at index 1 is not a digit 0–9.");
    }

    [Fact]
    public void DefaultCacheDirectory_HonoursXdgCacheHome()
    {
        string? saved = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        try
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", "/tmp/some-cache");
            Mnist.DefaultCacheDirectory.Should().Be("/tmp/some-cache/deeplearning/mnist");
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", null);
            Mnist.DefaultCacheDirectory.Should().EndWith("/.cache/deeplearning/mnist");
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_CACHE_HOME", saved);
        }
    }

    /// <summary>Writes the four files: training images raw, the rest gzip; image i is filled with (i·51) mod 256, label i mod 10.</summary>
    internal static void WriteSmallMnist(string directory, int train, int test)
    {
        static IdxImages Images(int count)
        {
            var pixels = new byte[count * 784];
            for (int i = 0; i < count; i++)
            {
                pixels.AsSpan(i * 784, 784).Fill((byte)(i * 51 % 256));
            }

            return new IdxImages(count, 28, 28, pixels);
        }

        static byte[] Labels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();

        IdxFile.WriteImages(Path.Combine(directory, "train-images-idx3-ubyte"), Images(train));
        IdxFile.WriteLabels(Path.Combine(directory, "train-labels-idx1-ubyte"), Labels(train));
        IdxFile.WriteImages(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), Images(test));
        IdxFile.WriteLabels(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), Labels(test));
    }
}
