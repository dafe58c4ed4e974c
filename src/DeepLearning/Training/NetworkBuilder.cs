using System.Numerics;
using DeepLearning.Activations;
using DeepLearning.Initialization;
using DeepLearning.Layers;

namespace DeepLearning.Training;

/// <summary>
/// Builds a <see cref="Network{T}"/> layer by layer, giving each layer the size of the previous one as its input size
/// and drawing all initial weights from one <see cref="Random"/> seeded once, so the same seed always gives the same network.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <example>
/// Nielsen's [784, 30, 10] network:
/// <code>
/// Network&lt;float&gt; network = new NetworkBuilder&lt;float&gt;(inputs: 784, seed: 1)
///     .Dense(30, Activation.Sigmoid, Initializer.StandardNormal, Initializer.StandardNormal)
///     .Dense(10, Activation.Sigmoid, Initializer.StandardNormal, Initializer.StandardNormal)
///     .Build();
/// </code>
/// </example>
public sealed class NetworkBuilder<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly List<ILayer<T>> _layers = [];
    private readonly Random _random;
    private int _size;

    /// <summary>Starts a network whose samples have <paramref name="inputs"/> features.</summary>
    /// <param name="inputs">The size of the input layer, at least 1.</param>
    /// <param name="seed">The seed of every initial weight and bias.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is less than 1.</exception>
    public NetworkBuilder(int inputs, int seed = 0)
    {
        _size = Preconditions.CheckPositive(inputs, nameof(inputs));
        _random = new Random(seed);
    }

    /// <summary>Adds a <see cref="Dense{T}"/> layer of <paramref name="neurons"/> neurons after the current last layer.</summary>
    /// <param name="neurons">The number of neurons, at least 1.</param>
    /// <param name="activation">σ; identity when null.</param>
    /// <param name="weightInitializer">How W starts; He normal for ReLU, Glorot uniform otherwise, when null.</param>
    /// <param name="biasInitializer">How b starts; zeros when null.</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="neurons"/> is less than 1.</exception>
    public NetworkBuilder<T> Dense(
        int neurons,
        IActivation? activation = null,
        IInitializer? weightInitializer = null,
        IInitializer? biasInitializer = null,
        bool useBias = true)
    {
        Preconditions.CheckPositive(neurons, nameof(neurons));
        _layers.Add(new Dense<T>(_size, neurons, activation, weightInitializer, biasInitializer, _random, useBias));
        _size = neurons;
        return this;
    }

    /// <summary>Adds a <see cref="Dropout{T}"/> layer after the last one: while training, each of its outputs is dropped with probability <paramref name="rate"/>.</summary>
    /// <param name="rate">p, in [0, 1).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in [0, 1).</exception>
    public NetworkBuilder<T> Dropout(double rate) => Add(new Dropout<T>(_size, rate, _random.Next()));

    /// <summary>Adds any layer whose input size is that of the last layer's output: how a new kind of layer joins a network.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The layer's input size does not match.</exception>
    public NetworkBuilder<T> Add(ILayer<T> layer)
    {
        Preconditions.CheckNotNull(layer, nameof(layer));
        if (layer.InputSize != _size)
        {
            throw new ArgumentException($"{layer.Name} expects {layer.InputSize} inputs, but the network so far produces {_size}.", nameof(layer));
        }

        _layers.Add(layer);
        _size = layer.OutputSize;
        return this;
    }

    /// <summary>Creates the network.</summary>
    /// <returns>A network of the layers added so far.</returns>
    /// <exception cref="ArgumentException">No layer has been added.</exception>
    public Network<T> Build() => _layers.Count == 0
        ? throw new ArgumentException("A network needs at least one layer: call Dense(...) before Build().")
        : new Network<T>(_layers);
}
