namespace Exercises;

/// <summary>The exercises of the convolution chapter: replace each <c>throw</c> with your code, then run
/// <c>dotnet test</c> in this folder until every test passes.</summary>
public static class Convolution
{
    /// <summary>
    /// Exercise 14. A feature map by hand: slide the k×k filter over every position where it fits wholly inside the
    /// image (no padding, stride 1) and at each one take Σ image·filter over the k×k window, plus the bias. A 5×5 image
    /// and a 3×3 filter give a 3×3 map.
    /// </summary>
    public static double[,] FeatureMap(double[,] image, double[,] filter, double bias)
    {
        throw new NotImplementedException("Exercise 14: not written yet.");
    }

    /// <summary>
    /// Exercise 15. Max-pooling: the largest value of each size×size block of the map (the blocks do not overlap).
    /// </summary>
    public static double[,] MaxPool(double[,] map, int size)
    {
        throw new NotImplementedException("Exercise 15: not written yet.");
    }

    /// <summary>
    /// Exercise 16. The side of a convolution's output: an n×n input, k×k filters, p zeros of padding on every side and
    /// a stride of s give ⌊(n + 2p − k) / s⌋ + 1 positions per side.
    /// </summary>
    public static int OutputSide(int n, int k, int padding, int stride)
    {
        throw new NotImplementedException("Exercise 16: not written yet.");
    }
}
