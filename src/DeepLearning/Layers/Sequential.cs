using System.Numerics;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// A group of layers that acts as one: each layer's output is the next one's input. It names a part of a network — a
/// Transformer block, a stage of a CNN — and repeats it: <c>sequential(layers, times = n)</c> holds n copies of the layers,
/// each with weights of its own.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Spec</b>: <c>sequential(layers, times = 1)</c>, the layers separated by spaces — four GPT blocks are
/// <c>sequential(residual(layer_norm self_attention(4)) residual(layer_norm dense(256, gelu) dense(64)), times=4)</c>. The
/// stored configuration lists every layer built (times = 1), so a saved group builds again exactly, each dropout with its
/// own seed. Its parameters and state are its layers', in order.
/// </para>
/// <para>PyTorch: a nested <c>nn.Sequential</c>, tensors <c>{index}.{inner index}.weight</c>; ONNX: the layers' nodes.</para>
/// </remarks>
/// <example>
/// <code>
/// ILayer&lt;float&gt; stage = Registries.Layers.Create&lt;float&gt;("sequential(conv2d(20, 5) batch_norm relu maxpool2d(2))", new FeatureShape(1, 28, 28), new Random(1));
/// </code>
/// </example>
public sealed class Sequential<T> : Layer<T>, ILayerKind<Sequential<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Groups <paramref name="layers"/>, whose shapes chain from <paramref name="input"/>.</summary>
    /// <param name="input">The shape of the group's input.</param>
    /// <param name="layers">The layers, in order.</param>
    /// <exception cref="ArgumentException">No layer is given, or the shapes do not chain.</exception>
    public Sequential(FeatureShape input, params IEnumerable<ILayer<T>> layers)
        : this(input, Residual<T>.Chain(input, layers, "sequential"))
    {
    }

    private Sequential(FeatureShape input, ILayer<T>[] layers)
        : base(input, layers[^1].OutputShape)
    {
        foreach (ILayer<T> layer in layers)
        {
            AddChild(layer);
        }
    }

    /// <inheritdoc/>
    /// <remarks><c>Sequential(IN→OUT)</c>, for example <c>Sequential(16×64→16×64)</c>.</remarks>
    public override string Name => $"Sequential({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(Children.Count == 1 ? "1 layer" : $"{Children.Count} layers", "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("layers", string.Join(' ', Children.Select(LayerRegistry.SpecOf))), ("times", "1"));

    /// <inheritdoc/>
    /// <remarks>The layers' parameters and buffers, <c>times</c> over.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return Registries.Layers.PlanList(Repeated(settings), input);
    }

    /// <inheritdoc/>
    public static Sequential<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Sequential<T>(input, Registries.Layers.CreateList<T>(Repeated(settings), input, random));
    }

    /// <summary>The layers' nodes, in order.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (ILayer<T> layer in Children)
        {
            layer.ExportOnnx(graph);
        }
    }

    /// <summary>A nested <c>nn.Sequential</c> of the layers' modules.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        TorchSequential<T> inner = sequence.AddBlock("Sequential", null);
        foreach (ILayer<T> layer in Children)
        {
            layer.ExportTorch(inner);
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training) => ForwardThrough(Children, input, training);

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
        => BackwardThrough(Children, outputGradient, computeInputGradient);

    /// <summary>Forward propagation through <paramref name="layers"/>, each output the next one's input (a block's layers).</summary>
    internal static Tensor<T> ForwardThrough(IReadOnlyList<ILayer<T>> layers, Tensor<T> input, bool training)
    {
        Tensor<T> h = input;
        for (int i = 0; i < layers.Count; i++) // indexed: no enumerator allocated per step
        {
            h = layers[i].Forward(h, training);
        }

        return h;
    }

    /// <summary>Backward propagation through <paramref name="layers"/>, last first; the first computes ∂L/∂X only when asked.</summary>
    internal static Tensor<T>? BackwardThrough(IReadOnlyList<ILayer<T>> layers, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T>? g = outputGradient;
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            g = layers[i].Backward(g!, computeInputGradient || i > 0);
        }

        return g;
    }

    /// <summary>The spec list <c>times</c> over (at most 10,000 layers in all).</summary>
    private static string Repeated(Arguments settings)
    {
        int times = settings.GetSize("times");
        string layers = settings.Get("layers");
        if ((long)times * LayerRegistry.SplitSpecs(layers).Count > 10_000)
        {
            throw new ArgumentException($"sequential: {times:N0} times {LayerRegistry.SplitSpecs(layers).Count} layers is more than the 10,000 a network may hold.", nameof(settings));
        }

        return string.Join(' ', Enumerable.Repeat(layers, times));
    }
}
