using System.Numerics;
using DeepLearning.Activations;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// An activation function as a layer of its own, <c>A = σ(X)</c>: what follows a layer whose output is normalized first —
/// <c>conv2d(20, 5) batch_norm relu</c> — or any place a non-linearity is wanted between two layers. In the spec grammar an
/// activation's name alone is this layer: <c>relu</c> is <c>activation(relu)</c>, <c>leaky_relu(0.2)</c> is
/// <c>activation(leaky_relu(0.2))</c>, an activation registered from outside the library included.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> The output has the input's shape. An activation that acts on each value alone works after any layer; one
/// that normalizes a row (softmax) works on a flat vector, or at every position of a sequence (each position's D values),
/// not on an image.
/// </para>
/// <para>
/// <b>Backward</b>: δ = ∂L/∂A ⊙ σ′(X), computed by the activation from X and A. No parameters. PyTorch: the activation's
/// module (<c>nn.ReLU()</c>); ONNX: its node. Registry name <c>activation(function)</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Network&lt;float&gt; network = new NetworkBuilder&lt;float&gt;(784).Add("dense(100)").Add("batch_norm").Add("relu").Add("dense(10)").Build();
/// </code>
/// </example>
public sealed class ActivationLayer<T> : Layer<T>, ILayerKind<ActivationLayer<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, Delta = 1;
    private const int InputView = 0, OutputView = 1, GradientView = 2, DeltaView = 3;

    /// <summary>Creates the layer for samples of shape <paramref name="shape"/>.</summary>
    /// <param name="shape">The shape of the layer before it, kept.</param>
    /// <param name="activation">σ.</param>
    /// <exception cref="ArgumentException"><paramref name="activation"/> normalizes a row and the input is an image.</exception>
    public ActivationLayer(FeatureShape shape, IActivation activation)
        : base(shape, shape)
    {
        Activation = Preconditions.CheckNotNull(activation, nameof(activation));
        Check(shape, activation);
    }

    /// <summary>σ, applied to every input.</summary>
    public IActivation Activation { get; }

    /// <inheritdoc/>
    /// <remarks>The activation's name and the shape, for example <c>ReLU(20×24×24)</c>.</remarks>
    public override string Name => $"{Activation.Name}({InputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(Activation.Name, "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("function", Activation.Spec));

    /// <inheritdoc/>
    /// <remarks>No parameters; per sample the output and δ.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        Check(input, settings.GetConcept("function", Registries.Activations));
        return new LayerPlan(input, 0, checked(2 * input.Size));
    }

    /// <inheritdoc/>
    public static ActivationLayer<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new ActivationLayer<T>(input, settings.GetConcept("function", Registries.Activations));
    }

    /// <summary>The activation's node, on the batch in the form it has (each position of a sequence for a softmax).</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!Activation.IsElementwise)
        {
            if (InputShape.IsSequence)
            {
                graph.ToSequence(InputShape);
            }
            else
            {
                graph.ToRows();
            }
        }

        Activation.ExportOnnx(graph);
    }

    /// <summary>The activation's module, or <c>Identity()</c> for the identity.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(Activation.PyTorchModule ?? "Identity()");
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape);
        Tensor<T> a = Buffer(Result, x.Rows, x.Columns);
        Activation.Forward(x, a);
        return BySample(OutputView, a, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        Tensor<T> x = ByPosition(InputView, input, InputShape), g = ByPosition(GradientView, outputGradient, OutputShape);
        Tensor<T> delta = Buffer(Delta, x.Rows, x.Columns);
        Activation.Backward(x, Buffer(Result, x.Rows, x.Columns), g, delta);
        return BySample(DeltaView, delta, InputShape);
    }

    private static void Check(FeatureShape shape, IActivation activation)
    {
        if (!activation.IsElementwise && !shape.IsFlat && !shape.IsSequence)
        {
            throw new ArgumentException($"the activation {activation.Spec} normalizes a row, and a {shape} image has no rows to normalize; use one that acts on each value alone (relu, tanh, …), or flatten first.", nameof(activation));
        }
    }
}
