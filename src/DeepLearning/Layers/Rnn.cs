using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Activations;
using DeepLearning.Compute;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// A recurrent layer (Elman's): it reads a sequence one position at a time and keeps a hidden state of H values that
/// carries what it has seen — <c>h_t = σ(x_t·W_x + b_x + h_(t−1)·W_h + b_h)</c>, h_(−1) = 0 — and gives every h_t: the
/// sequence T×H. The same weights at every step, so it reads sequences of any length with one set of weights.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Weights.</b> W_x is D×H (rows: the input's features, the side the connections come from) and W_h H×H (rows: the
/// previous state's values); b_x and b_h, H each — PyTorch's <c>nn.RNN</c> keeps the two biases, so the library does
/// too. All four start from U(−1/√H, 1/√H), as PyTorch's.
/// </para>
/// <para>
/// <b>Forward</b>: the input products of every position at once, X·W_x + b_x + b_h over the (m·T)×D positions; then, step by
/// step, h_t = σ(that + h_(t−1)·W_h). <b>Backward through time</b>, from t = T − 1 down to 0: the gradient reaching h_t is
/// ∂L/∂y_t plus what h_(t+1) sends back; δ_t = that ⊙ σ′(z_t); h_(t−1) receives δ_t·W_hᵀ. Then, once for all positions:
/// ∂L/∂W_x = Xᵀ·δ, ∂L/∂W_h = Σ h_(t−1)ᵀ·δ_t, ∂L/∂b_x = ∂L/∂b_h = the column sums of δ, ∂L/∂X = δ·W_xᵀ.
/// </para>
/// <para>
/// PyTorch: <c>dl.RNN(D, H, nonlinearity)</c> of <c>tests/python/deeplearning_torch.py</c>, an <c>nn.RNN(batch_first=True)</c>
/// whose output it returns (tensors <c>rnn.weight_ih_l0</c> [H, D], <c>rnn.weight_hh_l0</c> [H, H], <c>rnn.bias_ih_l0</c>,
/// <c>rnn.bias_hh_l0</c>), tanh or relu; ONNX: an <c>RNN</c> node. Registry name <c>rnn(hidden, activation = tanh)</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "embedding(27, 64) rnn(64) dense(27)"   // makemore's RNN: the next character from everything read so far
/// </code>
/// </example>
public sealed class Rnn<T> : Layer<T>, ILayerKind<Rnn<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Weighted = 0, States = 1, Previous = 2, Next = 3, StepZ = 4, StepA = 5, Delta = 6, StepDelta = 7, Shifted = 8, InputGradient = 9, StepGradient = 10;
    private const int InputView = 0, OutputView = 1, GradientView = 2, InputGradientView = 3;
    private readonly Parameter<T> _inputWeights, _stateWeights, _inputBias, _stateBias;

    /// <summary>Creates a recurrent layer of <paramref name="hidden"/> values over sequences of shape <paramref name="input"/>.</summary>
    /// <param name="input">The sequence T×D.</param>
    /// <param name="hidden">H, the hidden state's values.</param>
    /// <param name="activation">σ; tanh when null. Must act on each value alone.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null.</param>
    /// <exception cref="ArgumentException">The input is not a sequence, the activation normalizes a row, or a size is out of range.</exception>
    public Rnn(FeatureShape input, int hidden, IActivation? activation = null, Random? random = null)
        : base(input, OutputShapeOf(input, hidden))
    {
        Activation = activation ?? Activations.Activation.Tanh;
        CheckActivation(Activation);
        random ??= new Random(0);
        int features = input.Features;
        _inputWeights = AddParameter("rnn.weight_ih_l0", features, hidden, Initializer.Zeros, random, features, hidden, isWeight: true, exportShape: [hidden, features]);
        _stateWeights = AddParameter("rnn.weight_hh_l0", hidden, hidden, Initializer.Zeros, random, hidden, hidden, isWeight: true);
        _inputBias = AddParameter("rnn.bias_ih_l0", 1, hidden, Initializer.Zeros, random, features, hidden, isWeight: false);
        _stateBias = AddParameter("rnn.bias_hh_l0", 1, hidden, Initializer.Zeros, random, hidden, hidden, isWeight: false);
        foreach (Parameter<T> parameter in Parameters)
        {
            Recurrence.Uniform(parameter.Values, hidden, random);
        }
    }

    /// <summary>H, the hidden state's values.</summary>
    public int Hidden => OutputShape.Features;

    /// <summary>σ, applied at every step.</summary>
    public IActivation Activation { get; }

    /// <inheritdoc/>
    /// <remarks><c>RNN(T×D→T×H)</c>.</remarks>
    public override string Name => $"RNN({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(Activation.Name, string.Create(CultureInfo.InvariantCulture, $"{InputShape.Features}×{Hidden}, {Hidden}×{Hidden}"));

    /// <inheritdoc/>
    protected override Arguments Settings => new(("hidden", Text(Hidden)), ("activation", Activation.Spec));

    /// <inheritdoc/>
    /// <remarks>W_x, W_h and two biases; per sample the products, states and gradients of every position.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        int hidden = settings.GetSize("hidden");
        FeatureShape output = OutputShapeOf(input, hidden);
        CheckActivation(settings.GetConcept("activation", Registries.Activations));
        long parameters = checked(((long)input.Features * hidden) + ((long)hidden * hidden) + (2L * hidden));
        return new LayerPlan(output, parameters, checked((6 * output.Size) + (2 * input.Size)));
    }

    /// <inheritdoc/>
    public static Rnn<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Rnn<T>(input, settings.GetSize("hidden"), settings.GetConcept("activation", Registries.Activations), random);
    }

    /// <summary>An ONNX <c>RNN</c> node (tanh or relu) over the sequence put time-major, W [1, H, D], R [1, H, H], B [1, 2H].</summary>
    /// <param name="graph">The graph being written.</param>
    /// <exception cref="NotSupportedException">The activation is neither tanh nor relu.</exception>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string onnxActivation = TorchNonlinearity() == "tanh" ? "Tanh" : "Relu";
        int features = InputShape.Features, hidden = Hidden;
        graph.ToSequence(InputShape);
        string timeMajor = graph.Apply("Transpose", [graph.Current], "rnn_time_major", ("perm", new long[] { 1, 0, 2 }));
        string w = graph.AddInitializer<T>("rnn_W", [1, hidden, features], _inputWeights.Values);
        string r = graph.AddInitializer<T>("rnn_R", [1, hidden, hidden], _stateWeights.Values);
        string b = graph.AddInitializer<T>("rnn_B", [1, 2 * hidden], [.. _inputBias.Values, .. _stateBias.Values]);
        string y = graph.NewName("rnn_y");
        graph.AddNode("RNN", [timeMajor, w, r, b], y, ("hidden_size", hidden), ("activations", new[] { onnxActivation }));
        string squeezed = graph.Apply("Squeeze", [y, graph.AddIntegers("rnn_axis", 1)], "rnn_states");
        graph.Current = graph.Apply("Transpose", [squeezed], "rnn_output", ("perm", new long[] { 1, 0, 2 }));
    }

    /// <summary><c>dl.RNN(D, H, nonlinearity)</c> with nn.RNN's four tensors.</summary>
    /// <param name="sequence">The sequence being described.</param>
    /// <exception cref="NotSupportedException">The activation is neither tanh nor relu, the two nn.RNN has.</exception>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"dl.RNN({InputShape.Features}, {Hidden}, nonlinearity='{TorchNonlinearity()}')"), [.. Parameters]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape);
        int m = input.Rows, hidden = Hidden, positions = InputShape.Positions;
        Tensor<T> weighted = Buffer(Weighted, x.Rows, hidden), states = Buffer(States, x.Rows, hidden);
        Tensor<T> previous = Buffer(Previous, m, hidden), next = Buffer(Next, m, hidden);

        // The input's share of every position at once, with both biases: X·W_x + b_x + b_h.
        MatrixProduct.Multiply(x.Matrix, _inputWeights.Matrix, weighted.Matrix);
        for (int j = 0; j < hidden; j++)
        {
            TensorPrimitives.Add<T>(weighted.ColumnSpan(j), _inputBias.Values[j] + _stateBias.Values[j], weighted.ColumnSpan(j));
        }

        // Then step by step: z_t = that + h_(t−1)·W_h (h_(−1) = 0), h_t = σ(z_t). The z_t stay in `weighted` for σ′.
        for (int t = 0; t < positions; t++)
        {
            Recurrence.Read(weighted, t, next);
            if (t > 0)
            {
                MatrixProduct.Multiply(previous.Matrix, _stateWeights.Matrix, Buffer(StepZ, m, hidden).Matrix);
                TensorPrimitives.Add<T>(next.AsSpan(), Buffer(StepZ, m, hidden).AsSpan(), next.AsSpan());
                Recurrence.Write(next, weighted, t);
            }

            Activation.Forward(next, previous);
            Recurrence.Write(previous, states, t);
        }

        return BySample(OutputView, states, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape), g = ByPosition(GradientView, outputGradient, OutputShape);
        int m = input.Rows, hidden = Hidden, positions = InputShape.Positions;
        Tensor<T> weighted = Buffer(Weighted, x.Rows, hidden), states = Buffer(States, x.Rows, hidden), delta = Buffer(Delta, x.Rows, hidden);
        Tensor<T> carried = Buffer(Next, m, hidden), z = Buffer(StepZ, m, hidden), a = Buffer(StepA, m, hidden), stepDelta = Buffer(StepDelta, m, hidden), stepGradient = Buffer(StepGradient, m, hidden);
        carried.AsSpan().Clear();
        for (int t = positions - 1; t >= 0; t--)
        {
            // What reaches h_t: ∂L/∂y_t and what h_(t+1) sent back; δ_t = that ⊙ σ′(z_t).
            Recurrence.Read(g, t, stepGradient);
            TensorPrimitives.Add<T>(stepGradient.AsSpan(), carried.AsSpan(), stepGradient.AsSpan());
            Recurrence.Read(weighted, t, z);
            Recurrence.Read(states, t, a);
            Activation.Backward(z, a, stepGradient, stepDelta);
            Recurrence.Write(stepDelta, delta, t);
            if (t > 0)
            {
                MatrixProduct.MultiplyByTransposeOfSecond(stepDelta.Matrix, _stateWeights.Matrix, carried.Matrix); // h_(t−1) gets δ_t·W_hᵀ
            }
        }

        Tensor<T> shifted = Buffer(Shifted, x.Rows, hidden);
        Recurrence.Shift(states, shifted, m);
        MatrixProduct.TransposeFirstAndMultiply(shifted.Matrix, delta.Matrix, _stateWeights.GradientMatrix);
        MatrixProduct.TransposeFirstAndMultiply(x.Matrix, delta.Matrix, _inputWeights.GradientMatrix);
        for (int j = 0; j < hidden; j++)
        {
            _inputBias.Gradients[j] = _stateBias.Gradients[j] = TensorPrimitives.Sum<T>(delta.ColumnSpan(j));
        }

        if (!computeInputGradient)
        {
            return null;
        }

        Tensor<T> dx = Buffer(InputGradient, x.Rows, InputShape.Features);
        MatrixProduct.MultiplyByTransposeOfSecond(delta.Matrix, _inputWeights.Matrix, dx.Matrix);
        return BySample(InputGradientView, dx, InputShape);
    }

    private string TorchNonlinearity() => Activation.Spec switch
    {
        "tanh" => "tanh",
        "relu" => "relu",
        _ => throw new NotSupportedException($"{Name}: PyTorch's nn.RNN and ONNX's RNN take tanh or relu, not {Activation.Spec}."),
    };

    private static void CheckActivation(IActivation activation)
    {
        if (!activation.IsElementwise)
        {
            throw new ArgumentException($"rnn: the activation {activation.Spec} normalizes a row; a recurrent layer takes one that acts on each value alone (tanh, relu, …).", nameof(activation));
        }
    }

    private static FeatureShape OutputShapeOf(FeatureShape input, int hidden)
    {
        Preconditions.CheckPositive(hidden, nameof(hidden));
        if (!input.IsSequence)
        {
            throw new ArgumentException($"rnn reads a sequence (T×D), but the layer before gives {input}.", nameof(input));
        }

        Preconditions.CheckElementCount(input.Positions, hidden, "The RNN's output", nameof(hidden), "use a smaller hidden state");
        return FeatureShape.Sequence(input.Positions, hidden);
    }
}
