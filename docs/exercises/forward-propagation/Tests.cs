using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>Checks the forward propagation exercises: by hand, by finite differences, or against the library.</summary>
public class ForwardPropagationTests
{
    [Fact(DisplayName = "Exercise 1: x = (1, 2) through a 2×3 W and b gives z = (5, 2.5, 0), worked by hand")]
    public void Exercise1_TwoInputsThreeNeurons_ByHand()
    {
        double[,] w = { { 1, 0, -1 }, { 2, 1, 0 } };   // 2×3: 2 neurons in, 3 out
        double[] z = ForwardPropagation.LayerOutput([1, 2], w, [0, 0.5, 1]);
        Assert.Equal([5, 2.5, 0], z);
    }

    [Fact(DisplayName = "Exercise 1: z equals the library's Dense layer output for the same weights")]
    public void Exercise1_SameAsTheLibrarysDenseLayer()
    {
        Network<double> network = new NetworkBuilder<double>(inputs: 3, seed: 7).Dense(4).Build();
        var dense = (Dense<double>)network.Layers[0];
        double[] x = [0.5, -1, 2];
        double[] expected = Row(network.Forward(Tensor<double>.FromRows(x)), 0);
        double[] z = ForwardPropagation.LayerOutput(x, dense.Weights.ToArray(), dense.Bias!.ToArray());
        Assert.Equal(expected.Length, z.Length);
        for (int j = 0; j < z.Length; j++)
        {
            Assert.Equal(expected[j], z[j], 1e-12);
        }
    }

    [Theory(DisplayName = "Exercise 2: 784-30-10 has 23,860 parameters, 2-3 has 9, 784-800-10 has 636,010")]
    [InlineData(new[] { 784, 30, 10 }, 23_860)]
    [InlineData(new[] { 2, 3 }, 9)]
    [InlineData(new[] { 784, 800, 10 }, 636_010)]
    public void Exercise2_ParameterCount(int[] sizes, long expected)
        => Assert.Equal(expected, ForwardPropagation.ParameterCount(sizes));

    [Fact(DisplayName = "Exercise 2: the count equals the library's for 5-7-3-2")]
    public void Exercise2_SameAsTheLibrary()
    {
        Network<double> network = new NetworkBuilder<double>(inputs: 5, seed: 1).Dense(7).Dense(3).Dense(2).Build();
        Assert.Equal(network.ParameterCount, ForwardPropagation.ParameterCount([5, 7, 3, 2]));
    }

    [Fact(DisplayName = "Exercise 3: the output equals the library's 2-4-3-2 tanh network's")]
    public void Exercise3_SameAsTheLibrarysNetwork()
    {
        Network<double> network = new NetworkBuilder<double>(inputs: 2, seed: 3)
            .Dense(4, Activation.Tanh).Dense(3, Activation.Tanh).Dense(2).Build();
        var layers = network.Layers.Cast<Dense<double>>()
            .Select(d => (d.Weights.ToArray(), d.Bias!.ToArray())).ToList();
        double[] x = [0.3, -0.8];
        double[] expected = Row(network.Forward(Tensor<double>.FromRows(x)), 0);
        double[] y = ForwardPropagation.Forward(x, layers, Math.Tanh);
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(expected[j], y[j], 1e-12);
        }
    }

    private static double[] Row(Tensor<double> t, int row)
        => Enumerable.Range(0, t.Columns).Select(j => t[row, j]).ToArray();
}
