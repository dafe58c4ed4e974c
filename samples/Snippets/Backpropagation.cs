using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Training;

namespace Snippets;

/// <summary>docs/articles/backpropagation.md</summary>
internal static class Backpropagation
{
    public static (double Loss, double[] Delta2, double[] Delta1, double[,] GradientW2, double[,] GradientW1) Run(TextWriter output)
    {
        // <two-three-two>
        // A 2-3-2 network small enough to do on paper: ReLU hidden layer, linear output, quadratic loss.
        var hidden = new Dense<double>(2, 3, Activation.ReLU);
        var last = new Dense<double>(3, 2, Activation.Identity);
        double[,] w1 = { { 0.5, -1, 0.25 }, { 0.5, 0.25, 1 } };  // 2×3: from 2 inputs to 3 neurons
        double[,] w2 = { { 1, -1 }, { 2, 0.5 }, { 0, 1 } };      // 3×2: from 3 neurons to 2 outputs
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                hidden.Weights[i, j] = w1[i, j];
                last.Weights[j, i] = w2[j, i];
            }
        }

        var network = new Network<double>(hidden, last);        // biases start at 0
        var x = Tensor<double>.FromRow(1.0, 2.0);
        var y = Tensor<double>.FromRow(1.0, 0.0);
        double loss = network.ComputeGradients(x, y, Loss.Quadratic);

        // The library's gradients. With one sample, ∂L/∂b of a layer is its δ.
        double[] delta2 = [.. last.BiasGradient!];
        double[] delta1 = [.. hidden.BiasGradient!];
        output.WriteLine($"L = {loss}");
        output.WriteLine($"δ2 = [{string.Join(", ", delta2)}]");
        output.WriteLine($"∂L/∂W2 = {Rows(last.WeightGradient.ToArray())}");
        output.WriteLine($"δ1 = [{string.Join(", ", delta1)}]");
        output.WriteLine($"∂L/∂W1 = {Rows(hidden.WeightGradient.ToArray())}");

        // L = 0.40625
        // δ2 = [0.5, 0.75]
        // ∂L/∂W2 = [[0.75, 1.125], [0, 0], [1.125, 1.6875]]
        // δ1 = [-0.25, 0, 0.75]
        // ∂L/∂W1 = [[-0.25, 0, 0.75], [-0.5, 0, 1.5]]
        // </two-three-two>
        return (loss, delta2, delta1, last.WeightGradient.ToArray(), hidden.WeightGradient.ToArray());
    }

    private static string Rows(double[,] m)
        => "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(0)).Select(i => "[" + string.Join(", ", Enumerable.Range(0, m.GetLength(1)).Select(j => m[i, j])) + "]")) + "]";
}
