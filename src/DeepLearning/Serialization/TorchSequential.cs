using System.Numerics;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace DeepLearning.Serialization;

/// <summary>
/// A network described as PyTorch's <c>nn.Sequential</c>: its modules in order (<c>Linear(784, 100)</c>, <c>ReLU()</c>, …),
/// each with the parameters and buffers it holds. Each layer appends its own modules (<see cref="ILayer{T}.ExportTorch"/>);
/// the module indices name the tensors of a state dict — <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>,
/// <c>3.running_mean</c> — which is how <see cref="SafeTensors"/> names what it writes and finds what it reads.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Blocks.</b> A layer that holds layers adds a module whose own modules are a nested sequence
/// (<see cref="AddBlock"/>): <c>residual(dense(128, relu) dense(128))</c> at index 2 is
/// <c>dl.Residual(nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 128))</c>, whose tensors are <c>2.body.0.weight</c>,
/// <c>2.body.2.weight</c>, …; a <c>sequential(...)</c> block is a plain nested <c>nn.Sequential</c>, <c>2.0.weight</c>.
/// </para>
/// <para>
/// <b>Module names.</b> A module written without a package (<c>Linear(784, 100)</c>) is one of <c>torch.nn</c>'s and is
/// shown as <c>nn.Linear(784, 100)</c>; one written with one (<c>dl.Residual(...)</c>) is shown as it is. The <c>dl.</c>
/// modules — the layers PyTorch has no module for — are defined in <c>tests/python/deeplearning_torch.py</c>, a short
/// reference file that reads a state dict written here into PyTorch.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var torch = TorchSequential&lt;float&gt;.Of(network);
/// Console.WriteLine(torch);   // nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))
/// </code>
/// </example>
public sealed class TorchSequential<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly List<Module> _modules = [];

    /// <summary>The modules so far, as their code: <c>Linear(784, 100)</c>, or a block with its nested modules.</summary>
    public IReadOnlyList<string> Modules => [.. _modules.Select(m => m.Code)];

    /// <summary>Every parameter, then every buffer (state), of every module with its state-dict name, <c>{module index}.{Key}</c>, in order.</summary>
    public IEnumerable<(string Name, Parameter<T> Parameter)> Tensors => TensorsUnder(string.Empty);

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
    /// <param name="module">The module as PyTorch code: <c>Linear(784, 100)</c>, <c>ReLU()</c>, <c>Flatten()</c>.</param>
    /// <param name="parameters">Its parameters; their <see cref="Parameter{T}.Key"/> names them within the module.</param>
    public void Add(string module, params Parameter<T>[] parameters) => Add(module, parameters, []);

    /// <summary>Appends a module with its parameters and its buffers (state), in the order of its state dict: parameters first.</summary>
    /// <param name="module">The module as PyTorch code, for example <c>BatchNorm2d(20)</c>.</param>
    /// <param name="parameters">Its parameters (<c>weight</c>, <c>bias</c>).</param>
    /// <param name="state">Its buffers (<c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>).</param>
    public void Add(string module, IReadOnlyList<Parameter<T>> parameters, IReadOnlyList<Parameter<T>> state)
    {
        Preconditions.CheckNotNull(module, nameof(module));
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckNotNull(state, nameof(state));
        _modules.Add(new Module(module, [.. parameters, .. state], null, null));
    }

    /// <summary>
    /// Appends a module that holds modules — a residual block, a nested <c>nn.Sequential</c> — and returns the sequence its
    /// inner layers append theirs to; their tensors are named <c>{index}.{body}.{inner name}</c>.
    /// </summary>
    /// <param name="module">The block's module without its arguments, for example <c>dl.Residual</c> or <c>Sequential</c>.</param>
    /// <param name="body">The attribute that holds the inner modules (<c>body</c>), or null when they are the block's own (a nested <c>nn.Sequential</c>).</param>
    /// <returns>The nested sequence.</returns>
    public TorchSequential<T> AddBlock(string module, string? body)
    {
        Preconditions.CheckNotNull(module, nameof(module));
        var inner = new TorchSequential<T>();
        _modules.Add(new Module(module, [], inner, body));
        return inner;
    }

    /// <summary>Writes the sequence as PyTorch code: <c>nn.Sequential(nn.Linear(784, 100), nn.ReLU(), …)</c>.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => $"nn.Sequential({Arguments()})";

    private string Arguments() => string.Join(", ", _modules.Select(m => m.Code));

    private IEnumerable<(string Name, Parameter<T> Parameter)> TensorsUnder(string prefix)
    {
        for (int i = 0; i < _modules.Count; i++)
        {
            Module module = _modules[i];
            foreach (Parameter<T> tensor in module.Tensors)
            {
                yield return ($"{prefix}{i}.{tensor.Key}", tensor);
            }

            if (module.Inner is { } inner)
            {
                foreach ((string name, Parameter<T> tensor) in inner.TensorsUnder(module.Body is null ? $"{prefix}{i}." : $"{prefix}{i}.{module.Body}."))
                {
                    yield return (name, tensor);
                }
            }
        }
    }

    private sealed record Module(string Name, Parameter<T>[] Tensors, TorchSequential<T>? Inner, string? Body)
    {
        /// <summary>The module's code: <c>nn.</c> before a torch.nn module, a block with its inner modules as arguments.</summary>
        public string Code
        {
            get
            {
                string name = Name.Split('(')[0].Contains('.', StringComparison.Ordinal) ? Name : "nn." + Name;
                return Inner is null ? name : $"{name}({Inner.Arguments()})";
            }
        }
    }
}
