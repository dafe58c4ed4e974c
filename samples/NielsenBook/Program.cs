// Nielsen's book, reproduced: the headline MNIST results of "Neural Networks and Deep Learning", chapters 1, 3 and 6,
// with his protocol — train on the first 50,000 training images, measure every epoch on the other 10,000 (his
// "validation data") and on the test set, and report the best validation epoch and the test accuracy at that epoch.
//
// Usage: dotnet run --project samples/NielsenBook -c Release [-- --data MNIST_DIR --report FILE.json --quick --seed N]
//        ... -- --experiment conv2            one of chapter 6's rows (fc100, conv1, conv2, relu, expanded, expanded-fc,
//                                             dropout, ensemble), several separated by commas, or chapter6 for all
//        ... -- --epochs N                    every row for N epochs instead of the book's (to time a long row)
//        ... -- --keep DIR                    save each network's run in DIR after every epoch and go on with the runs
//                                             found there: a long row or an ensemble over several sittings

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeepLearning.Data;
using DeepLearning.Initialization;
using DeepLearning.IO;
using DeepLearning.Regularization;
using NielsenBook;

var reportOption = new System.CommandLine.Option<string?>("--report") { Description = "write the results as JSON, one object per row (experiment, book, validation and test accuracies, testAccuracyAtBestValidation, seconds)", HelpName = "FILE" };
var experimentOption = new System.CommandLine.Option<string?>("--experiment")
{
    Description = $"run chapter 6's rows instead of chapters 1 and 3: {string.Join(", ", Chapter6.Names)}, several separated by commas, or chapter6 for all",
    HelpName = "NAME",
};
var epochsOption = new System.CommandLine.Option<string?>("--epochs") { Description = "train every row for N epochs instead of the book's (to time a row too long to run to the end)", HelpName = "N" };
var membersOption = new System.CommandLine.Option<string?>("--members") { Description = "ensemble: how many dropout networks vote, trained one after another (default 5; 3 with --quick)", HelpName = "N" };
var keepOption = new System.CommandLine.Option<string?>("--keep")
{
    Description = "save each network's run in DIR after every epoch (with its best epoch's network) and go on with the runs found there, to the same numbers: a long row or an ensemble over several sittings",
    HelpName = "DIR",
};
(SampleArgs? options, int exitCode) = SampleArgs.Parse(args, "NielsenBook",
    "the book's chapter-1, chapter-3 and chapter-6 MNIST results, reproduced with his protocol", usesMnist: true, reportOption, experimentOption, epochsOption, membersOption, keepOption);
if (options is null)
{
    return exitCode;
}

string? reportPath = options.Parsed.GetValue(reportOption) is { } given ? SampleArgs.OutputFile("--report", given) : null;
string? keep = options.Parsed.GetValue(keepOption) is { } folder ? SampleArgs.PathValue("--keep", folder) : null;
if (keep is not null)
{
    // Checked before any training: chapter 6's rows (chapters 1 and 3 take a minute each), and a folder, created when missing.
    if (options.Parsed.GetValue(experimentOption) is null)
    {
        throw new UsageError("--keep is for chapter 6's rows, which can take hours: give --experiment NAME (chapters 1 and 3 take a minute each).");
    }

    if (File.Exists(keep))
    {
        throw new UsageError($"--keep '{keep}' is a file; give a folder (it is created if missing).");
    }

    Directory.CreateDirectory(keep);
}

int members = Whole(membersOption, 1, 100, "networks") ?? (options.Quick ? 3 : 5);
int? epochsGiven = Whole(epochsOption, 1, 1000, "epochs");
IReadOnlyList<Experiment> experiments = options.Parsed.GetValue(experimentOption) is { } names
    ? Chapter6.Select(names, members)
    : Chapters1And3.Experiments;

(MnistData<float> mnist, string source) = MnistFinder.Load(options.Data);
int validationCount = Math.Min(10_000, mnist.Training.Count / 5);
(DataSet<float> training, DataSet<float> validation) = mnist.Training.Split(validationCount);
if (options.Quick)
{
    training = training.Take(5_000);
}

Console.WriteLine($"Data: {source}. Training on the first {training.Count:N0} training images, validation on the last {validation.Count:N0} (the book's protocol), test on {mnist.Test.Count:N0}.");
Console.WriteLine("Plain gradient descent on mini-batches of 10; every epoch is measured on the validation and the test images.");
Console.WriteLine();

DataSet<float>? expanded = null;
var results = new List<Result>();
foreach (Experiment e in experiments)
{
    DataSet<float> data = training;
    if (e.Expanded)
    {
        // Quick runs expand 1,000 images (5,000 with their shifts), so that they stay as small as the others.
        expanded ??= Shifts.Expand(options.Quick ? training.Take(1_000) : training);
        data = expanded;
    }

    int epochs = epochsGiven ?? (options.Quick ? 2 : e.Epochs);
    Console.WriteLine($"{e.Title} — {e.Description}; {data.Count:N0} training images, {epochs} {(epochs == 1 ? "epoch" : "epochs")}{(e.Members > 1 ? $", {e.Members} networks" : "")}");
    long started = Stopwatch.GetTimestamp();
    var runs = new List<BestEpoch>();
    double keptSeconds = 0; // with --keep: the seconds of every epoch of the runs, earlier sittings included
    for (int k = 0; k < e.Members; k++)
    {
        int seed = options.Seed + k;
        Network<float> network = e.Build(seed);
        var fit = new TrainingOptions { Epochs = epochs, BatchSize = 10, Seed = seed, Regularizer = e.Regularizer };
        if (keep is null)
        {
            var best = new BestEpoch(network, mnist.Test, e.Loss, keepPredictions: e.Members > 1, e.Chapter6 ? Console.Out : null, epochs);
            network.Fit(data, e.Loss, new GradientDescent(e.LearningRate), fit, validation, best);
            best.Finish(); // an ensemble's members are trained one after another: each one's memory is free for the next
            runs.Add(best);
        }
        else
        {
            (BestEpoch best, double runSeconds) = KeptRun.Train(new KeptRun(keep, e, seed, data.Count, epochs), network, e, fit, data, validation, mnist.Test);
            runs.Add(best);
            keptSeconds += runSeconds;
        }
    }

    double seconds = keep is null ? Stopwatch.GetElapsedTime(started).TotalSeconds : keptSeconds;
    BestEpoch first = runs[0];
    double testAtBest = e.Members > 1 ? BestEpoch.Vote(runs, mnist.Test) : first.TestAtBest;
    var result = new Result(e.Name, e.Title, e.Book, e.BookQuotes, first.FinalValidation, first.BestValidation, first.BestEpochNumber, first.FinalTest, testAtBest,
        e.BookQuotes == Quoted.TestAtBestValidation ? testAtBest : first.BestValidation, data.Count, epochs, e.Members, Math.Round(seconds, 1), Math.Round(seconds / (epochs * e.Members), 2));
    results.Add(result);
    string members2 = e.Members > 1 ? $"; the vote of {e.Members} networks, each at its best validation epoch, {Table.Percent(testAtBest)} (members: {string.Join(", ", runs.Select(r => Table.Percent(r.TestAtBest)))})" : "";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  validation {Table.Percent(result.ValidationAccuracy)} (best {Table.Percent(result.BestValidationAccuracy)} at epoch {result.BestEpoch}), test {Table.Percent(result.TestAccuracy)} (at the best validation epoch {Table.Percent(first.TestAtBest)}){members2}; {seconds:F1} s"));
}

Console.WriteLine();
Console.WriteLine(Table.Format(
    ["experiment", "book", "ours", "best validation (epoch)", "test at best validation", "final test", "seconds"],
    results.Select(r => (IReadOnlyList<string>)[r.Title, Table.Percent(r.Book), Table.Percent(r.Ours), $"{Table.Percent(r.BestValidationAccuracy)} ({r.BestEpoch})", Table.Percent(r.TestAccuracyAtBestValidation), Table.Percent(r.TestAccuracy), Table.Number(r.Seconds, "0.0")])));
Console.WriteLine("\"ours\" is measured as the book measures: the best epoch's validation accuracy (chapters 1 and 3), the test accuracy at the epoch of best validation accuracy (chapter 6).");
if (results.Any(r => r.Networks > 1))
{
    Console.WriteLine("An ensemble's \"test at best validation\" is its vote, each network at its own best validation epoch; its other columns are its first network's.");
}
if (options.Quick)
{
    Console.WriteLine($"(--quick: 5,000 training images and {epochsGiven ?? 2} {(epochsGiven == 1 ? "epoch" : "epochs")} per experiment, so these are not the book's numbers.)");
}
else if (epochsGiven is not null)
{
    Console.WriteLine($"(--epochs {epochsGiven}: not the book's number of epochs, so these are not the book's numbers.)");
}

if (reportPath is not null)
{
    AtomicFile.WriteAllText(reportPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    Console.WriteLine($"Report written to {reportPath}");
}

return 0;

// A whole number option within [min, max], or null when not given; anything else is one line saying what it should be.
int? Whole(System.CommandLine.Option<string?> option, int min, int max, string what)
{
    if (options.Parsed.GetValue(option) is not { } text)
    {
        return null;
    }

    return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
        ? value
        : throw new UsageError($"{option.Name} '{text}': give a whole number of {what}, {min} to {max:N0}.");
}

/// <summary>Which figure the book quotes for a row.</summary>
internal enum Quoted
{
    /// <summary>Chapters 1 and 3: the best epoch's accuracy on the validation images.</summary>
    BestValidation,

    /// <summary>Chapter 6 (network3.py): the test accuracy at the epoch of best validation accuracy.</summary>
    TestAtBestValidation,
}

/// <summary>One of the book's experiments: how its network is built and trained.</summary>
internal sealed record Experiment(
    string Name,
    string Title,
    string Description,
    double Book,
    Func<int, Network<float>> Build,
    ILoss Loss,
    double LearningRate,
    IRegularizer? Regularizer,
    int Epochs,
    bool Expanded = false,
    int Members = 1)
{
    public bool Chapter6 => BookQuotes == Quoted.TestAtBestValidation;

    /// <summary>The name of the row whose network each run trains (<c>--keep</c>'s files): an ensemble's members are <c>dropout</c> networks.</summary>
    public string RunName { get; init; } = Name;

    public Quoted BookQuotes { get; init; } = Quoted.BestValidation;
}

/// <summary>One row of the report.</summary>
internal sealed record Result(
    string Experiment,
    string Title,
    double Book,
    Quoted BookQuotes,
    double ValidationAccuracy,
    double BestValidationAccuracy,
    int BestEpoch,
    double TestAccuracy,
    double TestAccuracyAtBestValidation,
    double Ours,
    int TrainingImages,
    int Epochs,
    int Networks,
    double Seconds,
    double SecondsPerEpoch);
