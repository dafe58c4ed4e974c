using System.Numerics;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace DeepLearning.Serialization;

/// <summary>
/// A network described as PyTorch's <c>nn.Sequential</c>: its modules in order (<c>Linear(784, 100)</c>, <c>ReLU()</c>, …),
/// each with the parameters it holds. Each layer appends its own modules (<see cref="ILayer{T}.ExportTorch"/>); the
/// module indices name the tensors of a state dict — <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c> — which is how
/// <see cref="SafeTensors"/> names what it writes and finds what it reads.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <example>
/// <code>
/// var torch = TorchSequential&lt;float&gt;.Of(network);
/// Console.WriteLine(torch);   // nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))
/// </code>
/// </example>
public sealed class TorchSequential<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly List<(string Module, Parameter<T>[] Parameters)> _modules = [];

    /// <summary>The modules so far, as PyTorch code without the <c>nn.</c> prefix: <c>Linear(784, 100)</c>.</summary>
    public IReadOnlyList<string> Modules => [.. _modules.Select(m => m.Module)];

    /// <summary>Every parameter with its state-dict name, <c>{module index}.{Key}</c>, in order.</summary>
    public IEnumerable<(string Name, Parameter<T> Parameter)> Tensors
        => _modules.SelectMany((m, i) => m.Parameters.Select(p => ($"{i}.{p.Key}", p)));

    /// <summary>The description of a whole network: each layer's modules in turn.</summary>
    /// <param name="network">The network.</param>
    /// <returns>The sequence.</returns>
    /// <exception cref="NotSupportedException">A layer has no PyTorch form.</exception>
    public static TorchSequential<T> Of(Network<T> network)
    {
        Preconditions.CheckNotNull(network, nameof(network));
        var sequence = new TorchSequential<T>();
        foreach (ILayer<T> layer in network.Layers)
        {
            layer.ExportTorch(sequence);
        }

        return sequence;
    }

    /// <summary>Appends a module and the parameters it holds (in the order of its state dict).</summary>
    /// <param name="module">The module as PyTorch code without <c>nn.</c>: <c>Linear(784, 100)</c>, <c>ReLU()</c>, <c>Flatten()</c>.</param>
    /// <param name="parameters">Its parameters; their <see cref="Parameter{T}.Key"/> names them within the module.</param>
    public void Add(string module, params Parameter<T>[] parameters)
    {
        Preconditions.CheckNotNull(module, nameof(module));
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        _modules.Add((module, parameters));
    }

    /// <summary>Writes the sequence as PyTorch code: <c>nn.Sequential(nn.Linear(784, 100), nn.ReLU(), …)</c>.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => $"nn.Sequential({string.Join(", ", _modules.Select(m => "nn." + m.Module))})";
}
