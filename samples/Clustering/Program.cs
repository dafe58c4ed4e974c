// Clustering: group unlabeled digits. An autoencoder, 784-128-2-128-784, learns to squeeze each image through two
// numbers and rebuild it (mean squared error on the reconstruction). It never sees a label; yet images of the same
// digit land near each other in those two numbers. Labels are used only to colour the picture and to score it.
//
// Usage: dotnet run --project samples/Clustering -c Release [-- --seed N --output DIR --quick --data MNIST_DIR]

using DeepLearning.Data;
using DeepLearning.Layers;
using SkiaSharp;

(SampleArgs? options, int exitCode) = SampleArgs.Parse(args, "Clustering",
    "an autoencoder squeezes unlabeled digits into two numbers; similar digits end up together", usesMnist: true);
if (options is null)
{
    return exitCode;
}

(MnistData<float> mnist, string source) = MnistFinder.Load(options.Data);
DataSet<float> training = mnist.Training.Take(options.Quick ? 5000 : 20000);
DataSet<float> test = mnist.Test;
int epochs = options.Quick ? 5 : 20;
Console.WriteLine($"Data: {source}; the autoencoder trains on {training.Count:N0} images without their labels, {epochs} epochs.");

// The encoder is the first two layers (784 → 128 → 2), the decoder the last two (2 → 128 → 784).
Network<float> autoencoder = new NetworkBuilder<float>(784, options.Seed)
    .Dense(128, Activation.ReLU)
    .Dense(2, Activation.Identity)        // the code: two numbers per image
    .Dense(128, Activation.ReLU)
    .Dense(784, Activation.Sigmoid)       // pixels in [0, 1]
    .Build();
TrainingHistory history = autoencoder.Fit(training.Inputs, training.Inputs, Loss.MeanSquaredError, new GradientDescent(3.0, momentum: 0.9),
    new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = options.Seed });
Console.WriteLine($"Reconstruction error (MSE per pixel): {Table.Number(history.Epochs[0].TrainingLoss)} after the first epoch, {Table.Number(history.Last!.TrainingLoss)} after the last.");

Tensor<float> trainCodes = Encode(autoencoder, training.Inputs);
Tensor<float> testCodes = Encode(autoencoder, test.Inputs);

// How well do the codes separate the digits? Two classifiers that see only the 2-D codes (and, to be scored, labels).
double centroid = NearestCentroid(trainCodes, training.Labels!, testCodes, test.Labels!);
double neighbours = NearestNeighbours(trainCodes, training.Labels!, testCodes, test.Labels!, k: 5);
Console.WriteLine();
Console.Write(Table.Format(["classifier in the 2-D code space", "test accuracy"],
[
    ["chance (10 digits)", Table.Percent(0.1)],
    ["nearest centroid of each digit's codes", Table.Percent(centroid)],
    ["5 nearest neighbours", Table.Percent(neighbours)],
]));
Console.WriteLine();
Console.WriteLine("Nothing told the network which image shows which digit; it only had to rebuild images through two numbers.");
Console.WriteLine("Keeping similar images close is the cheapest way to do that, so the digits form clusters: that is clustering.");

string codesFile = options.File("codes.png");
string reconstructionsFile = options.File("reconstructions.png");
PlotCodes(codesFile, testCodes, test.Labels!, centroid);
DrawReconstructions(reconstructionsFile, autoencoder, test);
Console.WriteLine();
Console.WriteLine("Pictures:");
Console.WriteLine($"  {Path.GetFullPath(codesFile)}  (the code of every test image, coloured by its true digit)");
Console.WriteLine($"  {Path.GetFullPath(reconstructionsFile)}  (test digits, top, and what the network rebuilt from two numbers, bottom)");
return 0;

static Tensor<float> Encode(Network<float> autoencoder, Tensor<float> images)
{
    var codes = new Tensor<float>(images.Rows, 2);
    var batch = new Tensor<float>(1000, images.Columns);
    for (int start = 0; start + 1000 <= images.Rows; start += 1000)
    {
        for (int j = 0; j < images.Columns; j++)
        {
            for (int i = 0; i < 1000; i++)
            {
                batch[i, j] = images[start + i, j];
            }
        }

        Tensor<float> code = autoencoder.Layers[1].Forward(autoencoder.Layers[0].Forward(batch));
        for (int i = 0; i < 1000; i++)
        {
            codes[start + i, 0] = code[i, 0];
            codes[start + i, 1] = code[i, 1];
        }
    }

    return codes;
}

static double NearestCentroid(Tensor<float> trainCodes, IReadOnlyList<int> trainLabels, Tensor<float> testCodes, IReadOnlyList<int> testLabels)
{
    var centres = new double[10, 2];
    var counts = new int[10];
    for (int i = 0; i < trainCodes.Rows; i++)
    {
        centres[trainLabels[i], 0] += trainCodes[i, 0];
        centres[trainLabels[i], 1] += trainCodes[i, 1];
        counts[trainLabels[i]]++;
    }

    int right = 0;
    for (int i = 0; i < testCodes.Rows; i++)
    {
        int best = Enumerable.Range(0, 10).MinBy(c =>
            Square(testCodes[i, 0] - (centres[c, 0] / counts[c])) + Square(testCodes[i, 1] - (centres[c, 1] / counts[c])));
        right += best == testLabels[i] ? 1 : 0;
    }

    return (double)right / testCodes.Rows;
}

static double NearestNeighbours(Tensor<float> trainCodes, IReadOnlyList<int> trainLabels, Tensor<float> testCodes, IReadOnlyList<int> testLabels, int k)
{
    int right = 0;
    var nearest = new int[k];
    var nearestDistance = new double[k];
    var votes = new int[10];
    for (int i = 0; i < testCodes.Rows; i++)
    {
        Array.Fill(nearestDistance, double.MaxValue);
        for (int t = 0; t < trainCodes.Rows; t++)
        {
            double d = Square(testCodes[i, 0] - trainCodes[t, 0]) + Square(testCodes[i, 1] - trainCodes[t, 1]);
            if (d >= nearestDistance[k - 1])
            {
                continue;
            }

            int slot = k - 1; // insertion into the sorted list of the k nearest so far
            while (slot > 0 && nearestDistance[slot - 1] > d)
            {
                nearestDistance[slot] = nearestDistance[slot - 1];
                nearest[slot] = nearest[slot - 1];
                slot--;
            }

            nearestDistance[slot] = d;
            nearest[slot] = t;
        }

        Array.Clear(votes);
        foreach (int t in nearest)
        {
            votes[trainLabels[t]]++;
        }

        right += Array.IndexOf(votes, votes.Max()) == testLabels[i] ? 1 : 0;
    }

    return (double)right / testCodes.Rows;
}

static double Square(double v) => v * v;

static void PlotCodes(string path, Tensor<float> codes, IReadOnlyList<int> labels, double centroid)
{
    var plot = new Plot();
    var palette = new ScottPlot.Palettes.Category10();
    for (int digit = 0; digit < 10; digit++)
    {
        int[] members = [.. Enumerable.Range(0, labels.Count).Where(i => labels[i] == digit)];
        var dots = plot.Add.ScatterPoints(members.Select(i => (double)codes[i, 0]).ToArray(), members.Select(i => (double)codes[i, 1]).ToArray());
        dots.Color = palette.GetColor(digit).WithAlpha(0.5);
        dots.MarkerSize = 3;
        dots.LegendText = digit.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    plot.Title($"The 2-D codes of the 10,000 test digits (nearest centroid: {Table.Percent(centroid)}, chance 10%)");
    plot.Axes.Bottom.Label.Text = "code 1";
    plot.Axes.Left.Label.Text = "code 2";
    plot.ShowLegend(Alignment.UpperRight);
    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 900, 750));
}

static void DrawReconstructions(string path, Network<float> autoencoder, DataSet<float> test)
{
    // One test image of each digit, then its reconstruction.
    int[] picks = [.. Enumerable.Range(0, 10).Select(d => Enumerable.Range(0, test.Count).First(i => test.Labels![i] == d))];
    var images = new Tensor<float>(10, 784);
    for (int r = 0; r < 10; r++)
    {
        for (int j = 0; j < 784; j++)
        {
            images[r, j] = test.Inputs[picks[r], j];
        }
    }

    Tensor<float> rebuilt = autoencoder.Predict(images);
    const int Scale = 4, Gap = 8, Label = 200, Title = 40;
    using var bitmap = new SKBitmap(Label + (10 * ((28 * Scale) + Gap)) + Gap, Title + (2 * ((28 * Scale) + Gap)) + Gap);
    using (var canvas = new SKCanvas(bitmap))
    {
        canvas.Clear(SKColors.White);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var font = new SKFont(SKTypeface.Default, 20);
        canvas.DrawText("One test digit of each class, and what the autoencoder rebuilds from its 2 numbers", Gap, 28, SKTextAlign.Left, font, paint);
        canvas.DrawText("test digit", Gap, Title + Gap + (28 * Scale / 2), SKTextAlign.Left, font, paint);
        canvas.DrawText("rebuilt from", Gap, Title + (2 * Gap) + (28 * Scale) + (28 * Scale / 2) - 10, SKTextAlign.Left, font, paint);
        canvas.DrawText("its 2-D code", Gap, Title + (2 * Gap) + (28 * Scale) + (28 * Scale / 2) + 14, SKTextAlign.Left, font, paint);
    }

    for (int row = 0; row < 2; row++)
    {
        Tensor<float> source = row == 0 ? images : rebuilt;
        for (int k = 0; k < 10; k++)
        {
            for (int p = 0; p < 784; p++)
            {
                byte v = (byte)(255 - Math.Clamp((int)Math.Round(255 * source[k, p]), 0, 255));
                for (int dy = 0; dy < Scale; dy++)
                {
                    for (int dx = 0; dx < Scale; dx++)
                    {
                        bitmap.SetPixel(Label + Gap + (k * ((28 * Scale) + Gap)) + (p % 28 * Scale) + dx, Title + Gap + (row * ((28 * Scale) + Gap)) + (p / 28 * Scale) + dy, new SKColor(v, v, v));
                    }
                }
            }
        }
    }

    using SKImage image = SKImage.FromBitmap(bitmap);
    using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
    DeepLearning.IO.AtomicFile.Write(path, (Stream stream) => stream.Write(png.AsSpan()));
}
