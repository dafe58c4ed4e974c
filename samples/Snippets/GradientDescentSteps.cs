using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace Snippets;

/// <summary>docs/articles/gradient-descent.md</summary>
internal static class GradientDescentSteps
{
    public static IReadOnlyList<double> Run(TextWriter output, double learningRate = 0.1, int steps = 5)
    {
        // <one-weight>
        // One input x = 2, one weight w = 5, no bias, label 6: the prediction is w·x.
        var layer = new Dense<double>(1, 1, Activation.Identity, useBias: false);
        layer.Weights[0, 0] = 5;
        var network = new Network<double>(layer);
        var x = Tensor<double>.FromRow(2.0);
        var label = Tensor<double>.FromRow(6.0);
        var optimizer = new GradientDescent(learningRate);

        var weights = new List<double> { layer.Weights[0, 0] };
        for (int step = 1; step <= steps; step++)
        {
            double loss = network.ComputeGradients(x, label, Loss.Quadratic); // forward, loss, backward
            double gradient = layer.WeightGradient[0, 0];                     // ∂L/∂w = (w·x − 6)·x
            optimizer.Step(network.Parameters);                               // w ← w − ε·∂L/∂w
            weights.Add(layer.Weights[0, 0]);
            output.WriteLine($"step {step}: loss {loss:0.####}, gradient {gradient:0.####}, w → {layer.Weights[0, 0]:0.####}");
        }

        // step 1: loss 8, gradient 8, w → 4.2
        // step 2: loss 2.88, gradient 4.8, w → 3.72
        // step 3: loss 1.0368, gradient 2.88, w → 3.432
        // </one-weight>
        return weights;
    }
}
