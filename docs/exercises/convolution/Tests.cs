using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>Checks the convolution exercises: by hand, by finite differences, or against the library.</summary>
public class ConvolutionTests
{
    [Fact(DisplayName = "Exercise 14: a vertical-edge filter over a 5×5 image gives the map worked by hand")]
    public void Exercise14_AVerticalEdgeFilter_ByHand()
    {
        // A 5×5 image, dark on the left and bright on the right; the filter answers where the left of its window is
        // dark and the right bright.
        double[,] image =
        {
            { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 1 }, { 0, 0, 1, 1, 1 },
        };
        double[,] filter = { { -1, 0, 1 }, { -1, 0, 1 }, { -1, 0, 1 } };
        double[,] map = Convolution.FeatureMap(image, filter, bias: 0.5);
        double[,] expected = { { 3.5, 3.5, 0.5 }, { 3.5, 3.5, 0.5 }, { 3.5, 3.5, 0.5 } };
        Assert.Equal(expected, map);
    }

    [Fact(DisplayName = "Exercise 14: the map equals the library's Conv2D output for the same filter and image")]
    public void Exercise14_SameAsTheLibrarysConv2D()
    {
        Network<double> network = new NetworkBuilder<double>(new FeatureShape(1, 6, 6), seed: 4).Conv2D(1, 3).Build();
        var conv = (Conv2D<double>)network.Layers[0];
        var image = new double[6, 6];
        var row = new double[36];
        for (int k = 0; k < 36; k++)
        {
            image[k / 6, k % 6] = row[k] = Math.Sin(k);
        }

        // The layer's weight matrix is (C·k·k)×F: one row per value of a patch, channel by channel, row by row.
        var filter = new double[3, 3];
        for (int k = 0; k < 9; k++)
        {
            filter[k / 3, k % 3] = conv.Weights[k, 0];
        }

        Tensor<double> output = network.Forward(Tensor<double>.FromRows(row));
        double[,] map = Convolution.FeatureMap(image, filter, conv.Bias[0]);
        for (int k = 0; k < 16; k++)
        {
            Assert.Equal(output[0, k], map[k / 4, k % 4], 1e-12);
        }
    }

    [Fact(DisplayName = "Exercise 15: 2×2 pooling of a 4×4 map gives the 2×2 map worked by hand")]
    public void Exercise15_TwoByTwo_ByHand()
    {
        double[,] map = { { 1, 3, 0, -1 }, { 2, -4, 5, 0 }, { 0, 0, -1, -2 }, { 7, 1, -3, -1 } };
        Assert.Equal(new double[,] { { 3, 5 }, { 7, -1 } }, Convolution.MaxPool(map, 2));
    }

    [Theory(DisplayName = "Exercise 16: 28, 5 → 24; 12, 5 → 8; padding 1 keeps 28; stride 2 over 7 or 8 → 3")]
    [InlineData(28, 5, 0, 1, 24)]   // Nielsen's first convolution
    [InlineData(12, 5, 0, 1, 8)]    // his second, after a 2×2 pooling
    [InlineData(28, 3, 1, 1, 28)]   // "same" padding keeps the size
    [InlineData(7, 3, 0, 2, 3)]
    [InlineData(8, 3, 0, 2, 3)]     // the last column does not fit a whole step
    public void Exercise16_OutputSide(int n, int k, int padding, int stride, int expected)
        => Assert.Equal(expected, Convolution.OutputSide(n, k, padding, stride));
}
