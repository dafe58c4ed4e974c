using System.Diagnostics;
using DeepLearning.IO;

namespace DeepLearning.Tests.IO;

public class AtomicFileTest
{
    [Fact]
    public void Write_WriterThrows_LeavesTheOldFileAndNoTemporary()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("a.txt"), "old");

        Action act = () => AtomicFile.Write(dir.File("a.txt"), (Stream s) =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("boom");
        });

        act.Should().Throw<InvalidOperationException>();
        File.ReadAllText(dir.File("a.txt")).Should().Be("old");
        Directory.GetFiles(dir.Path).Should().ContainSingle();
    }

    [Fact]
    public void Write_StaleTemporaryOfADeadProcess_IsRemoved_LiveOnesAreKept()
    {
        using var dir = new TempDirectory();
        int dead = DeadProcessId();
        string stale = dir.File($".model.dlnn.{dead}.{Guid.NewGuid():N}.tmp.dlnn");
        string live = dir.File($".model.dlnn.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp.dlnn");
        string unrelated = dir.File(".model.dlnn.notes");
        File.WriteAllText(stale, "x");
        File.WriteAllText(live, "x");
        File.WriteAllText(unrelated, "x");

        AtomicFile.WriteAllText(dir.File("model.dlnn"), "new");

        File.Exists(stale).Should().BeFalse("its process is gone");
        File.Exists(live).Should().BeTrue("this process is running");
        File.Exists(unrelated).Should().BeTrue();
        File.ReadAllText(dir.File("model.dlnn")).Should().Be("new");
    }

    [Fact]
    public void Write_IntoAFolderThatCannotHoldFiles_NamesTheUsersPathNotTheTemporary()
    {
        Action act = () => AtomicFile.WriteAllText("/proc/x.dlnn", "x");

        act.Should().Throw<IOException>().Which.Message.Should().StartWith("/proc/x.dlnn: cannot write the file (").And.NotContain(".tmp");
    }

    [Fact]
    public void CheckWritable_TargetIsAFolder_Throws_AndLeavesNothing()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("out"));

        Action act = () => AtomicFile.CheckWritable(dir.File("out"));

        act.Should().Throw<IOException>().WithMessage("*out: cannot write the file (it is a folder).");
        Directory.GetFileSystemEntries(dir.Path).Should().ContainSingle();
    }

    [Fact]
    public void CheckWritable_WritablePath_LeavesNoFile()
    {
        using var dir = new TempDirectory();

        AtomicFile.CheckWritable(dir.File("sub/report.json"));

        Directory.GetFileSystemEntries(dir.Path).Should().BeEmpty("the check creates nothing, not even the folder the write will create");
    }

    [Fact]
    public void Write_KilledWriterProcess_NextWriteCleansUp()
    {
        // A real SIGKILL mid-write: a child process that holds a temporary file open forever is killed, then we write.
        using var dir = new TempDirectory();
        using Process child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        string temporary = dir.File($".digits.dlnn.{child.Id}.{Guid.NewGuid():N}.tmp.dlnn");
        File.WriteAllText(temporary, "half");
        AtomicFile.WriteAllText(dir.File("digits.dlnn"), "a");
        File.Exists(temporary).Should().BeTrue("the writer is still alive");

        child.Kill();
        child.WaitForExit();
        AtomicFile.WriteAllText(dir.File("digits.dlnn"), "b");

        File.Exists(temporary).Should().BeFalse();
    }

    internal static int DeadProcessId()
    {
        using Process child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();
        return child.Id;
    }
}
