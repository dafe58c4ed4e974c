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
        network.Fit(mnist.Training, Loss.CrossEntropy, new GradientDescent(0.05, 0.9), new TrainingOptions { Epochs = 3, BatchSize = 64 });
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

    [Fact]
    public void Otsu_SplitsTwoGroupsBetweenThem()
    {
        float[] values = [.. Enumerable.Repeat(0.1f, 500), .. Enumerable.Repeat(0.8f, 100)];

        DigitImage.Otsu(values).Should().BeInRange(0.1f, 0.8f);
    }

    /// <summary>An MNIST digit as a photo: dark ink on paper of the given grey, scaled to size×size, blurred, with noise.</summary>
    private static float[,] Photo(Tensor<float> images, int index, float paper, int size, double noise, int blur, Random random)
    {
        var photo = new float[size, size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                float ink = images[index, ((y * 28 / size) * 28) + (x * 28 / size)];
                photo[y, x] = paper * (1 - (0.85f * ink)); // dark ink: 15% of the paper's brightness at full ink
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
}
