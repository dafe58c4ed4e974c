// The anatomy of a network: weight matrices and forward propagation, with every shape printed.
//
// Usage: dotnet run --project samples/NetworkAnatomy -c Release

using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

// No options: --help says what it shows; anything else is one error: line and exit 2, as in every sample.
var command = new System.CommandLine.RootCommand("NetworkAnatomy: the weight matrices of a small network and its forward propagation, with every shape printed.");
(System.CommandLine.ParseResult? parsed, int exitCode) = SampleArgs.ParseCommand(command, args, "NetworkAnatomy");
if (parsed is null)
{
    return exitCode;
}

// 1. Two neurons connected to three: the weight matrix has one row per neuron the connections come from (2)
//    and one column per neuron they go to (3).
var layer = new Dense<double>(inputs: 2, outputs: 3, Activation.Sigmoid, random: new Random(1));
Console.WriteLine("1. A layer from 2 neurons to 3 neurons");
Console.WriteLine($"   {layer.Name}: weight matrix W is {layer.Weights.RowCount}×{layer.Weights.ColumnCount}, bias b has {layer.Bias!.Count} entries");
Console.WriteLine("   W =");
Console.Write(Indent(layer.Weights.ToMatrixString("0.0000")));

Tensor<double> x = Tensor<double>.FromRow(1.0, 2.0);
Tensor<double> h = layer.Forward(x);
Console.WriteLine($"   x = [1, 2] is a {x.Shape} tensor (one sample, two features)");
Console.WriteLine($"   z = x·W + b is {layer.WeightedInput!.Shape}: [{Join(layer.WeightedInput.GetRow(0))}]");
Console.WriteLine($"   h = σ(z) is {h.Shape}: [{Join(h.GetRow(0))}]");
Console.WriteLine();

// 2. A deep network of five layers of neurons: x → h1 → h2 → h3 → y, four weight matrices between them.
Network<double> network = new NetworkBuilder<double>(inputs: 4, seed: 42)
    .Dense(8, Activation.ReLU)    // x  → h1
    .Dense(6, Activation.Tanh)    // h1 → h2
    .Dense(5, Activation.Sigmoid) // h2 → h3
    .Dense(3, Activation.Softmax) // h3 → y
    .Build();

var batch = Tensor<double>.FromRows([0.1, 0.2, 0.3, 0.4], [1.0, -1.0, 0.5, 0.0]);
Console.WriteLine("2. A five-layer network, forward propagation of a batch of 2 samples");
Console.WriteLine($"   x: {batch.Shape}");
string[] names = ["h1", "h2", "h3", "y"];
Tensor<double> current = batch;
for (int i = 0; i < network.Layers.Count; i++)
{
    var dense = (Dense<double>)network.Layers[i];
    string from = i == 0 ? "x" : names[i - 1];
    TensorShape inputShape = current.Shape;
    current = dense.Forward(current);
    Console.WriteLine(
        $"   {names[i]} = {dense.Activation.Name}(z{i + 1}), z{i + 1} = {from}·W{i + 1} + b{i + 1}: "
        + $"{from} {inputShape} · W{i + 1} {dense.Weights.RowCount}×{dense.Weights.ColumnCount} → z{i + 1} {dense.WeightedInput!.Shape}, {names[i]} {current.Shape}");
}

Console.WriteLine($"   y (class probabilities, each row sums to 1):");
Console.WriteLine($"     sample 1: [{Join(current.GetRow(0))}]");
Console.WriteLine($"     sample 2: [{Join(current.GetRow(1))}]");
Console.WriteLine();
Console.WriteLine("3. Summary");
Console.WriteLine(Indent(network.Summary()));
return 0;

static string Join(double[] values) => string.Join(", ", values.Select(v => v.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture)));

static string Indent(string text) => string.Join(Environment.NewLine, text.TrimEnd().Split(Environment.NewLine).Select(line => "   " + line)) + Environment.NewLine;
