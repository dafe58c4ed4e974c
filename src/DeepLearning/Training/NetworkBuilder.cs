using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using DeepLearning.Activations;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Losses;

namespace DeepLearning.Training;

/// <summary>
/// Builds a <see cref="Network{T}"/> layer by layer, giving each layer the shape the previous one produces as its input
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
    private FeatureShape _shape;

    /// <summary>Starts a network whose samples have <paramref name="inputs"/> features.</summary>
    /// <param name="inputs">The size of the input layer, at least 1.</param>
    /// <param name="seed">The seed of every initial weight and bias.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> is less than 1.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter's type (a size or a shape).")]
    public NetworkBuilder(int inputs, int seed = 0)
        : this(FeatureShape.Flat(Preconditions.CheckPositive(inputs, nameof(inputs))), seed)
    {
    }

    /// <summary>Starts a network whose samples have the shape <paramref name="input"/>: <c>new FeatureShape(1, 28, 28)</c> for grey 28×28 images.</summary>
    /// <param name="input">The shape of one sample.</param>
    /// <param name="seed">The seed of every initial weight and bias.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="input"/> is empty (the default shape).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter's type (a size or a shape).")]
    public NetworkBuilder(FeatureShape input, int seed = 0)
    {
        _shape = input.Channels >= 1 ? input : throw new ArgumentOutOfRangeException(nameof(input), input, "input is an empty shape; every size must be at least 1.");
        _random = new Random(seed);
    }

    /// <summary>The shape the network so far produces: what the next layer takes.</summary>
    public FeatureShape Shape => _shape;

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
        return Add(new Dense<T>(_shape, neurons, activation, weightInitializer, biasInitializer, _random, useBias));
    }

    /// <summary>
    /// Adds a <see cref="Conv2D{T}"/> layer after the last one, which must give images (C×H×W): <paramref name="filters"/>
    /// filters of <paramref name="kernel"/>×<paramref name="kernel"/> sliding over them, σ(patch·W + b) at every position.
    /// </summary>
    /// <param name="filters">F, the output's channels.</param>
    /// <param name="kernel">k, the side of each square filter.</param>
    /// <param name="activation">σ; identity when null. Must act on each value alone.</param>
    /// <param name="stride">s, the step between patches.</param>
    /// <param name="padding">p, the zeros added on each side of the image.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The sizes do not fit the images the network gives so far.</exception>
    /// <example><c>new NetworkBuilder&lt;float&gt;(new FeatureShape(1, 28, 28), seed: 1).Conv2D(20, 5, Activation.ReLU).MaxPool2D(2).Dense(10).Build(Loss.CrossEntropy)</c></example>
    public NetworkBuilder<T> Conv2D(int filters, int kernel, IActivation? activation = null, int stride = 1, int padding = 0)
        => Add(new Conv2D<T>(_shape, filters, kernel, activation, stride, padding, random: _random));

    /// <summary>Adds a <see cref="MaxPool2D{T}"/> layer after the last one: the largest value of each <paramref name="kernel"/>×<paramref name="kernel"/> window of each channel.</summary>
    /// <param name="kernel">k, the window's side.</param>
    /// <param name="stride">s, the step between windows; k (windows side by side) when 0.</param>
    /// <param name="padding">p, the cells added on each side, never chosen.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The sizes do not fit the images the network gives so far.</exception>
    public NetworkBuilder<T> MaxPool2D(int kernel, int stride = 0, int padding = 0) => Add(new MaxPool2D<T>(_shape, kernel, stride, padding));

    /// <summary>Adds an <see cref="Embedding{T}"/> layer: each token id of the sequence becomes its row of a <paramref name="vocabulary"/>×<paramref name="dimension"/> table.</summary>
    /// <param name="vocabulary">V, the token ids 0 to V − 1.</param>
    /// <param name="dimension">D, the numbers per token.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The network so far does not give token ids, or a size is not positive.</exception>
    public NetworkBuilder<T> Embedding(int vocabulary, int dimension) => Add(new Embedding<T>(_shape, vocabulary, dimension, random: _random));

    /// <summary>Adds a <see cref="PositionEmbedding{T}"/> layer: a learned vector per position added to each position's features.</summary>
    /// <param name="length">The positions the table holds; the sequence's length when null.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The network so far does not give sequences, or they are longer than the table.</exception>
    public NetworkBuilder<T> PositionEmbedding(int? length = null) => Add(new PositionEmbedding<T>(_shape, length, _random));

    /// <summary>Adds a <see cref="LayerNorm{T}"/> layer: each sample's (or each position's) features to mean 0 and variance 1, then scaled and shifted.</summary>
    /// <param name="epsilon">ε added to the variance.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> LayerNorm(double epsilon = 1e-5) => Add(new LayerNorm<T>(_shape, epsilon));

    /// <summary>Adds a <see cref="BatchNorm{T}"/> layer: each feature (or channel) normalized over the batch while training, with running statistics for inference.</summary>
    /// <param name="momentum">How fast the running statistics follow the batches'.</param>
    /// <param name="epsilon">ε added to the variance.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> BatchNorm(double momentum = 0.1, double epsilon = 1e-5) => Add(new BatchNorm<T>(_shape, momentum, epsilon));

    /// <summary>Adds an <see cref="Rnn{T}"/> layer: h_t = σ(x_t·W_x + h_(t−1)·W_h + b) along the sequence.</summary>
    /// <param name="hidden">H, the numbers of the state.</param>
    /// <param name="activation">σ; tanh when null.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Rnn(int hidden, IActivation? activation = null) => Add(new Rnn<T>(_shape, hidden, activation, _random));

    /// <summary>Adds a <see cref="Gru{T}"/> layer: a recurrent state with reset and update gates.</summary>
    /// <param name="hidden">H, the numbers of the state.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Gru(int hidden) => Add(new Gru<T>(_shape, hidden, _random));

    /// <summary>Adds a <see cref="SelfAttention{T}"/> layer of <paramref name="heads"/> heads.</summary>
    /// <param name="heads">The heads sharing the features.</param>
    /// <param name="causal">Whether each position sees only itself and the positions before it.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> SelfAttention(int heads, bool causal = true) => Add(new SelfAttention<T>(_shape, heads, causal, _random));

    /// <summary>Adds a <see cref="Context{T}"/> layer: each position gets its own features and those of the <paramref name="size"/> − 1 before it.</summary>
    /// <param name="size">The window.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Context(int size) => Add(new Context<T>(_shape, size));

    /// <summary>Adds a <see cref="GlobalMaxPool{T}"/> layer: the largest value of each feature over the positions (or of each channel over the pixels).</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> GlobalMaxPool() => Add(new GlobalMaxPool<T>(_shape));

    /// <summary>Adds a <see cref="Flatten{T}"/> layer: images or sequences as plain rows of values.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Flatten() => Add(new Flatten<T>(_shape));

    /// <summary>Adds a <see cref="Dropout{T}"/> layer after the last one: while training, each of its outputs is dropped with probability <paramref name="rate"/>.</summary>
    /// <param name="rate">p, in [0, 1).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in [0, 1).</exception>
    public NetworkBuilder<T> Dropout(double rate) => Add(new Dropout<T>(_shape, rate, _random.Next()));

    /// <summary>
    /// Adds the layer a registry spec names, built for the shape the network so far produces and drawn from the builder's
    /// seed: <c>Add("dense(100, relu)")</c>, <c>Add("dropout(0.5)")</c> — any registered kind, yours included.
    /// </summary>
    /// <param name="spec">The kind and its parameters (<see cref="Registries.Layers"/>).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The spec is not a layer or does not fit the shape so far; the message says why.</exception>
    public NetworkBuilder<T> Add(string spec) => Add(Registries.Layers.Create<T>(Preconditions.CheckNotNull(spec, nameof(spec)), _shape, _random));

    /// <summary>Adds any layer that takes the shape the last layer produces: how a layer built by hand joins a network.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The layer's input shape does not chain (the message gives both shapes).</exception>
    public NetworkBuilder<T> Add(ILayer<T> layer)
    {
        Preconditions.CheckNotNull(layer, nameof(layer));
        if (!_shape.ChainsTo(layer.InputShape))
        {
            throw new ArgumentException($"{layer.Name} expects {layer.InputShape}, but the network so far produces {_shape}.", nameof(layer));
        }

        _layers.Add(layer);
        _shape = layer.OutputShape;
        return this;
    }

    /// <summary>Creates the network; <c>Fit</c> records the loss it trains with (see <see cref="Network{T}.Loss"/>).</summary>
    /// <returns>A network of the layers added so far.</returns>
    /// <exception cref="ArgumentException">No layer has been added.</exception>
    public Network<T> Build() => _layers.Count == 0
        ? throw new ArgumentException("A network needs at least one layer: call Dense(...) before Build().")
        : new Network<T>(_layers);

    /// <summary>Creates the network with the loss it is trained with, which says what its outputs mean (see <see cref="Network{T}.Loss"/>).</summary>
    /// <param name="loss">The loss, for example <see cref="Losses.Loss.CrossEntropy"/>: <c>Predict</c> then gives probabilities.</param>
    /// <returns>A network of the layers added so far.</returns>
    /// <exception cref="ArgumentException">No layer has been added.</exception>
    public Network<T> Build(ILoss loss)
    {
        Network<T> network = Build();
        network.Loss = Preconditions.CheckNotNull(loss, nameof(loss));
        return network;
    }
}
