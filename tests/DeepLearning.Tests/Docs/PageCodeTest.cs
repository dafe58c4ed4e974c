using DeepLearning.Data;

namespace DeepLearning.Tests.Docs;

/// <summary>
/// Every C# block of the articles, the other pages of the docs and both READMEs is a whole program: pasted into a new console
/// project that references the library it compiles with no error or warning, runs, and prints exactly what the page says
/// it prints. Every line of every code block fits in 90 characters, so the site never clips one.
/// </summary>
public class PageCodeTest
{
    public static readonly string Root = FindRoot();

    /// <summary>The pages whose code is checked.</summary>
    public static IEnumerable<string> Pages()
        => Directory.GetFiles(Path.Combine(Root, "docs", "articles"), "*.md")
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"))
            .Concat([Path.Combine(Root, "README.md"), Path.Combine(Root, "src", "DeepLearning", "README.md")])
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    public static TheoryData<string> Blocks()
    {
        var data = new TheoryData<string>();
        foreach (string page in Pages())
        {
            foreach (MarkdownCode block in MarkdownCode.Read(Root, page))
            {
                data.Add(block.ToString());
            }
        }

        return data;
    }

    [Fact]
    public void Pages_HaveCodeToCheck()
    {
        Blocks().Count.Should().BeGreaterThanOrEqualTo(12, "every article shows code");
        MarkdownCode.Read(Root, "docs/articles/backpropagation.md").Should().OnlyContain(b => b.Output != null);
    }

    [SkippableTheory]
    [MemberData(nameof(Blocks))]
    public void CodeBlock_CompilesRunsAndPrintsWhatThePageShows(string where)
    {
        string page = where[..where.LastIndexOf(':')];
        MarkdownCode block = MarkdownCode.Read(Root, page).Single(b => b.ToString() == where);
        if (block.Code.Contains("Mnist.", StringComparison.Ordinal))
        {
            bool required = Environment.GetEnvironmentVariable("DEEPLEARNING_REQUIRE_MNIST") == "1";
            bool present = Mnist.IsComplete(Mnist.DefaultCacheDirectory);
            if (required)
            {
                present.Should().BeTrue($"DEEPLEARNING_REQUIRE_MNIST=1 but {Mnist.DefaultCacheDirectory} lacks MNIST");
            }

            Skipping.IfNot(present, $"the full MNIST is not in the cache {Mnist.DefaultCacheDirectory}: run the digit trainer once with a network (it downloads it there) or copy the four MNIST files there");
        }

        using var folder = new TempDirectory();
        IReadOnlyList<string> problems = ConsoleProgram.Compile(block.Code, folder.Path);
        problems.Should().BeEmpty($"the code at {where} must compile cleanly as a console program");

        (int exitCode, string output, string error) = ConsoleProgram.Run(folder.Path, TimeSpan.FromMinutes(10));

        exitCode.Should().Be(0, $"the code at {where} must run; it wrote:\n{output}\n{error}");
        if (block.Output is not null)
        {
            block.Mismatch(output).Should().BeNull($"the page at {where} must show what the code prints");
        }
    }

    /// <summary>
    /// The site's pages and the package's README (shown in a narrow column on a package page), and the C# of the
    /// repository's README; its shell commands may be longer, since a repository page is wider.
    /// </summary>
    [Fact]
    public void CodeBlocks_FitIn90Columns()
    {
        var pages = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Where(p => !p.Contains("_site", StringComparison.Ordinal))
            .Append(Path.Combine(Root, "src", "DeepLearning", "README.md"));
        var wide = (from page in pages
                    from line in MarkdownCode.FencedLines(page)
                    where line.Text.Length > 90
                    select $"{Path.GetRelativePath(Root, page)}:{line.Line} ({line.Text.Length} characters)")
            .Concat(from block in MarkdownCode.Read(Root, "README.md")
                    from line in block.Code.Split('\n').Select((text, i) => (text, i))
                    where line.text.Length > 90
                    select $"README.md:{block.Line + line.i} ({line.text.Length} characters)")
            .ToList();

        wide.Should().BeEmpty($"a code line over 90 characters is clipped on the site: {string.Join(", ", wide)}");
    }

    internal static string FindRoot()
    {
        string? directory = AppContext.BaseDirectory;
        while (directory is not null && !File.Exists(Path.Combine(directory, "DeepLearning.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("the repository root (DeepLearning.sln) was not found");
    }
}
