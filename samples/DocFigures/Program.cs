// Draws the figures of the documentation from the library's own numbers:
//   activations.png       σ and σ′ of sigmoid, tanh and ReLU
//   gradient-descent.png  the quadratic loss of the one-weight example with the gradient-descent steps marked
//   learning-rates.png    the same walk with a learning rate too small, right, and too large
//   mnist-curves.png      training loss and test accuracy per epoch on MNIST (the full set with --data DIR, else the subset)
//   learned-features.png  each hidden neuron's 784 incoming weights as a 28×28 image (784-100-10 on 10,000 images)
//   hidden-activations.png  the hidden neurons' outputs for a test 0, 1, 7 and 3, in the same order
//   overfitting.png       test accuracy per epoch of 784-100-10 on 1,000 images, with L2, with dropout, and on 10,000
//   icon.png              the package icon
//
// Usage: dotnet run --project samples/DocFigures -c Release -- [--output docs/images] [--data DIR]

using System.Globalization;
using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;
using ScottPlot;

var outputOption = new System.CommandLine.Option<string>("--output") { Description = "where the figures go", DefaultValueFactory = _ => "docs/images", HelpName = "DIR" };
var dataOption = new System.CommandLine.Option<string?>("--data") { Description = "the four MNIST files (default: the embedded subset)", HelpName = "DIR" };
var command = new System.CommandLine.RootCommand("Draws the figures of the docs from the library's own numbers.") { outputOption, dataOption };
// One error: line, exit 2 for usage and 1 for files and data, output laid out for the terminal, as every sample.
(System.CommandLine.ParseResult? parsed, int exitCode) = SampleArgs.ParseCommand(command, args, "DocFigures");
if (parsed is null)
{
    return exitCode;
}

string output = SampleArgs.PathValue("--output", parsed.GetValue(outputOption)!);
string? data = parsed.GetValue(dataOption) is { } given ? SampleArgs.PathValue("--data", given) : null;

Directory.CreateDirectory(output);
Activations(Path.Combine(output, "activations.png"));
GradientDescentWalk(Path.Combine(output, "gradient-descent.png"));
LearningRates(Path.Combine(output, "learning-rates.png"));
MnistCurves(Path.Combine(output, "mnist-curves.png"), data);
LearnedFeaturesFigure(Path.Combine(output, "learned-features.png"), data);
ConvolutionFigures(output, data);
Overfitting(Path.Combine(output, "overfitting.png"), data);
Icon(Path.Combine(output, "icon.png"));
Console.WriteLine($"Figures written to {Path.GetFullPath(output)}");
return 0;

static void Activations(string path)
{
    double[] zs = [.. Enumerable.Range(0, 161).Select(i => -4 + (i * 0.05))];
    var z = new Tensor<double>(1, zs.Length);
    for (int j = 0; j < zs.Length; j++)
    {
        z[0, j] = zs[j];
    }

    var multiplot = new Multiplot();
    multiplot.AddPlots(3);
    multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
    IActivation[] activations = [Activation.Sigmoid, Activation.Tanh, Activation.ReLU];
    for (int k = 0; k < activations.Length; k++)
    {
        var a = new Tensor<double>(1, zs.Length);
        var d = new Tensor<double>(1, zs.Length);
        var ones = new Tensor<double>(1, zs.Length);
        ones.Matrix.Clear();
        ones.Matrix.Add(1.0, ones.Matrix);
        activations[k].Forward(z, a);
        activations[k].Backward(z, a, ones, d);
        Plot plot = multiplot.GetPlot(k);
        plot.Add.Scatter(zs, a.GetRow(0)).LegendText = "σ(z)";
        var derivative = plot.Add.Scatter(zs, d.GetRow(0));
        derivative.LegendText = "σ′(z)";
        derivative.LinePattern = LinePattern.Dashed;
        foreach (var s in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>())
        {
            s.MarkerSize = 0;
            s.LineWidth = 2;
        }

        plot.Title(activations[k].Name);
        plot.Axes.Bottom.Label.Text = "z";
        plot.ShowLegend(Alignment.UpperLeft);
    }

    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => multiplot.SavePng(temporary, 1200, 400));
}

static (Network<double> Network, Dense<double> Layer) OneWeight()
{
    var layer = new Dense<double>(1, 1, Activation.Identity, useBias: false);
    layer.Weights[0, 0] = 5;
    return (new Network<double>(layer), layer);
}

static List<(double W, double Loss)> Walk(double learningRate, int steps)
{
    (Network<double> network, Dense<double> layer) = OneWeight();
    var optimizer = new GradientDescent(learningRate);
    var x = Tensor<double>.FromRow(2.0);
    var y = Tensor<double>.FromRow(6.0);
    var points = new List<(double, double)>();
    for (int step = 0; step <= steps; step++)
    {
        double loss = network.ComputeGradients(x, y, Loss.Quadratic);
        points.Add((layer.Weights[0, 0], loss));
        optimizer.Step(network.Parameters);
    }

    return points;
}

static void LossCurve(Plot plot, double from, double to)
{
    double[] ws = [.. Enumerable.Range(0, 201).Select(i => from + ((to - from) * i / 200))];
    var curve = plot.Add.Scatter(ws, [.. ws.Select(w => 0.5 * ((2 * w) - 6) * ((2 * w) - 6))]);
    curve.MarkerSize = 0;
    curve.LineWidth = 2;
    curve.LegendText = "L(w) = ½(2w − 6)²";
    plot.Axes.Bottom.Label.Text = "weight w";
    plot.Axes.Left.Label.Text = "loss L";
}

static void GradientDescentWalk(string path)
{
    var plot = new Plot();
    LossCurve(plot, 1.5, 5.5);
    List<(double W, double Loss)> walk = Walk(0.1, 8);
    var steps = plot.Add.Scatter(walk.Select(p => p.W).ToArray(), walk.Select(p => p.Loss).ToArray());
    steps.LegendText = "gradient-descent steps, ε = 0.1";
    steps.MarkerSize = 9;
    for (int i = 0; i < 3; i++)
    {
        var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"w = {walk[i].W:0.##}, L = {walk[i].Loss:0.##}"), walk[i].W, walk[i].Loss);
        label.LabelFontSize = 13;
        label.LabelAlignment = Alignment.UpperLeft;
        label.OffsetX = 10;
    }

    plot.Title("Gradient descent on one weight: x = 2, label 6, from w = 5 towards w = 3");
    plot.ShowLegend(Alignment.UpperLeft);
    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 900, 550));
}

static void LearningRates(string path)
{
    var multiplot = new Multiplot();
    multiplot.AddPlots(3);
    multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
    (double Rate, string Title)[] cases = [(0.02, "ε = 0.02: too small, crawls"), (0.1, "ε = 0.1: converges"), (0.55, "ε = 0.55: too large, diverges")];
    for (int k = 0; k < cases.Length; k++)
    {
        Plot plot = multiplot.GetPlot(k);
        List<(double W, double Loss)> walk = Walk(cases[k].Rate, 8);
        double low = Math.Min(1, walk.Min(p => p.W)), high = Math.Max(5.5, walk.Max(p => p.W));
        LossCurve(plot, low, high);
        var steps = plot.Add.Scatter(walk.Select(p => p.W).ToArray(), walk.Select(p => p.Loss).ToArray());
        steps.MarkerSize = 8;
        steps.LegendText = "8 steps";
        plot.Title(cases[k].Title);
        plot.ShowLegend(Alignment.UpperCenter);
    }

    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => multiplot.SavePng(temporary, 1350, 420));
}

static void MnistCurves(string path, string? data)
{
    string directory = data ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");
    MnistData<float> mnist = Mnist.Load<float>(directory);
    Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(800, Activation.ReLU).Dense(10).Build();
    TrainingHistory history = network.Fit(mnist.Training, Loss.CrossEntropy, new GradientDescent(0.05, 0.9),
        new TrainingOptions { Epochs = 10, BatchSize = 64, Seed = 1 }, mnist.Test);
    double[] epochs = [.. history.Epochs.Select(e => (double)e.Epoch)];
    var plot = new Plot();
    var loss = plot.Add.Scatter(epochs, [.. history.Epochs.Select(e => e.TrainingLoss)]);
    loss.LegendText = "training loss";
    var accuracy = plot.Add.Scatter(epochs, [.. history.Epochs.Select(e => 100 * e.ValidationAccuracy!.Value)]);
    accuracy.LegendText = "test accuracy (%)";
    accuracy.Axes.YAxis = plot.Axes.Right;
    plot.Axes.Left.Label.Text = "training loss (cross-entropy)";
    plot.Axes.Right.Label.Text = "test accuracy (%)";
    plot.Axes.Bottom.Label.Text = "epoch";
    plot.Title(string.Create(CultureInfo.InvariantCulture,
        $"784-800-10 on {mnist.Training.Count:N0} MNIST training images: {100 * history.Last!.ValidationAccuracy:0.00}% on the 10,000 test images"));
    plot.ShowLegend(Alignment.MiddleRight);
    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 900, 500));
}

// The overfitting article's four runs, with the test accuracy after every epoch: 1,000 training images memorised,
// the same with L2 or dropout, and ten times the data.
static void Overfitting(string path, string? data)
{
    string directory = data ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");
    MnistData<float> mnist = Mnist.Load<float>(directory);
    (string Name, int Images, DeepLearning.Regularization.IRegularizer? Regularizer, double Dropout)[] runs =
    [
        ("1,000 images", 1_000, null, 0),
        ("1,000 images, L2 (λ = 5)", 1_000, new DeepLearning.Regularization.L2(5), 0),
        ("1,000 images, dropout 0.5", 1_000, null, 0.5),
        ("10,000 images", 10_000, null, 0),
    ];
    var plot = new Plot();
    foreach (var run in runs)
    {
        var builder = new NetworkBuilder<float>(784, seed: 1).Dense(100, Activation.ReLU);
        Network<float> network = (run.Dropout > 0 ? builder.Dropout(run.Dropout) : builder).Dense(10).Build();
        TrainingHistory history = network.Fit(mnist.Training.Take(run.Images), Loss.CrossEntropy, new GradientDescent(0.05),
            new TrainingOptions { Epochs = 60, BatchSize = 10, Regularizer = run.Regularizer }, mnist.Test);
        double[] epochs = [.. history.Epochs.Select(e => (double)e.Epoch)];
        double[] accuracy = [.. history.Epochs.Select(e => 100 * e.ValidationAccuracy!.Value)];
        var line = plot.Add.Scatter(epochs, accuracy);
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{run.Name}: {100 * history.Last!.ValidationAccuracy:0.0}%");
        line.MarkerSize = 0;
        line.LineWidth = 2;
    }

    plot.Axes.Left.Label.Text = "accuracy on the 10,000 test images (%)";
    plot.Axes.Bottom.Label.Text = "epoch";
    plot.Title("784-100-10: training accuracy reaches 100% in every run; the test accuracy tells them apart");
    plot.ShowLegend(Alignment.LowerRight);
    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 900, 500));
}

// Every hidden neuron's 784 incoming weights drawn as a 28×28 image (red: positive, blue: negative, white: 0), for a
// 784-100-10 ReLU network trained 5 epochs: the features it found itself.
static void LearnedFeaturesFigure(string path, string? data)
{
    string directory = data ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");
    MnistData<float> mnist = Mnist.Load<float>(directory);
    var network = new NetworkBuilder<float>(784, seed: 1).Dense(100, Activation.ReLU).Dense(10).Build();
    network.Fit(mnist.Training.Take(10_000), Loss.CrossEntropy, new GradientDescent(0.05, 0.9), new TrainingOptions { Epochs = 5, BatchSize = 64 });
    var hidden = (DeepLearning.Layers.Dense<float>)network.Layers[0];
    const int Scale = 3, Gap = 4, PerRow = 10, Tile = (28 * Scale) + Gap;
    using var bitmap = new SkiaSharp.SKBitmap((PerRow * Tile) + Gap, (10 * Tile) + Gap);
    using (var canvas = new SkiaSharp.SKCanvas(bitmap))
    {
        canvas.Clear(SkiaSharp.SKColors.White);
    }

    for (int neuron = 0; neuron < 100; neuron++)
    {
        float max = 1e-12f;
        for (int p = 0; p < 784; p++)
        {
            max = Math.Max(max, Math.Abs(hidden.Weights[p, neuron]));
        }

        for (int p = 0; p < 784; p++)
        {
            float w = hidden.Weights[p, neuron] / max; // −1 … 1
            byte fade = (byte)(255 * (1 - Math.Abs(w)));
            var color = w >= 0 ? new SkiaSharp.SKColor(255, fade, fade) : new SkiaSharp.SKColor(fade, fade, 255);
            int x0 = Gap + (neuron % PerRow * Tile) + (p % 28 * Scale), y0 = Gap + (neuron / PerRow * Tile) + (p / 28 * Scale);
            for (int dy = 0; dy < Scale; dy++)
            {
                for (int dx = 0; dx < Scale; dx++)
                {
                    bitmap.SetPixel(x0 + dx, y0 + dy, color);
                }
            }
        }
    }

    using SkiaSharp.SKImage image = SkiaSharp.SKImage.FromBitmap(bitmap);
    using SkiaSharp.SKData png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
    DeepLearning.IO.AtomicFile.Write(path, (Stream stream) => stream.Write(png.AsSpan()));
    Console.WriteLine($"{path}: the 784 incoming weights of each of the 100 hidden neurons");
    HiddenActivations(Path.Combine(Path.GetDirectoryName(path)!, "hidden-activations.png"), network, mnist);
}

// A convolutional network (Nielsen's two convolutions with ReLU) trained on MNIST, then two pictures of what it learned:
// conv-filters.png, the 20 filters of its first convolution, 5×5 each (red +, blue −, each scaled to its largest weight);
// conv-feature-maps.png, one test digit through every layer, a band per layer: the input; the first convolution's 20
// feature maps (24×24); after max-pooling (12×12); the second convolution's 40 maps (8×8); after pooling (4×4); the
// dense layer's 100 outputs; the ten probabilities as bars. Within a band black is 0 and white the band's largest value.
static void ConvolutionFigures(string output, string? data)
{
    MnistData<float> mnist = Mnist.Load<float>(data ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset"));
    var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1);
    foreach (string layer in new[] { "conv2d(20,5,relu)", "maxpool2d(2)", "conv2d(40,5,relu)", "maxpool2d(2)", "dense(100,relu)", "dense(10)" })
    {
        builder.Add(layer);
    }

    Network<float> network = builder.Build();
    network.Fit(mnist.Training, Loss.CrossEntropy, new GradientDescent(0.05, 0.9), new TrainingOptions { Epochs = 3, BatchSize = 64 });
    double accuracy = network.Evaluate(mnist.Test, Loss.CrossEntropy).Accuracy;

    // The filters: column f of the first convolution's W, rows i·5 + j, drawn as a 5×5 square.
    var conv = (DeepLearning.Layers.Conv2D<float>)network.Layers[0];
    const int Scale = 16, Gap = 6, PerRow = 10, Tile = (5 * Scale) + Gap;
    using (var bitmap = new SkiaSharp.SKBitmap((PerRow * Tile) + Gap, (2 * Tile) + Gap))
    {
        using var canvas = new SkiaSharp.SKCanvas(bitmap);
        canvas.Clear(SkiaSharp.SKColors.White);
        for (int f = 0; f < 20; f++)
        {
            float max = Enumerable.Range(0, 25).Max(r => Math.Abs(conv.Weights[r, f])) + 1e-12f;
            for (int r = 0; r < 25; r++)
            {
                float w = conv.Weights[r, f] / max;
                byte fade = (byte)(255 * (1 - Math.Abs(w)));
                using var paint = new SkiaSharp.SKPaint { Color = w >= 0 ? new SkiaSharp.SKColor(255, fade, fade) : new SkiaSharp.SKColor(fade, fade, 255) };
                canvas.DrawRect(Gap + (f % PerRow * Tile) + (r % 5 * Scale), Gap + (f / PerRow * Tile) + (r / 5 * Scale), Scale, Scale, paint);
            }
        }

        SavePng(bitmap, Path.Combine(output, "conv-filters.png"));
    }

    Console.WriteLine(FormattableString.Invariant($"{Path.Combine(output, "conv-filters.png")}: the 20 learned 5×5 filters of the first convolution ({accuracy:P2} test accuracy after 3 epochs on {mnist.Training.Count:N0} images)"));

    // One test digit (the first 7) through every layer.
    int index = Array.IndexOf(mnist.Test.Labels!.ToArray(), 7);
    Tensor<float> digit = mnist.Test.Inputs.Slice(index, 1);
    Tensor<float> probabilities = network.Predict(digit);
    (int Maps, int Side)[] bands = [(1, 28), (20, 24), (20, 12), (40, 8), (40, 4)];
    const int MapTile = 48, MapGap = 4, MapsPerRow = 20, BandGap = 18, Width = (MapsPerRow * (MapTile + MapGap)) + MapGap;
    int height = BandGap + bands.Sum(b => ((b.Maps + MapsPerRow - 1) / MapsPerRow * (MapTile + MapGap)) + BandGap) + 12 + BandGap + 60 + BandGap;
    using (var bitmap = new SkiaSharp.SKBitmap(Width, height))
    {
        using var canvas = new SkiaSharp.SKCanvas(bitmap);
        canvas.Clear(SkiaSharp.SKColors.White);
        int top = BandGap;
        for (int b = 0; b < bands.Length; b++)
        {
            Tensor<float> values = b == 0 ? digit : network.Layers[b - 1].Output!;
            (int maps, int side) = bands[b];
            float max = 1e-12f;
            for (int j = 0; j < maps * side * side; j++)
            {
                max = Math.Max(max, values[0, j]);
            }

            for (int m = 0; m < maps; m++)
            {
                int left = MapGap + (m % MapsPerRow * (MapTile + MapGap)), y0 = top + (m / MapsPerRow * (MapTile + MapGap));
                float pixel = (float)MapTile / side;
                for (int j = 0; j < side * side; j++)
                {
                    byte light = (byte)(255 * Math.Clamp(values[0, (m * side * side) + j] / max, 0, 1));
                    using var paint = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(light, light, light) };
                    canvas.DrawRect(left + (j % side * pixel), y0 + (j / side * pixel), pixel, pixel, paint);
                }
            }

            top += ((maps + MapsPerRow - 1) / MapsPerRow * (MapTile + MapGap)) + BandGap;
        }

        // The dense layer's 100 outputs: a strip of 100 cells; then the ten probabilities as bars, digit 0 to 9.
        Tensor<float> dense = network.Layers[4].Output!;
        float denseMax = Enumerable.Range(0, 100).Max(n => dense[0, n]) + 1e-12f;
        for (int n = 0; n < 100; n++)
        {
            byte light = (byte)(255 * Math.Max(0, dense[0, n]) / denseMax);
            using var paint = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(light, light, light) };
            canvas.DrawRect(MapGap + (n * 10), top, 9, 12, paint);
        }

        top += 12 + BandGap;
        using var bar = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(40, 90, 200) };
        using var frame = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(200, 200, 200), IsStroke = true };
        for (int d = 0; d < 10; d++)
        {
            float h = 60 * probabilities[0, d];
            canvas.DrawRect(MapGap + (d * (MapTile + MapGap)), top, MapTile, 60, frame);
            canvas.DrawRect(MapGap + (d * (MapTile + MapGap)), top + 60 - h, MapTile, h, bar);
        }

        SavePng(bitmap, Path.Combine(output, "conv-feature-maps.png"));
    }

    int predicted = Enumerable.Range(0, 10).MaxBy(d => probabilities[0, d]);
    Console.WriteLine(FormattableString.Invariant($"{Path.Combine(output, "conv-feature-maps.png")}: test image {index} (a 7) through every layer, read as {predicted} with {probabilities[0, predicted]:P1}"));
}

static void SavePng(SkiaSharp.SKBitmap bitmap, string path)
{
    using SkiaSharp.SKImage image = SkiaSharp.SKImage.FromBitmap(bitmap);
    using SkiaSharp.SKData png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
    DeepLearning.IO.AtomicFile.Write(path, (Stream stream) => stream.Write(png.AsSpan()));
}

// For one test image of each of four digits: the image, and the outputs of the 100 hidden neurons it produces, drawn as
// a 10×10 grid in the same order as the tiles of learned-features.png (neuron n at row n / 10, column n % 10; black: 0,
// white: the largest output of the four images), so that a bright square points at the feature that fired.
static void HiddenActivations(string path, Network<float> network, MnistData<float> mnist)
{
    int[] digits = [0, 1, 7, 3];
    int[] labels = mnist.Test.Labels!.ToArray();
    int[] rows = [.. digits.Select(d => Array.IndexOf(labels, d))];
    var images = new Tensor<float>(rows.Length, 784);
    for (int r = 0; r < rows.Length; r++)
    {
        for (int p = 0; p < 784; p++)
        {
            images[r, p] = mnist.Test.Inputs[rows[r], p];
        }
    }

    network.Forward(images);
    Tensor<float> hidden = ((DeepLearning.Layers.Dense<float>)network.Layers[0]).Output!;
    float max = 1e-12f;
    for (int r = 0; r < rows.Length; r++)
    {
        for (int n = 0; n < 100; n++)
        {
            max = Math.Max(max, hidden[r, n]);
        }
    }

    const int Scale = 4, Cell = 11, Gap = 16, Width = (28 * Scale) + Gap + (10 * Cell) + Gap;
    using var bitmap = new SkiaSharp.SKBitmap((rows.Length * Width) + Gap, (28 * Scale) + (2 * Gap));
    using (var canvas = new SkiaSharp.SKCanvas(bitmap))
    {
        canvas.Clear(SkiaSharp.SKColors.White);
        for (int r = 0; r < rows.Length; r++)
        {
            int left = Gap + (r * Width);
            for (int p = 0; p < 784; p++)
            {
                byte ink = (byte)(255 * (1 - images[r, p]));
                using var paint = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(ink, ink, ink) };
                canvas.DrawRect(left + (p % 28 * Scale), Gap + (p / 28 * Scale), Scale, Scale, paint);
            }

            int gridLeft = left + (28 * Scale) + Gap, gridTop = Gap + (((28 * Scale) - (10 * Cell)) / 2);
            for (int n = 0; n < 100; n++)
            {
                byte light = (byte)(255 * Math.Max(0, hidden[r, n]) / max);
                using var paint = new SkiaSharp.SKPaint { Color = new SkiaSharp.SKColor(light, light, light) };
                canvas.DrawRect(gridLeft + (n % 10 * Cell), gridTop + (n / 10 * Cell), Cell - 1, Cell - 1, paint);
            }
        }
    }

    using SkiaSharp.SKImage image = SkiaSharp.SKImage.FromBitmap(bitmap);
    using SkiaSharp.SKData png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
    DeepLearning.IO.AtomicFile.Write(path, (Stream stream) => stream.Write(png.AsSpan()));
    int zeros = Enumerable.Range(0, rows.Length * 100).Count(i => hidden[i / 100, i % 100] == 0);
    Console.WriteLine($"{path}: the hidden neurons' outputs for a test 0, 1, 7 and 3 ({zeros} of {rows.Length * 100} are 0)");
}

static void Icon(string path)
{
    // A 2-3-2 network: neurons as dots, weights as lines.
    var plot = new Plot();
    double[][] layers = [[0.3, 0.7], [0.15, 0.5, 0.85], [0.3, 0.7]];
    for (int l = 0; l + 1 < layers.Length; l++)
    {
        foreach (double from in layers[l])
        {
            foreach (double to in layers[l + 1])
            {
                var line = plot.Add.Line(l, from, l + 1, to);
                line.LineWidth = 4;
                line.LineColor = Color.FromHex("#5B6C8F");
            }
        }
    }

    for (int l = 0; l < layers.Length; l++)
    {
        foreach (double y in layers[l])
        {
            var dot = plot.Add.Marker(l, y);
            dot.MarkerSize = 28;
            dot.Color = Color.FromHex(l == 1 ? "#E07A2E" : "#2E6FE0");
        }
    }

    plot.Axes.SetLimits(-0.35, 2.35, -0.05, 1.05);
    plot.HideGrid();
    plot.Layout.Frameless();
    plot.Axes.Frameless();
    plot.FigureBackground.Color = Colors.White;
    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 128, 128));
}
