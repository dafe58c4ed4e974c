using DeepLearning.Data;

namespace DocFigures;

/// <summary>The convolution article's figures: the first convolution's filters, and one digit through every layer.</summary>
internal static class ConvolutionFigureSet
{
    // A convolutional network (Nielsen's two convolutions with ReLU) trained on MNIST, then two pictures of what it learned:
    // conv-filters.png, the 20 filters of its first convolution, 5×5 each (red +, blue −, each scaled to its largest weight);
    // conv-feature-maps.png, one test digit through every layer, a band per layer: the input; the first convolution's 20
    // feature maps (24×24); after max-pooling (12×12); the second convolution's 40 maps (8×8); after pooling (4×4); the
    // dense layer's 100 outputs; the ten probabilities as bars. Within a band black is 0 and white the band's largest value.
    internal static void ConvolutionFigures(string output, string? data)
    {
        MnistData<float> mnist = Mnist.Load<float>(data ?? Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset"));
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1);
        foreach (string layer in new[] { "conv2d(20,5,relu)", "maxpool2d(2)", "conv2d(40,5,relu)", "maxpool2d(2)", "dense(100,relu)", "dense(10)" })
        {
            builder.Add(layer);
        }

        Network<float> network = builder.Build();
        network.Fit(mnist.Training, Loss.CrossEntropy, new GradientDescent(0.05, 0.9), new TrainingOptions { Epochs = 3, BatchSize = 64 });
        double accuracy = network.Evaluate(mnist.Test, Loss.CrossEntropy).Accuracy!.Value;

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

    internal static void SavePng(SkiaSharp.SKBitmap bitmap, string path)
    {
        using SkiaSharp.SKImage image = SkiaSharp.SKImage.FromBitmap(bitmap);
        using SkiaSharp.SKData png = image.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        DeepLearning.IO.AtomicFile.Write(path, (Stream stream) => stream.Write(png.AsSpan()));
    }
}
