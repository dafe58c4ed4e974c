using DeepLearning;
using DeepLearning.Activations;

namespace Snippets;

/// <summary>docs/articles/activation-functions.md</summary>
internal static class ActivationFunctions
{
    public static IReadOnlyList<(string Name, double[] Values, double[] Derivatives)> Run(TextWriter output)
    {
        // <values-and-derivatives>
        var z = Tensor<double>.FromRow(-2.0, 0.0, 2.0);
        var a = new Tensor<double>(1, 3);
        var derivative = new Tensor<double>(1, 3);
        var ones = Tensor<double>.FromRow(1.0, 1.0, 1.0);
        var results = new List<(string, double[], double[])>();
        foreach (IActivation activation in new IActivation[] { Activation.Sigmoid, Activation.Tanh, Activation.ReLU })
        {
            activation.Forward(z, a);                         // a = σ(z)
            activation.Backward(z, a, ones, derivative);      // σ′(z), because ∂L/∂a = 1 here
            output.WriteLine($"{activation.Name,-8} σ(z) = {NeuronsAndWeights.Format(a.GetRow(0))}  σ′(z) = {NeuronsAndWeights.Format(derivative.GetRow(0))}");
            results.Add((activation.Name, a.GetRow(0), derivative.GetRow(0)));
        }

        // Sigmoid  σ(z) = [0.1192, 0.5, 0.8808]  σ′(z) = [0.105, 0.25, 0.105]
        // Tanh     σ(z) = [-0.964, 0, 0.964]      σ′(z) = [0.0707, 1, 0.0707]
        // ReLU     σ(z) = [0, 0, 2]               σ′(z) = [0, 0, 1]
        // </values-and-derivatives>
        return results;
    }
}
