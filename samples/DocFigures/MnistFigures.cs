using System.Globalization;
using DeepLearning.Data;

namespace DocFigures;

/// <summary>The figures trained on MNIST: loss and accuracy per epoch, overfitting, learned features and hidden activations.</summary>
internal static class MnistFigures
{
    internal static void MnistCurves(string path, string? data)
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
    internal static void Overfitting(string path, string? data)
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
    internal static void LearnedFeaturesFigure(string path, string? data)
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

    // For one test image of each of four digits: the image, and the outputs of the 100 hidden neurons it produces, drawn as
    // a 10×10 grid in the same order as the tiles of learned-features.png (neuron n at row n / 10, column n % 10; black: 0,
    // white: the largest output of the four images), so that a bright square points at the feature that fired.
    internal static void HiddenActivations(string path, Network<float> network, MnistData<float> mnist)
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
}
