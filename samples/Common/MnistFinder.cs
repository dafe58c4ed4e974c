using DeepLearning.Data;

namespace Samples.Common;

/// <summary>MNIST as the digit trainer finds it, minus the download: --data DIR, else the cache when complete, else the embedded subset.</summary>
internal static class MnistFinder
{
    public static (MnistData<float> Data, string Source) Load(string? directory)
    {
        if (directory is not null)
        {
            return (Mnist.Load<float>(directory), $"MNIST from {directory}");
        }

        string cache = Mnist.DefaultCacheDirectory;
        if (Mnist.IsComplete(cache))
        {
            return (Mnist.Load<float>(cache), $"MNIST from the cache {cache}");
        }

        string embedded = Path.Combine(AppContext.BaseDirectory, "data", "mnist-subset");
        return (Mnist.Load<float>(embedded), "the embedded MNIST subset (10,000 training images; --data DIR for all 60,000)");
    }
}
