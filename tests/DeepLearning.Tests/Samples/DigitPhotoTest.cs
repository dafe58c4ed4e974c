using DeepLearning.Data;
using DigitTrainer;

namespace DeepLearning.Tests.Samples;

/// <summary>
/// Photo-like pictures of real MNIST test digits — dark ink on grey or light paper, noise, blur, 400×400 or 28×28 — are
/// preprocessed and read correctly by a network trained in the test on the embedded subset.
/// </summary>
public class DigitPhotoTest
{
    private static readonly Lazy<(Network<float> Network, MnistData<float> Mnist)> Trained = new(() =>
    {
        MnistData<float> mnist = Mnist.Load<float>(Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset"));
        Network<float> network = new NetworkBuilder<float>(784, seed: 1).Dense(128, Activation.ReLU).Dense(10).Build();
        network.Fit(mnist.Training, Loss.CrossEntropy, new GradientDescent(0.05, 0.9), new TrainingOptions { Epochs = 10, BatchSize = 64 });
        return (network, mnist);
    });

    [Theory]
    [InlineData(200, 400, 0.04, 1)] // the case: a dark digit on grey 200/255 paper, 400×400, light noise
    [InlineData(235, 400, 0.06, 2)] // light paper, more noise, blurred
    [InlineData(170, 28, 0.03, 0)] // a darker grey, already 28×28
    [InlineData(250, 120, 0.02, 1)]
    public void PhotoOfATestDigit_IsReadAsTheNetworkReadsTheDigitItself(int paper, int size, double noise, int blur)
    {
        (Network<float> network, MnistData<float> mnist) = Trained.Value;
        int[] clean = network.PredictClasses(mnist.Test.Inputs);
        int tried = 0, right = 0;
        for (int index = 0; index < 60 && tried < 20; index++)
        {
            if (clean[index] != mnist.Test.Labels![index])
            {
                continue; // only digits the network reads when they come straight from MNIST
            }

            tried++;
            float[,] photo = Photo(mnist.Test.Inputs, index, paper / 255f, size, noise, blur, new Random(index));
            byte[] pixels = DigitImage.ToMnist(photo, $"photo{index}");
            var x = new Tensor<float>(1, 784);
            for (int j = 0; j < 784; j++)
            {
                x[0, j] = pixels[j] / 255f;
            }

            right += network.PredictClasses(x)[0] == mnist.Test.Labels[index] ? 1 : 0;
        }

        tried.Should().Be(20);
        right.Should().BeGreaterThanOrEqualTo(19, "preprocessing removes the paper and restores the contrast, so a photo reads like the scan");
    }

    /// <summary>
    /// The photos: a handwritten digit under uneven light — paper from light to mid grey across the picture, a
    /// shadow with a soft edge over part of it, blur, noise and dark specks near the edges. Each of 20 test digits gets its
    /// own light (direction, strength, shadow); at least 19 must be read as the network reads the digit itself, with on
    /// average at least 90% of the probability on that digit.
    /// </summary>
    [Fact]
    public void PhotoInUnevenLightWithShadowAndSpecks_IsReadAsTheDigitItself()
    {
        (Network<float> network, MnistData<float> mnist) = Trained.Value;
        int[] clean = network.PredictClasses(mnist.Test.Inputs);
        int tried = 0, right = 0;
        double confidence = 0, cleanConfidence = 0;
        var misread = new List<string>();
        for (int index = 0; index < 60 && tried < 20; index++)
        {
            if (clean[index] != mnist.Test.Labels![index])
            {
                continue; // only digits the network reads when they come straight from MNIST
            }

            tried++;
            var random = new Random(1000 + index);
            const int Size = 360;
            double angle = random.NextDouble() * 2 * Math.PI;
            float bright = 0.9f + (0.1f * random.NextSingle()), dim = 0.4f + (0.15f * random.NextSingle()); // light to mid grey
            double shadowAngle = random.NextDouble() * 2 * Math.PI, shadowAt = (random.NextDouble() - 0.5) * Size * 0.6;
            float shadow = 0.55f + (0.2f * random.NextSingle());
            float Light(int y, int x)
            {
                double u = ((((x - (Size / 2.0)) * Math.Cos(angle)) + ((y - (Size / 2.0)) * Math.Sin(angle))) / Size) + 0.5; // 0 to 1 across
                double lit = dim + ((bright - dim) * Math.Clamp(u, 0, 1));
                double s = (((x - (Size / 2.0)) * Math.Cos(shadowAngle)) + ((y - (Size / 2.0)) * Math.Sin(shadowAngle))) - shadowAt;
                double inShadow = Math.Clamp(0.5 + (s / 24), 0, 1); // a soft edge 24 pixels wide
                return (float)(lit * (1 - ((1 - shadow) * inShadow)));
            }

            float[,] photo = Photo(mnist.Test.Inputs, index, Size, Light, noise: 0.03, blur: 2, specks: 6, random);
            byte[] pixels = DigitImage.ToMnist(photo, $"uneven{index}");
            var x = new Tensor<float>(1, 784);
            for (int j = 0; j < 784; j++)
            {
                x[0, j] = pixels[j] / 255f;
            }

            Tensor<float> probabilities = network.Predict(x);
            int digit = network.PredictClasses(x)[0];
            right += digit == clean[index] ? 1 : 0;
            confidence += probabilities[0, clean[index]];
            cleanConfidence += network.Predict(mnist.Test.Inputs.Slice(index, 1))[0, clean[index]];
            if (digit != clean[index])
            {
                misread.Add($"test image {index}: {clean[index]} read as {digit}");
            }
        }

        tried.Should().Be(20);
        right.Should().BeGreaterThanOrEqualTo(19, "the paper is estimated around every pixel and specks are dropped ({0})", string.Join("; ", misread));
        (confidence / tried).Should().BeGreaterThanOrEqualTo(0.90, "a photo in uneven light should read as confidently as the scan (the digits themselves: {0:P1})", cleanConfidence / tried);
    }

    [Fact]
    public void ToMnist_SpeckInACorner_LeavesTheDigitsBoxAlone()
    {
        // A 10×40 bar of ink on a white 100×80 page, and a 3×3 dot of dust in the bottom-right corner.
        var grey = new float[80, 100];
        for (int y = 0; y < 80; y++)
        {
            for (int x = 0; x < 100; x++)
            {
                bool bar = x is >= 45 and < 55 && y is >= 20 and < 60, speck = x is >= 94 and < 97 && y is >= 74 and < 77;
                grey[y, x] = bar || speck ? 0f : 1f;
            }
        }

        byte[] pixels = DigitImage.ToMnist(grey, "bar with a speck");

        int inked = pixels.Count(p => p > 50);
        int columns = Enumerable.Range(0, 28).Count(x => Enumerable.Range(0, 28).Any(y => pixels[(y * 28) + x] > 50));
        columns.Should().BeInRange(5, 6, "the bar alone is scaled to 20 pixels tall (5 wide); the speck would have made the box the whole page");
        inked.Should().BeGreaterThan(80);
    }

    [Fact]
    public void Otsu_SplitsTwoGroupsBetweenThem()
    {
        float[] values = [.. Enumerable.Repeat(0.1f, 500), .. Enumerable.Repeat(0.8f, 100)];

        DigitImage.Otsu(values).Should().BeInRange(0.1f, 0.8f);
    }

    /// <summary>An MNIST digit as a photo on evenly lit paper of the given grey.</summary>
    private static float[,] Photo(Tensor<float> images, int index, float paper, int size, double noise, int blur, Random random)
        => Photo(images, index, size, (_, _) => paper, noise, blur, specks: 0, random);

    /// <summary>
    /// An MNIST digit as a photo: dark ink (12% of the paper's reflectance at full ink) on white paper, scaled to
    /// size×size (bilinear), lit by <paramref name="light"/> (the light reaching pixel (y, x), 0 to 1: gradients,
    /// shadows), blurred, with noise and a few dark specks near the edges.
    /// </summary>
    private static float[,] Photo(Tensor<float> images, int index, int size, Func<int, int, float> light, double noise, int blur, int specks, Random random)
    {
        var photo = new float[size, size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float ink = Bilinear(images, index, ((y + 0.5f) * 28 / size) - 0.5f, ((x + 0.5f) * 28 / size) - 0.5f);
                photo[y, x] = light(y, x) * (1 - (0.88f * ink));
            }
        }

        for (int k = 0; k < specks; k++)
        {
            // a dot of dust or a stray mark, in the outer band of the picture where MNIST's digits never reach
            int r = random.Next(1, Math.Max(2, size / 80) + 1);
            int edge = random.Next(4), along = random.Next(size), inset = random.Next(r, Math.Max(r + 1, size / 12));
            (int cy, int cx) = edge switch { 0 => (inset, along), 1 => (size - 1 - inset, along), 2 => (along, inset), _ => (along, size - 1 - inset) };
            for (int y = Math.Max(0, cy - r); y <= Math.Min(size - 1, cy + r); y++)
            {
                for (int x = Math.Max(0, cx - r); x <= Math.Min(size - 1, cx + r); x++)
                {
                    if (((y - cy) * (y - cy)) + ((x - cx) * (x - cx)) <= r * r)
                    {
                        photo[y, x] *= 0.2f;
                    }
                }
            }
        }

        for (int pass = 0; pass < blur; pass++)
        {
            var blurred = new float[size, size];
            for (int y = 0; y < size; y++)
            {
                for (int x = 0; x < size; x++)
                {
                    float sum = 0;
                    int count = 0;
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            if (y + dy >= 0 && y + dy < size && x + dx >= 0 && x + dx < size)
                            {
                                sum += photo[y + dy, x + dx];
                                count++;
                            }
                        }
                    }

                    blurred[y, x] = sum / count;
                }
            }

            photo = blurred;
        }

        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                photo[y, x] = Math.Clamp(photo[y, x] + (float)(noise * ((random.NextDouble() * 2) - 1)), 0, 1);
            }
        }

        return photo;
    }

    /// <summary>Test image <paramref name="index"/> at a point between its pixels, interpolated from the four around it.</summary>
    private static float Bilinear(Tensor<float> images, int index, float y, float x)
    {
        float At(int yy, int xx) => images[index, (Math.Clamp(yy, 0, 27) * 28) + Math.Clamp(xx, 0, 27)];
        int y0 = (int)MathF.Floor(y), x0 = (int)MathF.Floor(x);
        float fy = y - y0, fx = x - x0;
        return ((1 - fy) * (((1 - fx) * At(y0, x0)) + (fx * At(y0, x0 + 1)))) + (fy * (((1 - fx) * At(y0 + 1, x0)) + (fx * At(y0 + 1, x0 + 1))));
    }
}
