using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using DeepLearning.Compute;
using DeepLearning.Data;
using DeepLearning.IO;

namespace DeepLearning.Tests.IO;

/// <summary>
/// The file system as an attacker or a careless user arranges it: special files and symbolic links where files are
/// written or read, names at the file system's limit, look-alike temporary names, signals during a save.
/// </summary>
public class HostileFilesTest
{
    public static TheoryData<string> SpecialTargets => new() { "fifo", "/dev/null", "link-to-file", "link-to-nothing", "folder" };

    [Theory]
    [MemberData(nameof(SpecialTargets))]
    public void Write_TargetThatIsNotARegularFileOrNewPath_RefusedAndLeftAsItWas(string target)
    {
        using var dir = new TempDirectory();
        string path = Arrange(dir, target);
        string? before = target == "link-to-file" ? File.ReadAllText(dir.File("real")) : null;

        Action write = () => AtomicFile.WriteAllText(path, "x");
        Action check = () => AtomicFile.CheckWritable(path);

        check.Should().Throw<IOException>().Which.Message.Should().StartWith($"{path}: cannot write the file (").And.NotContain("\n");
        write.Should().Throw<IOException>().Which.Message.Should().StartWith($"{path}: cannot write the file (");
        if (target != "/dev/null")
        {
            FileKinds.Of(path, followLinks: false).Should().NotBe(FileKind.Regular, "the special file or link is still there, not replaced");
            Directory.GetFiles(dir.Path, "*.tmp*", SearchOption.AllDirectories).Should().BeEmpty();
        }

        if (before is not null)
        {
            File.ReadAllText(dir.File("real")).Should().Be(before);
        }
    }

    [Theory]
    [InlineData("fifo", "is not a regular file (a device, a pipe or a socket)")]
    [InlineData("/dev/zero", "is not a regular file (a device, a pipe or a socket)")]
    [InlineData("folder", "is a folder")]
    [InlineData("link-to-nothing", "is a symbolic link to")]
    public async Task ReadAllBytes_NotARegularFile_OneLineWithoutBlockingOrReading(string target, string expected)
    {
        using var dir = new TempDirectory();
        string path = Arrange(dir, target);

        // A pipe without a writer would block an open forever: the read runs on its own thread, and a generous wait only
        // tells a hang from an answer (no timing is asserted).
        Task<byte[]> read = Task.Run(() => BoundedFile.ReadAllBytes(path, 1_000_000, "a model file"));
        (await Task.WhenAny(read, Task.Delay(TimeSpan.FromMinutes(5)))).Should().BeSameAs(read, "a pipe without a writer is never opened: the read answers instead of blocking");

        read.IsFaulted.Should().BeTrue("the file is refused");
        Exception refusal = read.Exception!.InnerException!;
        refusal.Should().Match(e => e is IOException || e is InvalidDataException);
        refusal.Message.Should().Contain(expected).And.NotContain("\n");
    }

    [Fact]
    public void ReadAllBytes_SymbolicLinkToAFile_ReadsTheFileNotTheLink()
    {
        using var dir = new TempDirectory();
        byte[] content = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];
        File.WriteAllBytes(dir.File("real"), content);
        File.CreateSymbolicLink(dir.File("link"), dir.File("real"));

        BoundedFile.ReadAllBytes(dir.File("link"), 1_000_000, "a model file").Should().Equal(content);
    }

    [Fact]
    public void Write_NameOf240Characters_Written_TemporaryNamesFitTheLimit()
    {
        using var dir = new TempDirectory();
        string name = new string('m', 234) + ".dlnn";

        AtomicFile.WriteAllText(dir.File(name), "x");

        File.ReadAllText(dir.File(name)).Should().Be("x");
        Directory.GetFileSystemEntries(dir.Path).Should().ContainSingle();
        (AtomicFile.TemporaryPrefix(name).Length + 10 + 1 + 32 + AtomicFile.Suffix(name).Length).Should().BeLessThanOrEqualTo(255);
    }

    [Theory]
    [InlineData("...tmp")]
    [InlineData("..tmp")]
    [InlineData(".*..tmp")]
    [InlineData(".*.x.tmp")]
    public void Write_FolderHoldsLookAlikeTemporaryNames_WrittenAndTheyAreKept(string lookAlike)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(lookAlike), "keep");

        AtomicFile.WriteAllText(dir.File("*"), "x");

        File.ReadAllText(dir.File("*")).Should().Be("x");
        File.ReadAllText(dir.File(lookAlike)).Should().Be("keep", "not a temporary file of ours");
    }

    [Fact]
    public void Write_TemporaryOfALiveWriterInAnotherNamespace_IsNotDeleted()
    {
        // A PID that is not running here may be a live writer in another PID namespace: its lock on the file keeps it.
        using var dir = new TempDirectory();
        string temporary = dir.File($".model.dlnn.{HostileFilesTestHelpers.UnusedPid()}.{Guid.NewGuid():N}.tmp.dlnn");
        using (var held = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None)) // a writer's lock, as AtomicFile holds it
        {
            AtomicFile.WriteAllText(dir.File("model.dlnn"), "a");
            File.Exists(temporary).Should().BeTrue("its writer still holds it");
        }
    }

    [Fact]
    public void CheckWritable_PathEndingInASeparator_RefusedAndNothingCreated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("newdir") + "/";

        Action act = () => AtomicFile.CheckWritable(path);

        act.Should().Throw<IOException>().WithMessage("*the path ends with a folder separator*");
        Directory.GetFileSystemEntries(dir.Path).Should().BeEmpty();
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    [InlineData("HUP")]
    public async Task Write_SignalDuringTheWrite_EndsTheProcessAndLeavesNoTemporaryFile(string signal)
    {
        // The probe writes through AtomicFile and sends itself the signal from inside the write, after the first megabyte,
        // then waits forever: the signal always arrives mid-write, however busy the machine (no race with a fast save).
        using var dir = new TempDirectory();
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string probe = Path.Combine(Docs.PageCodeTest.FindRoot(), "tests", "AtomicWriteProbe", "bin", configuration, "net10.0", "AtomicWriteProbe.dll");
        File.Exists(probe).Should().BeTrue($"{probe} is built with the tests");
        // The probe starts with the signals' default dispositions, as from a terminal: a test run started in the background
        // of a script (`cmd &` without job control) inherits SIGINT ignored, and .NET, like any Unix program, then leaves
        // it ignored — the probe would wait forever. GNU env resets them before starting it.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "--default-signal=HUP,INT,TERM", "dotnet", probe, dir.File("big.dlnn"), signal })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using (var hang = new CancellationTokenSource(TimeSpan.FromMinutes(5))) // only a guard against a hang: the signal ends the process
        {
            await process.WaitForExitAsync(hang.Token);
        }

        (await output).Should().Contain($"wrote 1048576 bytes; sending SIG{signal}", await error).And.NotContain("the write finished");
        process.ExitCode.Should().Be(128 + new Dictionary<string, int> { ["HUP"] = 1, ["INT"] = 2, ["TERM"] = 15 }[signal], "the signal did what it does to a process: it ended it");
        Directory.GetFileSystemEntries(dir.Path).Should().BeEmpty("the temporary file was removed and no file was written");
    }

    [Fact]
    public void RemoveDamaged_RecompressedGzipOfTheRightContent_IsKept()
    {
        using var cache = new TempDirectory();
        byte[] raw = [0, 0, 8, 1, 0, 0, 0, 2, 3, 4];
        using (FileStream file = File.Create(cache.File("labels.gz")))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        {
            gzip.Write(raw);
        }

        var published = new MnistFile("labels", "00000000000000000000000000000000", null, Convert.ToHexStringLower(MD5.HashData(raw)));
        var other = new MnistFile("labels", "00000000000000000000000000000000", null, "11111111111111111111111111111111");

        MnistDownloader.RemoveDamaged(cache.Path, [published]).Should().BeEmpty("the content is the published content, compressed otherwise");
        File.Exists(cache.File("labels.gz")).Should().BeTrue();
        MnistDownloader.RemoveDamaged(cache.Path, [other]).Should().ContainSingle().Which.Should().StartWith("labels.gz removed: MD5 ");
    }

    [Fact]
    public void Fit_EpochsIntMaxValueCancelled_StopsWithoutAllocatingPerEpoch()
    {
        Network<float> network = new NetworkBuilder<float>(4, seed: 1).Dense(2).Build();
        var data = new DataSet<float>(new Tensor<float>(8, 4), [0, 1, 0, 1, 0, 1, 0, 1], 2);
        using var cancel = new CancellationTokenSource();
        int epochs = 0;
        var progress = new Progress(_ =>
        {
            if (++epochs == 3)
            {
                cancel.Cancel();
            }
        });
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action act = () => network.Fit(data, Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = int.MaxValue, BatchSize = 4 }, progress: progress, cancellationToken: cancel.Token);

        act.Should().Throw<OperationCanceledException>();
        epochs.Should().Be(3);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(10_000_000, "nothing is sized by the number of epochs");
    }

    [SkippableFact]
    public void Training_TwoNetworksAtOnceOnTheNativeBackend_SameWeightsAsOneAfterTheOther()
    {
        Skipping.If(Backend.Native is null, $"no native BLAS on this machine ({Backend.NativeUnavailableReason})");
        using IDisposable scope = Backend.Use(Backend.Native!);
        float[] first = Train(1), second = Train(2);

        float[][] together = new float[2][];
        Parallel.For(0, 2, i =>
        {
            using IDisposable inner = Backend.Use(Backend.Native!);
            together[i] = Train(i + 1);
        });

        together[0].Should().Equal(first);
        together[1].Should().Equal(second);

        static float[] Train(int seed)
        {
            var random = new Random(seed);
            var x = new Tensor<float>(256, 784);
            for (int i = 0; i < 256; i++)
            {
                for (int j = 0; j < 784; j++)
                {
                    x[i, j] = (float)random.NextDouble();
                }
            }

            var data = new DataSet<float>(x, [.. Enumerable.Range(0, 256).Select(i => i % 3)], 3);
            Network<float> network = new NetworkBuilder<float>(784, seed).Dense(512, Activation.ReLU).Dense(64, Activation.ReLU).Dense(3).Build();
            network.Fit(data, Loss.CrossEntropy, new GradientDescent(0.05), new TrainingOptions { Epochs = 2, BatchSize = 32, Seed = seed });
            return [.. network.Layers.SelectMany(l => l.Parameters).SelectMany(p => p.Values.ToArray())];
        }
    }

    /// <summary>Makes <paramref name="target"/> in <paramref name="dir"/> and returns its path (or the system path itself).</summary>
    private static string Arrange(TempDirectory dir, string target)
    {
        switch (target)
        {
            case "fifo":
                using (Process mkfifo = Process.Start("mkfifo", [dir.File("fifo")])!)
                {
                    mkfifo.WaitForExit();
                }

                return dir.File("fifo");
            case "link-to-file":
                File.WriteAllText(dir.File("real"), "original");
                File.CreateSymbolicLink(dir.File("link"), dir.File("real"));
                return dir.File("link");
            case "link-to-nothing":
                File.CreateSymbolicLink(dir.File("link"), dir.File("nothing"));
                return dir.File("link");
            case "folder":
                Directory.CreateDirectory(dir.File("folder"));
                return dir.File("folder");
            default:
                return target;
        }
    }

    private sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}

/// <summary>Small helpers of the hostile tests.</summary>
internal static class HostileFilesTestHelpers
{
    /// <summary>A process ID that no process here has (as a writer in another PID namespace looks from here).</summary>
    public static int UnusedPid()
    {
        for (int pid = 4_000_000; ; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }
    }
}
