using System.Text.RegularExpressions;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// NielsenBook's --keep: a run saved after every epoch goes on in a later sitting to the numbers of one sitting, a
/// finished run is read instead of trained, and a folder that holds another run is one line naming the file.
/// </summary>
public class NielsenBookKeepTest
{
    private static readonly string[] Row = ["--quick", "--experiment", "fc100"];

    [Fact]
    public void ARunKeptAfterOneEpoch_GoesOnToTheNumbersOfOneSitting()
    {
        using var folder = new TempDirectory();
        string[] keep = ["--keep", folder.Path];
        (int code, string plain, string error) = Run([.. Row, "--epochs", "2"]);
        code.Should().Be(0, error);

        Run([.. Row, "--epochs", "1", .. keep]).Code.Should().Be(0);
        (code, string resumed, error) = Run([.. Row, "--epochs", "2", .. keep]);
        code.Should().Be(0, error);
        resumed.Should().Contain("fc100-seed1.dlnn: 1 of 2 epochs trained").And.NotContain("epoch 1/2");
        EpochLine(resumed, 2).Should().Be(EpochLine(plain, 2));
        Figures(resumed).Should().Be(Figures(plain));

        // Finished: read, not trained; the same figures.
        (code, string again, error) = Run([.. Row, "--epochs", "2", .. keep]);
        code.Should().Be(0, error);
        again.Should().Contain("2 of 2 epochs trained").And.NotContain("epoch 2/2");
        Figures(again).Should().Be(Figures(plain));
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo(["fc100-seed1.dlnn", "fc100-seed1-best.dlnn"]);

        // A run cannot go back, and another seed is another run (a file of its own).
        (code, string output, error) = Run([.. Row, "--epochs", "1", .. keep]);
        code.Should().Be(1, output);
        error.TrimEnd().Should().Be($"error: {folder.File("fc100-seed1.dlnn")}: this run has 2 epochs, more than the 1 asked for; give at least 2 with --epochs, or another --keep folder.");
        Run([.. Row, "--epochs", "1", "--seed", "2", .. keep]).Code.Should().Be(0);
        File.Exists(folder.File("fc100-seed2.dlnn")).Should().BeTrue();
    }

    [Fact]
    public void AFileThatIsNotThisRowsRun_OneLineNamingIt()
    {
        using var folder = new TempDirectory();
        string[] keep = ["--keep", folder.Path];
        Run([.. Row, "--epochs", "1", .. keep]).Code.Should().Be(0);
        File.Move(folder.File("fc100-seed1.dlnn"), folder.File("conv1-seed1.dlnn"));
        File.Move(folder.File("fc100-seed1-best.dlnn"), folder.File("conv1-seed1-best.dlnn"));

        (int code, string output, string error) = Run(["--quick", "--experiment", "conv1", "--epochs", "1", .. keep]);

        code.Should().Be(1, output);
        error.TrimEnd().Should().Be($"error: {folder.File("conv1-seed1.dlnn")}: this run has run fc100, but this row asks for conv1; give another --keep folder or move the file away.");
    }

    [Fact]
    public void KeepGivenAFile_UsageErrorBeforeAnyTraining()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("a.txt"), "x");

        (int code, string output, string error) = Run([.. Row, "--keep", folder.File("a.txt")]);

        code.Should().Be(2);
        output.Should().BeEmpty();
        error.TrimEnd().Should().Be($"error: --keep '{folder.File("a.txt")}' is a file; give a folder (it is created if missing).");
    }

    private static (int Code, string Output, string Error) Run(string[] args) => SampleProcess.Run("NielsenBook", args, columns: 1000);

    // "  epoch 2/2  loss 0.1234  validation 93.13%  test 92.85%  2.9 s" without its seconds.
    private static string EpochLine(string output, int epoch)
        => Regex.Match(output, $@"^\s*epoch {epoch}/\d+ .*?%  test [\d.]+%", RegexOptions.Multiline).Value.Should().NotBeEmpty().And.Subject;

    // "  validation …% (best …% at epoch n), test …% (at the best validation epoch …%); 14.6 s" without its seconds.
    private static string Figures(string output)
        => Regex.Match(output, @"^\s*validation .*\(at the best validation epoch [\d.]+%\)", RegexOptions.Multiline).Value.Should().NotBeEmpty().And.Subject;
}
