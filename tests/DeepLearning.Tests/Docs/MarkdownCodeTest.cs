namespace DeepLearning.Tests.Docs;

/// <summary>The comparison PageCodeTest relies on: it must catch a wrong number, a missing line and changed words.</summary>
public class MarkdownCodeTest
{
    private static MarkdownCode Block(string output, double tolerance = 0)
        => new("page.md", 1, "", output, tolerance);

    [Fact]
    public void Mismatch_ExactOutput_IsNull()
        => Block("L = 0.40625\nδ2 = [0.5, 0.75]").Mismatch("L = 0.40625\nδ2 = [0.5, 0.75]\n").Should().BeNull();

    [Fact]
    public void Mismatch_AnotherNumberWithoutTolerance_NamesTheLine()
        => Block("L = 0.40625\nδ2 = [0.5, 0.75]").Mismatch("L = 0.40625\nδ2 = [0.5, 0.76]")
            .Should().StartWith("line 2 of the output");

    [Theory]
    [InlineData("test accuracy 98.10 %", true)]
    [InlineData("test accuracy 98.90 %", true)]
    [InlineData("test accuracy 99.10 %", false)]
    [InlineData("test error 98.42 %", false)]
    public void Mismatch_WithATolerance_AllowsOnlyNumbersWithinIt(string printed, bool accepted)
        => (Block("test accuracy 98.42 %", tolerance: 0.5).Mismatch(printed) is null).Should().Be(accepted);

    [Fact]
    public void Mismatch_AMissingOrExtraLine_IsCaught()
    {
        Block("a\nb").Mismatch("a").Should().Contain("(no line)");
        Block("a").Mismatch("a\nb").Should().Contain("line 2");
    }

    [Fact]
    public void Read_PairsEachCodeBlockWithTheOutputAfterIt_AndItsTolerance()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("a.md"), string.Join('\n',
            "# A", "```csharp", "Console.WriteLine(1);", "```", "It prints:", "<!-- numbers within 0.5 -->", "```text", "1", "```",
            "## B", "```csharp", "int x = 2;", "```", "## C", "```text", "not its output", "```"));

        IReadOnlyList<MarkdownCode> blocks = MarkdownCode.Read(folder.Path, "a.md");

        blocks.Should().HaveCount(2);
        blocks[0].Should().Be(new MarkdownCode("a.md", 2, "Console.WriteLine(1);", "1", 0.5));
        blocks[1].Output.Should().BeNull("an output block under another heading belongs to something else");
    }
}
