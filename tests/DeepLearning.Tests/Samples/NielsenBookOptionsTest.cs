namespace DeepLearning.Tests.Samples;

/// <summary>NielsenBook's options: a value it cannot use is one line saying what it should be, exit code 2, before any data is read.</summary>
public class NielsenBookOptionsTest
{
    [Theory]
    [InlineData("--members abc", "error: --members 'abc': give a whole number of networks, 1 to 100.")]
    [InlineData("--members 101", "error: --members '101': give a whole number of networks, 1 to 100.")]
    [InlineData("--epochs 0", "error: --epochs '0': give a whole number of epochs, 1 to 1,000.")]
    [InlineData("--epochs 2.5", "error: --epochs '2.5': give a whole number of epochs, 1 to 1,000.")]
    [InlineData("--experiment chapter6,chapter6", "error: --experiment: chapter6 names all the rows; give it alone, or list the rows you want (fc100, conv1, conv2, relu, expanded, expanded-fc, dropout, ensemble).")]
    [InlineData("--keep kept", "error: --keep is for chapter 6's rows, which can take hours: give --experiment NAME (chapters 1 and 3 take a minute each).")]
    [InlineData("--experiment conv9", "error: --experiment 'conv9' is not a chapter-6 row (did you mean conv1?); the rows: fc100, conv1, conv2, relu, expanded, expanded-fc, dropout, ensemble, or chapter6 for all.")]
    public void BadValue_OneLineSayingWhatItShouldBe(string args, string expected)
    {
        (int code, string output, string error) = SampleProcess.Run("NielsenBook", args.Split(' '), columns: 1000);

        code.Should().Be(2, output);
        error.TrimEnd().Should().Be(expected);
        output.Should().BeEmpty();
    }
}
