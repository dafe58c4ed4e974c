// More data: does a deep network keep improving with more training data while a flat model levels off? Softmax
// regression (one Dense layer from 784 pixels to 10 digits) and a 784-256-10 network train on growing subsets of MNIST;
// the table and the learning curves show the test accuracy of each at each size.
//
// Usage: dotnet run --project samples/MoreData -c Release [-- --seed N --output DIR --quick --data MNIST_DIR]

using System.Globalization;
using DeepLearning.Data;

(SampleArgs? options, int exitCode) = SampleArgs.Parse(args, "MoreData",
    "a flat model and a deep network trained on 500 to 60,000 MNIST images: who keeps improving?", usesMnist: true);
if (options is null)
{
    return exitCode;
}

(MnistData<float> mnist, string source) = MnistFinder.Load(options.Data);
int[] sizes = options.Quick ? [500, 2000] : [500, 1000, 2000, 5000, 10000, 20000, 60000];
sizes = [.. sizes.Where(s => s <= mnist.Training.Count)];
Console.WriteLine($"Data: {source}. Test accuracy on the {mnist.Test.Count:N0} test images after training on the first N training images.");
Console.WriteLine("Both models: cross-entropy, gradient descent ε 0.05 with momentum 0.9, batches of 64, about the same number of steps at every size.");
Console.WriteLine();

(string Name, Func<Network<float>> Build)[] models =
[
    ("flat: softmax regression 784-10", () => new NetworkBuilder<float>(784, options.Seed).Dense(10).Build()),
    ("deep: 784-256-10 ReLU", () => new NetworkBuilder<float>(784, options.Seed).Dense(256, Activation.ReLU).Dense(10).Build()),
];
var accuracy = new double[models.Length, sizes.Length];
for (int s = 0; s < sizes.Length; s++)
{
    DataSet<float> training = mnist.Training.Take(sizes[s]);
    int epochs = options.Quick ? 3 : Math.Clamp(150_000 / sizes[s], 10, 100); // 500 images: 100 epochs; 60,000: 10
    for (int m = 0; m < models.Length; m++)
    {
        Network<float> network = models[m].Build();
        network.Fit(training, Loss.CrossEntropy, new GradientDescent(0.05, momentum: 0.9), new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = options.Seed });
        accuracy[m, s] = network.Evaluate(mnist.Test.Inputs, mnist.Test.Targets, Loss.CrossEntropy).Accuracy!.Value;
    }

    Console.WriteLine($"  {sizes[s],6:N0} images, {epochs} epochs: flat {Table.Percent(accuracy[0, s])}, deep {Table.Percent(accuracy[1, s])}");
}

Console.WriteLine();
Console.Write(Table.Format(
    ["training images", .. models.Select(m => m.Name), "deep − flat"],
    Enumerable.Range(0, sizes.Length).Select(s => (IReadOnlyList<string>)
        [sizes[s].ToString("N0", CultureInfo.InvariantCulture), Table.Percent(accuracy[0, s]), Table.Percent(accuracy[1, s]), Points(accuracy[1, s] - accuracy[0, s])])));

// What the numbers show, computed rather than assumed.
int last = sizes.Length - 1;
Console.WriteLine();
Console.WriteLine($"From {sizes[0]:N0} to {sizes[last]:N0} images the flat model gained {Points(accuracy[0, last] - accuracy[0, 0])} and the deep network {Points(accuracy[1, last] - accuracy[1, 0])}.");
Console.WriteLine($"The deep network's lead went from {Points(accuracy[1, 0] - accuracy[0, 0])} at {sizes[0]:N0} images to {Points(accuracy[1, last] - accuracy[0, last])} at {sizes[last]:N0}.");
if (sizes.Length >= 3)
{
    double flatLast = accuracy[0, last] - accuracy[0, last - 1], deepLast = accuracy[1, last] - accuracy[1, last - 1];
    Console.WriteLine($"Over the last step, {sizes[last - 1]:N0} → {sizes[last]:N0} images: flat {Points(flatLast)}, deep {Points(deepLast)}.");
    Console.WriteLine(Math.Abs(deepLast - flatLast) < 0.005
        ? $"So the gap grew while data was scarce, but over the last step both models gained about the same: these numbers do not show the flat model levelling off while the deep one keeps climbing; they show it staying {Points(accuracy[1, last] - accuracy[0, last]).TrimStart('+')} behind."
        : deepLast > flatLast
            ? "The flat model is levelling off while the deep network still gains from more data."
            : "Over the last step the flat model gained more than the deep network: these numbers do not support the claim that only deep models keep improving.");
}

string file = options.File("learning-curves.png");
var plot = new Plot();
double[] xs = [.. sizes.Select(s => Math.Log10(s))];
for (int m = 0; m < models.Length; m++)
{
    var curve = plot.Add.Scatter(xs, [.. Enumerable.Range(0, sizes.Length).Select(s => 100 * accuracy[m, s])]);
    curve.LegendText = models[m].Name;
    curve.LineWidth = 2;
    curve.MarkerSize = 8;
}

plot.Axes.Bottom.SetTicks(xs, [.. sizes.Select(size => size.ToString("N0", CultureInfo.InvariantCulture))]);
plot.Axes.Bottom.Label.Text = "training images (logarithmic scale)";
plot.Axes.Left.Label.Text = "test accuracy (%)";
plot.Title("More data: test accuracy by training-set size");
plot.ShowLegend(Alignment.LowerRight);
DeepLearning.IO.AtomicFile.Write(file, (string temporary) => plot.SavePng(temporary, 900, 550));
Console.WriteLine();
Console.WriteLine($"Picture (learning curves): {Path.GetFullPath(file)}");
return 0;

static string Points(double fraction) => (fraction >= 0 ? "+" : "−") + Math.Abs(100 * fraction).ToString("0.00", CultureInfo.InvariantCulture) + " points";
