// Nielsen's book, reproduced: the headline MNIST results of "Neural Networks and Deep Learning", chapters 1 and 3, with
// his protocol — train on the first 50,000 training images, report the accuracy on the other 10,000 (his "validation
// data"), best and final epoch, and the test accuracy of the final network.
//
// Usage: dotnet run --project samples/NielsenBook -c Release [-- --data MNIST_DIR --report FILE.json --quick --seed N]

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DeepLearning.Data;
using DeepLearning.Initialization;
using DeepLearning.IO;
using DeepLearning.Regularization;

var reportOption = new System.CommandLine.Option<string?>("--report") { Description = "write the results as JSON: [{ experiment, book, validationAccuracy, bestValidationAccuracy, testAccuracy, seconds }]", HelpName = "FILE" };
(SampleArgs? options, int exitCode) = SampleArgs.Parse(args, "NielsenBook",
    "the book's chapter-1 and chapter-3 MNIST results, reproduced with his protocol", usesMnist: true, reportOption);
if (options is null)
{
    return exitCode;
}

string? reportPath = options.Parsed.GetValue(reportOption) is { } given ? SampleArgs.OutputFile("--report", given) : null;

(MnistData<float> mnist, string source) = MnistFinder.Load(options.Data);
int validationCount = Math.Min(10_000, mnist.Training.Count / 5);
(DataSet<float> training, DataSet<float> validation) = mnist.Training.Split(validationCount);
if (options.Quick)
{
    training = training.Take(5_000);
}

Console.WriteLine($"Data: {source}. Training on the first {training.Count:N0} training images, validation on the last {validation.Count:N0} (the book's protocol), test on {mnist.Test.Count:N0}.");
Console.WriteLine("Every network starts from N(0, 1) weights and biases (the book's large_weight_initializer), trains with plain gradient descent on mini-batches of 10.");
Console.WriteLine();

// The book's choices, experiment by experiment. "Cross-entropy" in chapter 3 is sigmoid outputs with the binary
// cross-entropy summed over the ten outputs: here a linear last layer with Loss.BinaryCrossEntropy (which applies σ).
Experiment[] experiments =
[
    new("ch. 1: [784, 30, 10] sigmoid, quadratic, η 3.0", 0.9542, 30, Loss.Quadratic, 3.0, null, 30),
    new("ch. 3: cross-entropy, η 0.5", 0.9549, 30, Loss.BinaryCrossEntropy, 0.5, null, 30),
    new("ch. 3: + L2, λ 5.0", 0.9649, 30, Loss.BinaryCrossEntropy, 0.5, new L2(5.0), 30),
    new("ch. 3: [784, 100, 10] + L2, η 0.5", 0.9792, 100, Loss.BinaryCrossEntropy, 0.5, new L2(5.0), 30),
    new("ch. 3: [784, 100, 10] + L2, η 0.1, 60 epochs", 0.9804, 100, Loss.BinaryCrossEntropy, 0.1, new L2(5.0), 60),
];

var results = new List<Result>();
foreach (Experiment e in experiments)
{
    int epochs = options.Quick ? 2 : e.Epochs;
    IActivation output = e.Loss is BinaryCrossEntropy ? Activation.Identity : Activation.Sigmoid; // logits for the cross-entropy
    Network<float> network = new NetworkBuilder<float>(784, options.Seed)
        .Dense(e.Hidden, Activation.Sigmoid, Initializer.StandardNormal, Initializer.StandardNormal)
        .Dense(10, output, Initializer.StandardNormal, Initializer.StandardNormal)
        .Build();
    long started = Stopwatch.GetTimestamp();
    TrainingHistory history = network.Fit(
        training,
        e.Loss,
        new GradientDescent(e.LearningRate),
        new TrainingOptions { Epochs = epochs, BatchSize = 10, Seed = options.Seed, Regularizer = e.Regularizer },
        validation);
    double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    double final = history.Last!.ValidationAccuracy!.Value;
    double best = history.Epochs.Max(r => r.ValidationAccuracy!.Value);
    double test = network.Evaluate(mnist.Test.Inputs, mnist.Test.Targets, e.Loss).Accuracy;
    results.Add(new Result(e.Name, e.Book, final, best, test, Math.Round(seconds, 1)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {e.Name}: validation {Table.Percent(final)} (best {Table.Percent(best)}), test {Table.Percent(test)}, {seconds:F1} s"));
}

Console.WriteLine();
Console.WriteLine(Table.Format(
    ["experiment", "book", "ours: final epoch", "best epoch", "test", "seconds"],
    results.Select(r => (IReadOnlyList<string>)[r.Experiment, Table.Percent(r.Book), Table.Percent(r.ValidationAccuracy), Table.Percent(r.BestValidationAccuracy), Table.Percent(r.TestAccuracy), Table.Number(r.Seconds, "0.0")])));
Console.WriteLine("The book quotes the best epoch's validation accuracy. Final and best are on the 10,000 held-out training images; test on the test set.");
if (options.Quick)
{
    Console.WriteLine("(--quick: 5,000 training images and 2 epochs per experiment, so these are not the book's numbers.)");
}

if (reportPath is not null)
{
    AtomicFile.WriteAllText(reportPath, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
    Console.WriteLine($"Report written to {reportPath}");
}

return 0;

/// <summary>One of the book's experiments.</summary>
internal sealed record Experiment(string Name, double Book, int Hidden, ILoss Loss, double LearningRate, IRegularizer? Regularizer, int Epochs);

/// <summary>One row of the report.</summary>
internal sealed record Result(string Experiment, double Book, double ValidationAccuracy, double BestValidationAccuracy, double TestAccuracy, double Seconds);
