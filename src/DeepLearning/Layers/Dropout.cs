using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// Dropout (inverted): while training, each input is kept with probability 1 − p and scaled by 1/(1 − p), or set to 0 —
/// <c>A = X ⊙ M / (1 − p)</c> with M a fresh random 0/1 mask per batch; at inference <c>A = X</c>. Dropping random neurons
/// keeps the network from relying on any one of them, which reduces overfitting.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> X and A: m×n (the layer keeps the shape of the layer before it, an image's included). No parameters.
/// Scaling by 1/(1 − p) while training keeps each neuron's expected output the same, so nothing changes at inference.
/// </para>
/// <para>
/// <b>Backward</b>: ∂L/∂X = ∂L/∂A ⊙ M / (1 − p), with the mask of the last training pass.
/// </para>
/// <para>
/// <b>Same seed, same numbers</b>: the mask of the k-th training pass is drawn from a generator seeded by <c>seed</c> (drawn
/// from the network's seed when a builder or a spec adds the layer) and k, which the layer counts as its
/// <see cref="ILayer{T}.State"/> (<c>passes</c>): a saved and resumed run draws the masks an uninterrupted one would, and
/// the gradient check can repeat a pass with its mask. (In float the count is exact up to 2²⁴ passes.) PyTorch:
/// <c>nn.Dropout(p)</c>. Registry name <c>dropout(rate, [seed])</c>. Not thread-safe.
/// </para>
/// </remarks>
/// <example>
/// With p = 0.5 an input row [2, 4, 6, 8] becomes, for a mask [1, 0, 0, 1], [4, 0, 0, 16] while training, and stays
/// [2, 4, 6, 8] at inference.
/// <code>
/// Network&lt;float&gt; network = new NetworkBuilder&lt;float&gt;(784).Dense(100, Activation.ReLU).Dropout(0.5).Dense(10).Build();
/// </code>
/// </example>
public sealed class Dropout<T> : Layer<T>, ILayerKind<Dropout<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int OutputSlot = 0, MaskSlot = 1, InputGradientSlot = 2;
    private readonly Parameter<T> _passes;
    private bool _lastWasTraining;

    /// <summary>Creates a dropout layer for <paramref name="size"/> neurons.</summary>
    /// <param name="size">n, the size of the layer before it.</param>
    /// <param name="rate">p, the probability of dropping each input while training, in [0, 1).</param>
    /// <param name="seed">The seed of the masks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is less than 1 or <paramref name="rate"/> is not in [0, 1).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter's type (a size or a shape).")]
    public Dropout(int size, double rate, int seed = 0)
        : this(FeatureShape.Flat(Preconditions.CheckPositive(size, nameof(size))), rate, seed)
    {
    }

    /// <summary>Creates a dropout layer for samples of shape <paramref name="shape"/>.</summary>
    /// <param name="shape">The shape of the layer before it, kept.</param>
    /// <param name="rate">p, the probability of dropping each input while training, in [0, 1).</param>
    /// <param name="seed">The seed of the masks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rate"/> is not in [0, 1).</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter's type (a size or a shape).")]
    public Dropout(FeatureShape shape, double rate, int seed = 0)
        : base(shape, shape)
    {
        Rate = Preconditions.CheckInRange(rate, 0, 1, nameof(rate));
        Seed = seed;
        _passes = AddState("passes", 1, 1, T.Zero, isInteger: true, exportShape: []);
    }

    /// <summary>p, the probability of dropping an input while training.</summary>
    public double Rate { get; }

    /// <summary>The seed of the masks.</summary>
    public int Seed { get; }

    /// <inheritdoc/>
    /// <remarks><c>Dropout(p)</c>, for example <c>Dropout(0.5)</c>.</remarks>
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"Dropout({Rate})");

    /// <inheritdoc/>
    public override LayerSummary Summary => new(string.Create(CultureInfo.InvariantCulture, $"rate {Rate}"), "—");

    /// <inheritdoc/>
    /// <remarks><c>rate=p; seed=s</c>.</remarks>
    protected override Arguments Settings => new(("rate", Text(Rate)), ("seed", Text(Seed)));

    /// <inheritdoc/>
    /// <remarks>No parameters; per sample the output, the mask and ∂L/∂X.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        RateOf(settings);
        return new LayerPlan(input, 0, checked(3 * input.Size));
    }

    /// <inheritdoc/>
    /// <remarks>Without a seed, the seed is drawn from <paramref name="random"/> (the network's seed).</remarks>
    public static Dropout<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(random, nameof(random));
        return new Dropout<T>(input, RateOf(settings), settings.Contains("seed") ? settings.GetInteger("seed") : random.Next());
    }

    /// <summary>Writes an Identity node: dropout is off at inference.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Apply("Identity", [graph.Current], "dropout");
    }

    /// <summary><c>Dropout(p)</c>, which holds no tensors.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"Dropout({Rate})"));
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        _lastWasTraining = training && Rate > 0;
        if (!_lastWasTraining)
        {
            return input; // inference: A = X
        }

        Tensor<T> output = Buffer(OutputSlot, input.Rows, InputSize), maskTensor = Buffer(MaskSlot, input.Rows, InputSize);
        Span<T> x = input.AsSpan(), a = output.AsSpan(), mask = maskTensor.AsSpan();
        T keep = T.One / T.CreateChecked(1 - Rate);
        ulong pass = ulong.CreateTruncating(_passes.Values[0]);
        _passes.Values[0] += T.One;
        ulong state = unchecked(((ulong)(uint)Seed * 0x9E3779B97F4A7C15UL) ^ (pass * 0xD1B54A32D192ED03UL));
        ulong threshold = (ulong)(Rate * (1UL << 53)); // drop when a uniform 53-bit number is below p·2⁵³
        for (int i = 0; i < a.Length; i++)
        {
            mask[i] = (NextRandom(ref state) >> 11) < threshold ? T.Zero : keep;
            a[i] = x[i] * mask[i];
        }

        return output;
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        if (!_lastWasTraining)
        {
            return outputGradient;
        }

        Tensor<T> inputGradient = Buffer(InputGradientSlot, input.Rows, InputSize);
        Span<T> g = outputGradient.AsSpan(), mask = Buffer(MaskSlot, input.Rows, InputSize).AsSpan(), dx = inputGradient.AsSpan();
        for (int i = 0; i < dx.Length; i++)
        {
            dx[i] = g[i] * mask[i];
        }

        return inputGradient;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood, 2014): the next 64 random bits of the pass's stream.</summary>
    private static ulong NextRandom(ref ulong state)
    {
        unchecked
        {
            ulong z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    private static double RateOf(Arguments settings)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        double rate = settings.GetNumber("rate");
        return rate is >= 0 and < 1 ? rate : throw new ArgumentException($"rate must be in [0, 1), but was {settings.Get("rate")}.", nameof(settings));
    }
}
