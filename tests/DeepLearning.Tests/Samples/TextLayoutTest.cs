using System.Diagnostics;
using System.Text.RegularExpressions;
using DigitTrainer;
using Samples.Common;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// Everything the programs print fits the terminal: the trainer's every mode and every sample's --help, at 60, 80 and 120
/// columns, have no line longer than the width, no line ending in a space, and no word split across lines (every word
/// printed is one of the words the same output has when nothing needs wrapping).
/// </summary>
public partial class TextLayoutTest
{
    private const int Unwrapped = 1000;

    public static TheoryData<int> Widths => [60, 80, 120];

    public static TheoryData<string> SampleNames =>
        ["Classification", "Clustering", "DocFigures", "GradientDescentWalkthrough", "MoreData", "NameWriter", "NetworkAnatomy", "NielsenBook", "Regression", "SpamFilter"];

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task Trainer_EveryMode_FitsTheWidthWithoutSplittingAWord(int width)
    {
        using var dir = new TempDirectory();
        string model = dir.File("m.dlnn");
        string[] train = ["--offline", "--train-limit", "1000", "--epochs", "1", "--hidden", "16", "--show", "2", "--save", model,
            "--plot", dir.File("p.png"), "--report", dir.File("r.json"), "--export-onnx", dir.File("m.onnx")];
        (await RunTrainer(train, width)).Code.Should().Be(0);
        File.WriteAllBytes(dir.File("digit.pgm"), [.. "P5 28 28 255\n"u8.ToArray(), .. Enumerable.Range(0, 784).Select(i => (byte)(i / 28 is > 6 and < 22 && i % 28 is > 12 and < 16 ? 0 : 255))]);

        string[][] modes =
        [
            ["--help"],
            train,
            ["predict", "--model", model, "--index", "7"],
            ["predict", "--model", model, "--image", dir.File("digit.pgm")],
            ["evaluate", "--model", model, "--offline"],
        ];
        foreach (string[] args in modes)
        {
            (_, string output) = await RunTrainer(args, width);
            (_, string reference) = await RunTrainer(args, Unwrapped);
            CheckLayout(output, reference, width, string.Join(' ', args));
        }
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_Help_FitsEveryWidthWithoutSplittingAWord(string sample)
    {
        string reference = RunSample(sample, Unwrapped);
        reference.Should().Contain("Options:").And.Contain("--help");
        foreach (int width in new[] { 60, 80, 120 })
        {
            CheckLayout(RunSample(sample, width), reference, width, $"{sample} --help");
        }
    }

    [Fact]
    public void Wrap_KeepsPathsAndNoBreakPhrasesWhole()
    {
        string path = "/a/rather/long/path/to/a/model/file/that/does/not/fit/in/forty/columns.dlnn";
        List<string> lines = [.. ConsoleLayout.Wrap($"Model saved to {path} after training {ConsoleLayout.Keep("--epochs 30")} epochs", 40)];

        lines.Select(l => l.Trim()).Should().Contain(path, "a word longer than the line stands alone, never cut");
        lines.Should().Contain(l => l.Contains("--epochs 30", StringComparison.Ordinal), "a no-break space keeps the option with its value");
        lines.Should().OnlyContain(l => l.Trim() == path || l.Length <= 40).And.OnlyContain(l => !l.EndsWith(' '));
    }

    [Fact]
    public void Trainer_MisspeltOption_SaysWhichItMeant()
    {
        Action act = () => TrainerOptions.Parse(["--epoch", "3"]);

        act.Should().Throw<UsageException>().WithMessage("*'--epoch'*(did you mean --epochs?)*");
    }

    [Fact]
    public void Trainer_HelpDefaults_AreTheValuesARunUses()
    {
        // Every "(default X)" that --help prints for a plain option is what the options hold when it is not given: giving
        // X explicitly changes nothing.
        TrainerApp.Width = Unwrapped; // one line per option (this test's own width: it flows to nothing else)
        var defaults = Regex.Matches(TrainerOptions.Help, @"^  (--[a-z-]+) <[^>]+> .*\(default ([^ ,;)]+)\)$", RegexOptions.Multiline);
        defaults.Select(m => m.Groups[1].Value).Should().Contain(["--hidden", "--activation", "--loss", "--init", "--bias-init", "--batch-size", "--epochs", "--seed", "--show"]);
        foreach (Match match in defaults)
        {
            TrainerOptions given = TrainerOptions.Parse([match.Groups[1].Value, match.Groups[2].Value]), none = TrainerOptions.Parse([]);
            given.LayerSpecs().Should().Equal(none.LayerSpecs(), match.Value);
            given.Loss.Spec.Should().Be(none.Loss.Spec, match.Value);
            given.CreateOptimizer().Spec.Should().Be(none.CreateOptimizer().Spec, match.Value);
            (given.BatchSize, given.Epochs, given.Seed, given.Show).Should().Be((none.BatchSize, none.Epochs, none.Seed, none.Show), match.Value);
        }
    }

    private static void CheckLayout(string output, string reference, int width, string what)
    {
        string[] lines = output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        lines.Should().NotBeEmpty();
        foreach (string line in lines.Where(l => l.Trim().Contains(' ', StringComparison.Ordinal)))
        {
            // (a single word longer than the line — a long path — stands alone on its line, never cut)
            line.Length.Should().BeLessThanOrEqualTo(width, $"{what} at {width} columns: \"{line}\"");
        }

        lines.Should().OnlyContain(l => !l.EndsWith(' '), $"{what} at {width} columns has no trailing spaces");

        HashSet<string> words = [.. Words(reference)];
        foreach (string word in Words(output).Where(w => w.Any(char.IsLetter)))
        {
            words.Should().Contain(word, $"{what} at {width} columns splits a word (\"{word}\" is not a word of the unwrapped output)");
        }
    }

    private static IEnumerable<string> Words(string text)
        => text.Split([' ', '\n', '\r', '|'], StringSplitOptions.RemoveEmptyEntries).Where(w => !TimeOrCount().IsMatch(w));

    /// <summary>Timings and sizes that differ from run to run.</summary>
    [GeneratedRegex(@"^[\d.,:%]+$")]
    private static partial Regex TimeOrCount();

    private static async Task<(int Code, string Output)> RunTrainer(string[] args, int width)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await TrainerApp.RunAsync(args, output, error, interactive: false, width);
        return (code, output.ToString() + error.ToString());
    }

    private static string RunSample(string sample, int columns)
    {
        (int code, string output, string error) = SampleProcess.Run(sample, ["--help"], columns);
        code.Should().Be(0, error);
        return output;
    }
}
