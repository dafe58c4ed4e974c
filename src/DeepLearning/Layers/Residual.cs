using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// A residual block: a stack of layers whose output is added to the block's own input, <c>A = X + F(X)</c>. The layers
/// learn only what to change in X, and the gradient reaches the layers before the block unchanged along the identity
/// path, which is how networks of many layers (ResNets, Transformers) train at all.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> The inner layers must give back the shape they were given (a 128 stays 128, a 16×64 sequence stays
/// 16×64), since the two are added value by value.
/// </para>
/// <para>
/// <b>Backward</b>, given G = ∂L/∂A: G goes back through the inner layers to give ∂L/∂X along F, and
/// ∂L/∂X = G + (that) — the identity path adds G itself. The inner layers' parameters and state are the block's, in order.
/// </para>
/// <para>
/// <b>Spec</b>: <c>residual(layers)</c>, the layers separated by spaces — <c>residual(dense(128, relu) dense(128))</c>,
/// <c>residual(layer_norm self_attention(4))</c>. PyTorch: <c>dl.Residual(...)</c> of <c>tests/python/deeplearning_torch.py</c>
/// (forward <c>x + self.body(x)</c>), whose tensors are named <c>{index}.body.{inner index}.weight</c>; ONNX: the inner
/// nodes, then <c>Add</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Network&lt;float&gt; network = new NetworkBuilder&lt;float&gt;(784, seed: 1)
///     .Add("dense(128, relu)").Add("residual(dense(128, relu) dense(128))").Add("relu").Add("dense(10)").Build();
/// </code>
/// </example>
public sealed class Residual<T> : Layer<T>, ILayerKind<Residual<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Sum = 0, InputGradient = 1;

    /// <summary>Creates a residual block around <paramref name="layers"/>, which take and give samples of shape <paramref name="shape"/>.</summary>
    /// <param name="shape">The shape of the block's input and output.</param>
    /// <param name="layers">The inner layers, in order; their shapes chain from <paramref name="shape"/> back to it.</param>
    /// <exception cref="ArgumentException">No layer is given, the shapes do not chain, or the last layer does not give <paramref name="shape"/> back.</exception>
    public Residual(FeatureShape shape, params IEnumerable<ILayer<T>> layers)
        : base(shape, shape)
    {
        foreach (ILayer<T> layer in Chain(shape, layers, "residual"))
        {
            AddChild(layer);
        }

        if (Children[^1].OutputShape != shape)
        {
            throw new ArgumentException($"residual: its layers turn {shape} into {Children[^1].OutputShape}; a residual block adds its input to its layers' output, so they must give back the shape they take.", nameof(layers));
        }
    }

    /// <inheritdoc/>
    /// <remarks><c>Residual(SHAPE)</c>, for example <c>Residual(128)</c>.</remarks>
    public override string Name => $"Residual({InputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new("x + F(x)", "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("layers", string.Join(' ', Children.Select(LayerRegistry.SpecOf))));

    /// <inheritdoc/>
    /// <remarks>The inner layers' parameters and buffers, and per sample the sum and ∂L/∂X.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        LayerPlan inner = Registries.Layers.PlanList(settings.Get("layers"), input);
        if (inner.Output != input)
        {
            throw new ArgumentException($"residual: its layers turn {input} into {inner.Output}; a residual block adds its input to its layers' output, so they must give back the shape they take.", nameof(settings));
        }

        return new LayerPlan(input, inner.Parameters, checked(inner.ValuesPerSample + (2 * input.Size)));
    }

    /// <inheritdoc/>
    public static Residual<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Residual<T>(input, Registries.Layers.CreateList<T>(settings.Get("layers"), input, random));
    }

    /// <summary>The inner layers' nodes, then <c>Add</c> of the block's input, in the form the input had.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string input = graph.Current;
        (bool image, bool sequence) = (graph.CurrentIsImage, graph.CurrentIsSequence);
        foreach (ILayer<T> layer in Children)
        {
            layer.ExportOnnx(graph);
        }

        if (sequence)
        {
            graph.ToSequence(InputShape);
        }
        else if (image)
        {
            graph.ToImage(InputShape);
        }
        else
        {
            graph.ToRows();
        }

        graph.Apply("Add", [input, graph.Current], "residual");
    }

    /// <summary><c>dl.Residual(...)</c> holding the inner layers' modules as its <c>body</c>.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        TorchSequential<T> body = sequence.AddBlock("dl.Residual", "body");
        foreach (ILayer<T> layer in Children)
        {
            layer.ExportTorch(body);
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        Tensor<T> h = Sequential<T>.ForwardThrough(Children, input, training);
        Tensor<T> sum = Buffer(Sum, input.Rows, InputSize);
        TensorPrimitives.Add<T>(input.AsSpan(), h.AsSpan(), sum.AsSpan());
        return sum;
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T>? g = Sequential<T>.BackwardThrough(Children, outputGradient, computeInputGradient);
        if (!computeInputGradient)
        {
            return null;
        }

        Tensor<T> inputGradient = Buffer(InputGradient, input.Rows, InputSize);
        TensorPrimitives.Add<T>(outputGradient.AsSpan(), g!.AsSpan(), inputGradient.AsSpan());
        return inputGradient;
    }

    /// <summary>Checks that <paramref name="layers"/> chain from <paramref name="shape"/>, and returns them.</summary>
    internal static ILayer<T>[] Chain(FeatureShape shape, IEnumerable<ILayer<T>> layers, string block)
    {
        ILayer<T>[] list = [.. Preconditions.CheckNotNull(layers, nameof(layers))];
        if (list.Length == 0)
        {
            throw new ArgumentException($"{block}: give it at least one layer.", nameof(layers));
        }

        FeatureShape current = shape;
        foreach (ILayer<T> layer in list)
        {
            if (!current.ChainsTo(Preconditions.CheckNotNull(layer, nameof(layers)).InputShape))
            {
                throw new ArgumentException($"{block}: {layer.Name} takes {layer.InputShape}, but gets {current}.", nameof(layers));
            }

            current = layer.OutputShape;
        }

        return list;
    }
}
