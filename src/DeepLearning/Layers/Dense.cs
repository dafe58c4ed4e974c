using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Activations;
using DeepLearning.Compute;
using DeepLearning.Initialization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

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
/// stores Wᵀ.)
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
/// The layer owns buffers for Z, A, δ and ∂L/∂X sized for each batch size it sees, so after the first batch a training
/// step allocates nothing. The tensors it returns are those buffers. Not thread-safe.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var layer = new Dense&lt;double&gt;(2, 3, Activation.Sigmoid); // 2 inputs → 3 neurons
/// // layer.Weights is 2×3, layer.Bias has 3 entries
/// Tensor&lt;double&gt; h = layer.Forward(Tensor&lt;double&gt;.FromRow(1, 2)); // shape 1×3
/// </code>
/// </example>
public sealed class Dense<T> : ILayer<T>, ILayerKind<Dense<T>, T>, Serialization.IOnnxExportable<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly BatchBuffers<Buffers> _buffers;
    private readonly T[] _weightData;
    private readonly T[]? _biasData;
    private Tensor<T>? _input;
    private Buffers? _current;

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
    public Dense(
        int inputs,
        int outputs,
        IActivation? activation = null,
        IInitializer? weightInitializer = null,
        IInitializer? biasInitializer = null,
        Random? random = null,
        bool useBias = true)
    {
        Preconditions.CheckPositive(inputs, nameof(inputs));
        Preconditions.CheckPositive(outputs, nameof(outputs));
        Preconditions.CheckElementType<T>();
        Preconditions.CheckElementCount(inputs, outputs, $"The weight matrix of Dense({inputs}→{outputs})", nameof(outputs));
        InputSize = inputs;
        OutputSize = outputs;
        Activation = activation ?? Activations.Activation.Identity;
        Name = $"Dense({inputs}→{outputs})";
        random ??= new Random(0);

        Weights = Matrix<T>.Build.Dense(inputs, outputs);
        WeightGradient = Matrix<T>.Build.Dense(inputs, outputs);
        _weightData = ((DenseColumnMajorMatrixStorage<T>)Weights.Storage).Data;
        (weightInitializer ?? Activation.PreferredWeightInitializer ?? Initializer.GlorotUniform)
            .Initialize<T>(_weightData, inputs, outputs, random);
        var parameters = new List<Parameter<T>>
        {
            new($"{Name}.Weights", new TensorShape(inputs, outputs), _weightData, ((DenseColumnMajorMatrixStorage<T>)WeightGradient.Storage).Data, isWeight: true),
        };

        if (useBias)
        {
            Bias = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(outputs);
            BiasGradient = MathNet.Numerics.LinearAlgebra.Vector<T>.Build.Dense(outputs);
            _biasData = ((DenseVectorStorage<T>)Bias.Storage).Data;
            (biasInitializer ?? Initializer.Zeros).Initialize<T>(_biasData, inputs, outputs, random);
            parameters.Add(new($"{Name}.Bias", new TensorShape(1, outputs), _biasData, ((DenseVectorStorage<T>)BiasGradient.Storage).Data));
        }

        Parameters = parameters.AsReadOnly();
        _buffers = new BatchBuffers<Buffers>(rows => new Buffers(rows, inputs, outputs));
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int InputSize { get; }

    /// <inheritdoc/>
    public int OutputSize { get; }

    /// <summary>The activation σ applied to the weighted inputs.</summary>
    public IActivation Activation { get; }

    /// <inheritdoc/>
    /// <remarks><c>dense</c>.</remarks>
    public string Kind => "dense";

    /// <inheritdoc/>
    /// <remarks><c>inputs=n_in; outputs=n_out; activation=SPEC; bias=true|false</c>.</remarks>
    public LayerConfiguration Configuration
        => new(("inputs", Invariant(InputSize)), ("outputs", Invariant(OutputSize)), ("activation", Activation.Spec), ("bias", Bias is null ? "false" : "true"));

    /// <inheritdoc/>
    public LayerSummary Summary => new(Activation.Name, $"{InputSize}×{OutputSize}");

    /// <summary>The weight matrix W, n_in×n_out: <c>Weights[i, j]</c> is the weight of the connection from input i to neuron j. Editable.</summary>
    public Matrix<T> Weights { get; }

    /// <summary>The bias vector b, one entry per neuron (n_out); <see langword="null"/> for a layer without bias. Editable.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T>? Bias { get; }

    /// <summary>∂L/∂W = Xᵀ·δ from the last backward pass, n_in×n_out.</summary>
    public Matrix<T> WeightGradient { get; }

    /// <summary>∂L/∂b = the column sums of δ from the last backward pass (n_out); <see langword="null"/> without bias.</summary>
    public MathNet.Numerics.LinearAlgebra.Vector<T>? BiasGradient { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The weighted inputs Z = X·W + 1·bᵀ of the last forward pass (m×n_out), or <see langword="null"/> before the first.</summary>
    public Tensor<T>? WeightedInput => _current?.Z;

    /// <summary>The output A = σ(Z) of the last forward pass (m×n_out), or <see langword="null"/> before the first.</summary>
    public Tensor<T>? Output => _current?.A;

    /// <inheritdoc/>
    public static Dense<T> FromConfiguration(LayerConfiguration configuration, Random random)
    {
        Preconditions.CheckNotNull(configuration, nameof(configuration));
        string activation = configuration.Get("activation");
        return new Dense<T>(
            configuration.GetSize("inputs"),
            configuration.GetSize("outputs"),
            Registries.Activations.TryCreate(activation, out IActivation? σ, out string error) ? σ : throw new ArgumentException(error, nameof(configuration)),
            random: random,
            useBias: configuration.GetBoolean("bias"));
    }

    /// <summary>The number of trainable values: n_in·n_out weights plus n_out biases.</summary>
    public long ParameterCount => ((long)InputSize * OutputSize) + (Bias is null ? 0 : OutputSize);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The input does not have n_in columns.</exception>
    public Tensor<T> Forward(Tensor<T> input, bool training = false)
    {
        Preconditions.CheckNotNull(input, nameof(input));
        if (input.Columns != InputSize)
        {
            string cause = input.Rows == InputSize
                ? $" It has {InputSize} rows: were the samples passed as columns? Samples are rows; transpose the input."
                : string.Empty;
            throw new ArgumentException(
                $"{Name}.Forward: input has {input.Columns} columns, expected {InputSize} (one per input neuron). Input shape {input.Shape}.{cause}",
                nameof(input));
        }

        Buffers buffers = _buffers.Get(input.Rows);
        _input = input;
        _current = buffers;

        // Z = X·W + 1·bᵀ: the product, then b[j] added to every row of column j (one contiguous column in storage).
        MatrixProduct.Multiply(input.Matrix, Weights, buffers.Z.Matrix);
        if (_biasData is not null)
        {
            for (int j = 0; j < OutputSize; j++)
            {
                Span<T> column = buffers.Z.ColumnSpan(j);
                TensorPrimitives.Add<T>(column, _biasData[j], column);
            }
        }

        Activation.Forward(buffers.Z, buffers.A);
        return buffers.A;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No forward pass has been made.</exception>
    /// <exception cref="ArgumentException">The gradient's shape is not that of the last output.</exception>
    public Tensor<T>? Backward(Tensor<T> outputGradient, bool computeInputGradient = true)
    {
        Buffers buffers = CheckBackward(outputGradient, nameof(outputGradient), "∂L/∂A");
        Activation.Backward(buffers.Z, buffers.A, outputGradient, buffers.Delta);
        return BackwardFromDeltaUnchecked(buffers.Delta, computeInputGradient);
    }

    /// <summary>Returns the name, for example <c>Dense(2→3)</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>Writes <c>Gemm(X, W, b)</c> with W as it is (n_in×n_out, <c>transB = 0</c>), then the activation's node.</summary>
    /// <param name="graph">The graph being written.</param>
    /// <param name="index">The layer's position, from 1.</param>
    public void ExportTo(Serialization.OnnxGraph graph, int index)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string prefix = $"dense{index}";
        string w = prefix + "_W", z = graph.NewName(prefix + "_z");
        var values = new T[InputSize * OutputSize]; // row by row: W[i, j] at i·n_out + j
        for (int i = 0; i < InputSize; i++)
        {
            for (int j = 0; j < OutputSize; j++)
            {
                values[(i * OutputSize) + j] = _weightData[i + (j * InputSize)];
            }
        }

        graph.AddInitializer<T>(w, [InputSize, OutputSize], values);
        string[] inputs = [graph.Current, w];
        if (_biasData is not null)
        {
            graph.AddInitializer<T>(prefix + "_b", [OutputSize], _biasData);
            inputs = [graph.Current, w, prefix + "_b"];
        }

        graph.AddNode("Gemm", inputs, z);
        graph.Current = z;
        graph.AddActivation(Activation, prefix + "_a");
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Tensor<T>? BackwardFromDeltaUnchecked(Tensor<T> delta, bool computeInputGradient)
    {
        Buffers buffers = _current!;
        Tensor<T> input = _input!;

        // ∂L/∂W = Xᵀ·δ (n_in×m · m×n_out)
        MatrixProduct.TransposeFirstAndMultiply(input.Matrix, delta.Matrix, WeightGradient);

        // ∂L/∂b = column sums of δ
        if (BiasGradient is not null)
        {
            T[] biasGradient = ((DenseVectorStorage<T>)BiasGradient.Storage).Data;
            for (int j = 0; j < OutputSize; j++)
            {
                biasGradient[j] = TensorPrimitives.Sum<T>(delta.ColumnSpan(j));
            }
        }

        if (!computeInputGradient)
        {
            return null;
        }

        // ∂L/∂X = δ·Wᵀ (m×n_out · n_out×n_in)
        Tensor<T> inputGradient = buffers.InputGradient;
        MatrixProduct.MultiplyByTransposeOfSecond(delta.Matrix, Weights, inputGradient.Matrix);
        return inputGradient;
    }

    private Buffers CheckBackward(Tensor<T> gradient, string parameterName, string what)
    {
        Preconditions.CheckNotNull(gradient, parameterName);
        Buffers buffers = _current ?? throw new InvalidOperationException(
            $"{Name}.Backward: no forward pass yet; call Forward first, Backward uses its input and weighted inputs.");
        if (gradient.Shape != buffers.A.Shape)
        {
            throw new ArgumentException(
                $"{Name}.Backward: {what} has shape {gradient.Shape}, expected {buffers.A.Shape} (the shape of the last output: samples × {OutputSize} neurons).",
                parameterName);
        }

        return buffers;
    }

    private sealed class Buffers(int rows, int inputs, int outputs)
    {
        private Tensor<T>? _inputGradient;

        public Tensor<T> Z { get; } = new(rows, outputs);

        public Tensor<T> A { get; } = new(rows, outputs);

        public Tensor<T> Delta { get; } = new(rows, outputs);

        public Tensor<T> InputGradient => _inputGradient ??= new Tensor<T>(rows, inputs);
    }
}
