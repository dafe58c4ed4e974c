using System.Globalization;
using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// Dropout (inverted): while training, each input is kept with probability 1 − p and scaled by 1/(1 − p), or set to 0 —
/// <c>A = X ⊙ M / (1 − p)</c> with M a fresh random 0/1 mask per batch; at inference <c>A = X</c>. Dropping random neurons
/// keeps the network from relying on any one of them, which reduces overfitting.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> X and A: m×n (the layer keeps the size of the layer before it). No parameters. Scaling by 1/(1 − p)
/// while training keeps each neuron's expected output the same, so nothing changes at inference.
/// </para>
/// <para>
/// <b>Backward</b>: ∂L/∂X = ∂L/∂A ⊙ M / (1 − p), with the mask of the last training pass.
/// </para>
/// <para>
/// <b>Same seed, same numbers</b>: the masks come from a <see cref="Random"/> seeded by <c>seed</c>. PyTorch:
/// <c>nn.Dropout(p)</c>. Registry name <c>dropout</c>; configuration <c>size=n; rate=p; seed=s</c>. Not thread-safe.
/// </para>
/// </remarks>
/// <example>
/// With p = 0.5 an input row [2, 4, 6, 8] becomes, for a mask [1, 0, 0, 1], [4, 0, 0, 16] while training, and stays
/// [2, 4, 6, 8] at inference.
/// <code>
/// Network&lt;float&gt; network = new NetworkBuilder&lt;float&gt;(784).Dense(100, Activation.ReLU).Dropout(0.5).Dense(10).Build();
/// </code>
/// </example>
public sealed class Dropout<T> : ILayer<T>, ILayerKind<Dropout<T>, T>, Serialization.IOnnxExportable<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly BatchBuffers<Buffers> _buffers;
    private readonly Random _random;
    private Buffers? _current;
    private bool _lastWasTraining;

    /// <summary>Creates a dropout layer for <paramref name="size"/> neurons.</summary>
    /// <param name="size">n, the size of the layer before it.</param>
    /// <param name="rate">p, the probability of dropping each input while training, in [0, 1).</param>
    /// <param name="seed">The seed of the masks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1 or <paramref name="rate"/> is not in [0, 1).</exception>
    public Dropout(int size, double rate, int seed = 0)
    {
        InputSize = OutputSize = Preconditions.CheckPositive(size, nameof(size));
        Rate = Preconditions.CheckInRange(rate, 0, 1, nameof(rate));
        Seed = seed;
        Preconditions.CheckElementType<T>();
        _random = new Random(seed);
        _buffers = new BatchBuffers<Buffers>(rows => new Buffers(rows, size));
    }

    /// <summary>p, the probability of dropping an input while training.</summary>
    public double Rate { get; }

    /// <summary>The seed of the masks.</summary>
    public int Seed { get; }

    /// <inheritdoc/>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"Dropout({Rate})");

    /// <inheritdoc/>
    /// <remarks><c>dropout</c>.</remarks>
    public string Kind => "dropout";

    /// <inheritdoc/>
    public LayerConfiguration Configuration
        => new(("size", Invariant(OutputSize)), ("rate", Rate.ToString("R", CultureInfo.InvariantCulture)), ("seed", Invariant(Seed)));

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <inheritdoc/>
    /// <remarks>None: dropout has nothing to train.</remarks>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <inheritdoc/>
    public Tensor<T>? Output { get; private set; }

    /// <inheritdoc/>
    public LayerSummary Summary => new(string.Create(CultureInfo.InvariantCulture, $"rate {Rate}"), "—");

    /// <inheritdoc/>
    public static Dropout<T> FromConfiguration(LayerConfiguration configuration, Random random)
    {
        Preconditions.CheckNotNull(configuration, nameof(configuration));
        double rate = configuration.GetNumber("rate");
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentException($"Layer configuration '{configuration}': 'rate' must be in [0, 1).", nameof(configuration));
        }

        return new Dropout<T>(configuration.GetSize("size"), rate, (int)configuration.GetNumber("seed"));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input does not have n columns.</exception>
    public Tensor<T> Forward(Tensor<T> input, bool training = false)
    {
        Preconditions.CheckNotNull(input, nameof(input));
        if (input.Columns != InputSize)
        {
            throw new ArgumentException($"{Name}.Forward: input has {input.Columns} columns, expected {InputSize}. Input shape {input.Shape}.", nameof(input));
        }

        _lastWasTraining = training && Rate > 0;
        if (!_lastWasTraining)
        {
            Output = input; // inference: A = X
            return input;
        }

        var buffers = _buffers.Get(input.Rows);
        _current = buffers;
        Span<T> x = input.Span, a = buffers.Output.Span, mask = buffers.Mask.Span;
        T keep = T.One / T.CreateChecked(1 - Rate);
        for (int i = 0; i < a.Length; i++)
        {
            mask[i] = _random.NextDouble() < Rate ? T.Zero : keep;
            a[i] = x[i] * mask[i];
        }

        Output = buffers.Output;
        return buffers.Output;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No forward pass has been made.</exception>
    /// <exception cref="ArgumentException">The gradient's shape is not that of the last output.</exception>
    public Tensor<T>? Backward(Tensor<T> outputGradient, bool computeInputGradient = true)
    {
        Preconditions.CheckNotNull(outputGradient, nameof(outputGradient));
        Tensor<T> output = Output ?? throw new InvalidOperationException($"{Name}.Backward: no forward pass yet; call Forward first.");
        if (outputGradient.Shape != output.Shape)
        {
            throw new ArgumentException($"{Name}.Backward: ∂L/∂A has shape {outputGradient.Shape}, expected {output.Shape}.", nameof(outputGradient));
        }

        if (!computeInputGradient)
        {
            return null;
        }

        if (!_lastWasTraining)
        {
            return outputGradient;
        }

        Buffers buffers = _current!;
        Span<T> g = outputGradient.Span, mask = buffers.Mask.Span, dx = buffers.InputGradient.Span;
        for (int i = 0; i < dx.Length; i++)
        {
            dx[i] = g[i] * mask[i];
        }

        return buffers.InputGradient;
    }

    /// <summary>Returns the name, for example <c>Dropout(0.5)</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>Writes an Identity node: dropout is off at inference.</summary>
    /// <param name="graph">The graph being written.</param>
    /// <param name="index">The layer's position, from 1.</param>
    public void ExportTo(Serialization.OnnxGraph graph, int index)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string output = graph.NewName($"dropout{index}");
        graph.AddNode("Identity", [graph.Current], output);
        graph.Current = output;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Buffers(int rows, int size)
    {
        public Tensor<T> Output { get; } = new(rows, size);

        public Tensor<T> Mask { get; } = new(rows, size);

        public Tensor<T> InputGradient { get; } = new(rows, size);
    }
}
