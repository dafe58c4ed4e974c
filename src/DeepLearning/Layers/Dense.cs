using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Activations;
using DeepLearning.Compute;
using DeepLearning.Initialization;
using DeepLearning.Serialization;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Layers;

/// <summary>
/// A fully connected layer: <c>A = σ(Z)</c> with <c>Z = X·W + 1·bᵀ</c>. Every input neuron is connected to every output
/// neuron, and connection (i, j) has the weight <c>W[i, j]</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> Input X: m×n_in (one row per sample). Weight matrix W: n_in×n_out — rows are the size of the layer
/// the connections come from, columns the size of the layer they go to, so a 2-neuron → 3-neuron layer has a 2×3 W.
/// Bias b: n_out. Weighted inputs Z and output A: m×n_out. (This is the Keras orientation; PyTorch's <c>nn.Linear</c>
/// stores Wᵀ.) After a convolution the input is an image C×H×W, read as its n_in = C·H·W values in channel-major order —
/// PyTorch's <c>nn.Flatten</c> — so nothing is needed in between. After a sequence T×D the layer acts at every position
/// with one W of D×n_out, like PyTorch's <c>nn.Linear</c> on a [m, T, D] tensor: the output is the sequence T×n_out, and
/// the product runs once over all m·T positions (see <see cref="FeatureShape"/>).
/// </para>
/// <para>
/// <b>Backward propagation</b>, given G = ∂L/∂A: δ = G ⊙ σ′(Z); ∂L/∂W = Xᵀ·δ; ∂L/∂b = the column sums of δ;
/// ∂L/∂X = δ·Wᵀ, handed to the previous layer.
/// </para>
/// <para>
/// <b>Initialization.</b> W from <see cref="Initializer.HeNormal"/> for ReLU layers and <see cref="Initializer.GlorotUniform"/>
/// otherwise, b zero, unless other initializers are given; always drawn from a seeded <see cref="Random"/>.
/// </para>
/// <para>
/// Registry name <c>dense(outputs, activation = identity, bias = true)</c>, for example <c>dense(100, relu)</c>. The layer
/// owns buffers for Z, A, δ and ∂L/∂X for each batch size it sees, so after the first batch a training step allocates
/// nothing. The tensors it returns are those buffers. Not thread-safe.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var layer = new Dense&lt;double&gt;(2, 3, Activation.Sigmoid); // 2 inputs → 3 neurons
/// // layer.Weights is 2×3, layer.Bias has 3 entries
/// Tensor&lt;double&gt; h = layer.Forward(Tensor&lt;double&gt;.FromRow(1, 2)); // shape 1×3
/// </code>
/// </example>
public sealed class Dense<T> : Layer<T>, ILayerKind<Dense<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Z = 0, A = 1, Delta = 2, InputGradient = 3;
    private const int InputView = 0, OutputView = 1, GradientView = 2, InputGradientView = 3;
    private readonly Parameter<T> _weights;
    private readonly Parameter<T>? _bias;
    private readonly IInitializer? _weightInitializer;
    private readonly IInitializer _biasInitializer;

    /// <summary>Creates a dense layer from <paramref name="inputs"/> neurons to <paramref name="outputs"/> neurons.</summary>
    /// <param name="inputs">n_in, the number of inputs: the rows of W.</param>
    /// <param name="outputs">n_out, the number of neurons in this layer: the columns of W.</param>
    /// <param name="activation">σ; <see cref="Activation.Identity"/> (a linear layer) when null.</param>
    /// <param name="weightInitializer">How W starts; He normal for ReLU, Glorot uniform otherwise, when null.</param>
    /// <param name="biasInitializer">How b starts; zeros when null.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null, so a layer built alone is reproducible.</param>
    /// <param name="useBias">Whether the layer has a bias b (the one-weight example of gradient descent has none).</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="inputs"/> or <paramref name="outputs"/> is less than 1, or the weight matrix would hold more than
    /// <see cref="Array.MaxLength"/> elements (n_in·n_out is computed in 64 bits, never wrapped).
    /// </exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter's type (a size or a shape), so calls cannot be ambiguous.")]
    public Dense(
        int inputs,
        int outputs,
        IActivation? activation = null,
        IInitializer? weightInitializer = null,
        IInitializer? biasInitializer = null,
        Random? random = null,
        bool useBias = true)
        : this(FeatureShape.Flat(Preconditions.CheckPositive(inputs, nameof(inputs))), outputs, activation, weightInitializer, biasInitializer, random, useBias)
    {
    }

    /// <summary>Creates a dense layer after samples of shape <paramref name="input"/> (an image is read as its C·H·W values).</summary>
    /// <param name="input">The shape of one input sample; n_in is its size.</param>
    /// <param name="outputs">n_out, the number of neurons in this layer: the columns of W.</param>
    /// <param name="activation">σ; <see cref="Activation.Identity"/> (a linear layer) when null.</param>
    /// <param name="weightInitializer">How W starts; He normal for ReLU, Glorot uniform otherwise, when null.</param>
    /// <param name="biasInitializer">How b starts; zeros when null.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null.</param>
    /// <param name="useBias">Whether the layer has a bias b.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="outputs"/> is less than 1, or W would hold more than <see cref="Array.MaxLength"/> elements.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The two constructors differ in their first parameter's type (a size or a shape), so calls cannot be ambiguous.")]
    public Dense(
        FeatureShape input,
        int outputs,
        IActivation? activation = null,
        IInitializer? weightInitializer = null,
        IInitializer? biasInitializer = null,
        Random? random = null,
        bool useBias = true)
        : base(input, OutputShapeOf(input, Preconditions.CheckPositive(outputs, nameof(outputs))))
    {
        Preconditions.CheckElementCount(FanIn(input), outputs, $"The weight matrix of Dense({FanIn(input)}→{outputs})", nameof(outputs), "use fewer neurons");
        Activation = activation ?? Activations.Activation.Identity;
        random ??= new Random(0);
        (_weightInitializer, _biasInitializer) = (weightInitializer, biasInitializer ?? Initializer.Zeros);
        int fanIn = FanIn(input);
        _weights = AddParameter("weight", fanIn, outputs, weightInitializer ?? Activation.PreferredWeightInitializer ?? Initializer.GlorotUniform, random, fanIn, outputs, exportShape: [outputs, fanIn]); // nn.Linear's [out, in], also for one input
        if (useBias)
        {
            _bias = AddParameter("bias", 1, outputs, _biasInitializer, random, fanIn, outputs);
            Bias = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(_bias.Matrix.AsColumnMajorArray()!);
            BiasGradient = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(_bias.GradientMatrix.AsColumnMajorArray()!);
        }
    }

    /// <inheritdoc/>
    /// <remarks><c>Dense(n_in→n_out)</c>, for example <c>Dense(784→30)</c>; at every position of a sequence, <c>Dense(16×64→16×256)</c>.</remarks>
    public override string Name => InputShape.IsSequence ? $"Dense({InputShape}→{OutputShape})" : $"Dense({InputSize}→{OutputSize})";

    /// <summary>The activation σ applied to the weighted inputs.</summary>
    public IActivation Activation { get; }

    /// <inheritdoc/>
    public override LayerSummary Summary => new(Activation.Name, $"{Weights.RowCount}×{Weights.ColumnCount}");

    /// <summary>The weight matrix W, n_in×n_out (D×n_out at every position of a sequence): <c>Weights[i, j]</c> is the weight of the connection from input i to neuron j. Editable.</summary>
    public Matrix<T> Weights => _weights.Matrix;

    /// <summary>The bias vector b, one entry per neuron (n_out); <see langword="null"/> for a layer without bias. Editable.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T>? Bias { get; }

    /// <summary>∂L/∂W = Xᵀ·δ from the last backward pass, n_in×n_out.</summary>
    public Matrix<T> WeightGradient => _weights.GradientMatrix;

    /// <summary>∂L/∂b = the column sums of δ from the last backward pass (n_out); <see langword="null"/> without bias.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T>? BiasGradient { get; }

    /// <summary>The weighted inputs Z = X·W + 1·bᵀ of the last forward pass (m×n_out), or <see langword="null"/> before the first.</summary>
    public Tensor<T>? WeightedInput => Output is { } a ? BySample(OutputView + 4, Buffer(Z, a.Rows * InputShape.Positions, Weights.ColumnCount), OutputShape) : null;

    /// <summary>The number of trainable values: n_in·n_out weights plus n_out biases.</summary>
    public long ParameterCount => ((long)Weights.RowCount * Weights.ColumnCount) + (_bias is null ? 0 : Weights.ColumnCount);

    /// <inheritdoc/>
    /// <remarks>
    /// <c>outputs=n_out; activation=SPEC; bias=true|false; init=SPEC|auto; bias_init=SPEC</c>: <c>auto</c> is the
    /// activation's preferred initializer (He for ReLU), else Glorot.
    /// </remarks>
    protected override Arguments Settings
        => new(("outputs", Text(Weights.ColumnCount)), ("activation", Activation.Spec), ("bias", Text(_bias is not null)), ("init", _weightInitializer?.Spec ?? "auto"), ("bias_init", _biasInitializer.Spec));

    /// <inheritdoc/>
    /// <remarks>n_in·n_out weights and n_out biases; per sample Z, A, δ (n_out each) and ∂L/∂X (n_in).</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        int outputs = settings.GetSize("outputs");
        _ = settings.GetConcept("activation", Registries.Activations);
        _ = (InitializerSetting(settings, "init"), InitializerSetting(settings, "bias_init"));
        long weights = checked(FanIn(input) * (long)outputs);
        Preconditions.CheckElementCount(FanIn(input), outputs, $"The weight matrix of Dense({FanIn(input)}→{outputs})", nameof(settings), "use fewer neurons");
        FeatureShape output = OutputShapeOf(input, outputs);
        return new LayerPlan(output, checked(weights + (settings.GetBoolean("bias") ? outputs : 0)), checked((3L * output.Size) + input.Size));
    }

    /// <inheritdoc/>
    public static Dense<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Dense<T>(
            input,
            settings.GetSize("outputs"),
            settings.GetConcept("activation", Registries.Activations),
            InitializerSetting(settings, "init"),
            InitializerSetting(settings, "bias_init"),
            random,
            settings.GetBoolean("bias"));
    }

    /// <summary>
    /// Writes <c>Gemm(X, W, b)</c> with W as it is (n_in×n_out, <c>transB = 0</c>), then the activation's node; at every
    /// position of a sequence [m, T, D], <c>MatMul(X, W)</c> then <c>Add(b)</c>.
    /// </summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int rows = Weights.RowCount, columns = Weights.ColumnCount;
        string w = graph.AddInitializer<T>("dense_W", [rows, columns], StorageOrder.RowByRow(Weights)); // row by row: W[i, j] at i·n_out + j
        if (InputShape.IsSequence)
        {
            graph.ToSequence(InputShape);
            graph.Apply("MatMul", [graph.Current, w], "dense_xw");
            if (_bias is not null)
            {
                graph.Apply("Add", [graph.Current, graph.AddInitializer<T>("dense_b", [columns], _bias.Values)], "dense_z");
            }
        }
        else
        {
            graph.ToRows(); // after a convolution or pooling: [m, C, H, W] → m×(C·H·W), PyTorch's flatten order
            string[] inputs = _bias is null ? [graph.Current, w] : [graph.Current, w, graph.AddInitializer<T>("dense_b", [columns], _bias.Values)];
            graph.Apply("Gemm", inputs, "dense_z");
        }

        Activation.ExportOnnx(graph);
    }

    /// <summary>
    /// <c>Linear(n_in, n_out)</c> holding W as PyTorch's [n_out, n_in] weight (and b), then the activation's module; after
    /// a module that produces an image (a convolution or pooling), <c>Flatten()</c> first. As the first module it needs
    /// none: a network's input is a batch of rows, whatever the shape the rows hold.
    /// </summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (!InputShape.IsFlat && !InputShape.IsSequence && sequence.Modules.Count > 0)
        {
            sequence.Add("Flatten()");
        }

        sequence.Add($"Linear({Weights.RowCount}, {Weights.ColumnCount}{(_bias is null ? ", bias=False" : string.Empty)})", [.. Parameters]);
        if (Activation.PyTorchModule is { } module)
        {
            sequence.Add(module);
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        // A sequence's m samples are its m·T positions here (the same storage seen as (m·T)×D): one product for all.
        Tensor<T> x = ByPosition(InputView, input, InputShape);
        int outputs = Weights.ColumnCount;
        Tensor<T> z = Buffer(Z, x.Rows, outputs), a = Buffer(A, x.Rows, outputs);

        // Z = X·W + 1·bᵀ: the product, then b[j] added to every row of column j (one contiguous column in storage).
        MatrixProduct.Multiply(x.Matrix, Weights, z.Matrix);
        if (_bias is not null)
        {
            Span<T> b = _bias.Values;
            for (int j = 0; j < outputs; j++)
            {
                Span<T> column = z.ColumnSpan(j);
                TensorPrimitives.Add<T>(column, b[j], column);
            }
        }

        Activation.Forward(z, a);
        return BySample(OutputView, a, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape), g = ByPosition(GradientView, outputGradient, OutputShape);
        int rows = x.Rows, outputs = Weights.ColumnCount;
        Tensor<T> delta = Buffer(Delta, rows, outputs);
        Activation.Backward(Buffer(Z, rows, outputs), Buffer(A, rows, outputs), g, delta);

        // ∂L/∂W = Xᵀ·δ (n_in×m · m×n_out), summed over every position of a sequence
        MatrixProduct.TransposeFirstAndMultiply(x.Matrix, delta.Matrix, WeightGradient);

        // ∂L/∂b = column sums of δ
        if (_bias is not null)
        {
            Span<T> biasGradient = _bias.Gradients;
            for (int j = 0; j < outputs; j++)
            {
                biasGradient[j] = TensorPrimitives.Sum<T>(delta.ColumnSpan(j));
            }
        }

        if (!computeInputGradient)
        {
            return null;
        }

        // ∂L/∂X = δ·Wᵀ (m×n_out · n_out×n_in)
        Tensor<T> inputGradient = Buffer(InputGradient, rows, Weights.RowCount);
        MatrixProduct.MultiplyByTransposeOfSecond(delta.Matrix, Weights, inputGradient.Matrix);
        return BySample(InputGradientView, inputGradient, InputShape);
    }

    /// <summary>n_in: the input's values, or D at every position of a sequence T×D.</summary>
    private static int FanIn(FeatureShape input) => input.IsSequence ? input.Features : (int)input.Size;

    /// <summary>n_out values, or the sequence T×n_out after a sequence.</summary>
    private static FeatureShape OutputShapeOf(FeatureShape input, int outputs)
        => input.IsSequence ? FeatureShape.Sequence(input.Positions, outputs) : FeatureShape.Flat(outputs);

    /// <summary>An initializer setting: <c>auto</c> (null: the activation's preference) or an initializer spec.</summary>
    private static IInitializer? InitializerSetting(Arguments settings, string key)
        => settings.Get(key).Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : settings.GetConcept(key, Registries.Initializers);
}
