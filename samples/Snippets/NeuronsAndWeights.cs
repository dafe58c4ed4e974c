using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;

namespace Snippets;

/// <summary>docs/articles/neurons-and-weights.md</summary>
internal static class NeuronsAndWeights
{
    public static Dense<double> Run(TextWriter output)
    {
        // <weight-matrix>
        // Two neurons connected to three: every connection has a weight.
        var layer = new Dense<double>(inputs: 2, outputs: 3, Activation.Sigmoid);

        // One row per neuron the connections come from, one column per neuron they go to.
        output.WriteLine($"W is {layer.Weights.RowCount}×{layer.Weights.ColumnCount}"); // W is 2×3
        output.WriteLine($"b has {layer.Bias!.Count} entries");                          // b has 3 entries

        // The weight of the connection from input neuron 0 to output neuron 2:
        layer.Weights[0, 2] = 0.5;
        // </weight-matrix>

        // <set-weights>
        layer.Weights.SetRow(0, [0.1, 0.2, 0.5]);   // from input neuron 0
        layer.Weights.SetRow(1, [-0.3, 0.4, 0.0]);  // from input neuron 1
        layer.Bias.SetValues([0.0, 0.0, 0.1]);
        Tensor<double> h = layer.Forward(Tensor<double>.FromRow(1.0, 2.0));
        output.WriteLine($"z = {Format(layer.WeightedInput!.GetRow(0))}"); // z = [-0.5, 1, 0.6]
        output.WriteLine($"h = {Format(h.GetRow(0))}");                    // h = [0.3775, 0.7311, 0.6457]
        // </set-weights>
        return layer;
    }

    internal static string Format(double[] values)
        => "[" + string.Join(", ", values.Select(v => (v + 0.0).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
