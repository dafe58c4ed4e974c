using System.Numerics;

namespace DeepLearning.Initialization;

/// <summary>The shared instances of the built-in initializers, and the sampling they share.</summary>
public static class Initializer
{
    /// <summary>The textbook choice: every value from the standard normal distribution N(0, 1).</summary>
    public static Gaussian StandardNormal { get; } = new(0, 1);

    /// <summary>Glorot (Xavier) uniform: U(−r, r) with r = √(6 / (fanIn + fanOut)); the default for sigmoid, tanh, softmax and identity layers.</summary>
    public static GlorotUniform GlorotUniform { get; } = new();

    /// <summary>He normal: N(0, 2 / fanIn); the default for ReLU layers.</summary>
    public static HeNormal HeNormal { get; } = new();

    /// <summary>All zeros; the default for biases.</summary>
    public static Zeros Zeros { get; } = new();

    /// <summary>Draws one sample from N(<paramref name="mean"/>, <paramref name="standardDeviation"/>²) by the Box–Muller transform.</summary>
    internal static double NextGaussian(Random random, double mean, double standardDeviation)
    {
        double u1 = 1.0 - random.NextDouble(); // (0, 1]: log never sees 0
        double u2 = random.NextDouble();
        return mean + (standardDeviation * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }

    internal static void FillGaussian<T>(Span<T> values, Random random, double mean, double standardDeviation)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(NextGaussian(random, mean, standardDeviation));
        }
    }
}
