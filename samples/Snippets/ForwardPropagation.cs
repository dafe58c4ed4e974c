using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Snippets;

/// <summary>docs/articles/forward-propagation.md</summary>
internal static class ForwardPropagation
{
    public static Network<double> Run(TextWriter output)
    {
        // <five-layers>
        // Five layers of neurons, x → h1 → h2 → h3 → y, joined by four weight matrices.
        Network<double> network = new NetworkBuilder<double>(inputs: 4, seed: 42)
            .Dense(8, Activation.ReLU)     // h1 = ReLU(x·W1 + b1)
            .Dense(6, Activation.Tanh)     // h2 = tanh(h1·W2 + b2)
            .Dense(5, Activation.Sigmoid)  // h3 = σ(h2·W3 + b3)
            .Dense(3, Activation.Softmax)  // y  = softmax(h3·W4 + b4)
            .Build();

        // A batch of two samples: one row each.
        var x = Tensor<double>.FromRows([0.1, 0.2, 0.3, 0.4], [1.0, -1.0, 0.5, 0.0]);
        Tensor<double> y = network.Forward(x);

        foreach (Dense<double> layer in network.Layers.Cast<Dense<double>>())
        {
            output.WriteLine($"{layer.Name}: W {layer.Weights.RowCount}×{layer.Weights.ColumnCount}, z and h {layer.Output!.Shape}");
        }

        output.WriteLine($"y is {y.Shape}; each row sums to 1");
        // </five-layers>
        return network;
    }
}
