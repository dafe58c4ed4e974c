using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Compute;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// A gated recurrent unit (Cho et al., 2014): a recurrent layer whose state is updated through gates that learn how much
/// to keep — so what it read long ago survives where a plain <see cref="Rnn{T}"/>'s fades. At each position, with σ the
/// sigmoid: <c>r = σ(x·W_xr + b_xr + h·W_hr + b_hr)</c> (reset), <c>z = σ(x·W_xz + b_xz + h·W_hz + b_hz)</c> (update),
/// <c>n = tanh(x·W_xn + b_xn + r ⊙ (h·W_hn + b_hn))</c> (the candidate), <c>h′ = (1 − z) ⊙ n + z ⊙ h</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Weights</b>, PyTorch's <c>nn.GRU</c> exactly: W_x is D×3H and W_h H×3H, their columns the r, z and n gates in that
/// order; two biases of 3H. All from U(−1/√H, 1/√H). The output is every state, the sequence T×H; h_(−1) = 0.
/// </para>
/// <para>
/// <b>Backward through time</b>, from the last position down, with G the gradient reaching h′ (∂L/∂y_t plus what the next
/// step sends back): ∂n = G ⊙ (1 − z), ∂z = G ⊙ (h − n), h receives G ⊙ z directly; through the nonlinearities
/// δn = ∂n ⊙ (1 − n²), δz = ∂z ⊙ z(1 − z), δr = (δn ⊙ (h·W_hn + b_hn)) ⊙ r(1 − r); the input products get (δr, δz, δn) and the
/// state's (δr, δz, δn ⊙ r), which sends h its share through W_hᵀ. Then once for all positions, as in <see cref="Rnn{T}"/>.
/// </para>
/// <para>
/// PyTorch: <c>dl.GRU(D, H)</c> of <c>tests/python/deeplearning_torch.py</c> (an <c>nn.GRU(batch_first=True)</c>; tensors
/// <c>gru.weight_ih_l0</c> [3H, D], <c>gru.weight_hh_l0</c> [3H, H], <c>gru.bias_ih_l0</c>, <c>gru.bias_hh_l0</c>); ONNX: a
/// <c>GRU</c> node with <c>linear_before_reset = 1</c> (PyTorch's formula), its gates reordered to ONNX's z, r, h.
/// Registry name <c>gru(hidden)</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "embedding(27, 64) gru(64) dense(27)"
/// </code>
/// </example>
public sealed class Gru<T> : Layer<T>, ILayerKind<Gru<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Weighted = 0, States = 1, Resets = 2, Updates = 3, Candidates = 4, StateN = 5, InputDelta = 6, StateDelta = 7;
    private const int StepX = 8, StepH = 9, Previous = 10, Next = 11, Carried = 12, Scratch = 13, Shifted = 14, InputGradient = 15;
    private const int InputView = 0, OutputView = 1, GradientView = 2, InputGradientView = 3;
    private readonly Parameter<T> _inputWeights, _stateWeights, _inputBias, _stateBias;

    /// <summary>Creates a GRU of <paramref name="hidden"/> values over sequences of shape <paramref name="input"/>.</summary>
    /// <param name="input">The sequence T×D.</param>
    /// <param name="hidden">H, the state's values.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null.</param>
    /// <exception cref="ArgumentException">The input is not a sequence, or a size is out of range.</exception>
    public Gru(FeatureShape input, int hidden, Random? random = null)
        : base(input, OutputShapeOf(input, hidden))
    {
        random ??= new Random(0);
        int features = input.Features, gates = checked(3 * hidden);
        _inputWeights = AddParameter("gru.weight_ih_l0", features, gates, Initializer.Zeros, random, features, hidden, isWeight: true, exportShape: [gates, features]);
        _stateWeights = AddParameter("gru.weight_hh_l0", hidden, gates, Initializer.Zeros, random, hidden, hidden, isWeight: true, exportShape: [gates, hidden]);
        _inputBias = AddParameter("gru.bias_ih_l0", 1, gates, Initializer.Zeros, random, features, hidden, isWeight: false);
        _stateBias = AddParameter("gru.bias_hh_l0", 1, gates, Initializer.Zeros, random, hidden, hidden, isWeight: false);
        foreach (Parameter<T> parameter in Parameters)
        {
            Recurrence.Uniform(parameter.Values, hidden, random);
        }
    }

    /// <summary>H, the state's values.</summary>
    public int Hidden => OutputShape.Features;

    /// <inheritdoc/>
    /// <remarks><c>GRU(T×D→T×H)</c>.</remarks>
    public override string Name => $"GRU({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new("r, z, n gates", string.Create(CultureInfo.InvariantCulture, $"{InputShape.Features}×{3 * Hidden}, {Hidden}×{3 * Hidden}"));

    /// <inheritdoc/>
    protected override Arguments Settings => new(("hidden", Text(Hidden)));

    /// <inheritdoc/>
    /// <remarks>W_x, W_h and two biases (3H columns each); per sample the gates, states and gradients of every position.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        int hidden = settings.GetSize("hidden");
        FeatureShape output = OutputShapeOf(input, hidden);
        long gates = 3L * hidden;
        long parameters = checked((input.Features * gates) + (hidden * gates) + (2 * gates));
        return new LayerPlan(output, parameters, checked((16 * output.Size) + (2 * input.Size)));
    }

    /// <inheritdoc/>
    public static Gru<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Gru<T>(input, settings.GetSize("hidden"), random);
    }

    /// <summary>An ONNX <c>GRU</c> node (<c>linear_before_reset = 1</c>) over the sequence put time-major, the gates reordered from r, z, n to ONNX's z, r, h.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int features = InputShape.Features, hidden = Hidden;
        graph.ToSequence(InputShape);
        string timeMajor = graph.Apply("Transpose", [graph.Current], "gru_time_major", ("perm", new long[] { 1, 0, 2 }));
        string w = graph.AddInitializer<T>("gru_W", [1, 3 * hidden, features], ZrnOrder(_inputWeights.Values, hidden * features));
        string r = graph.AddInitializer<T>("gru_R", [1, 3 * hidden, hidden], ZrnOrder(_stateWeights.Values, hidden * hidden));
        string b = graph.AddInitializer<T>("gru_B", [1, 6 * hidden], [.. ZrnOrder(_inputBias.Values, hidden), .. ZrnOrder(_stateBias.Values, hidden)]);
        string y = graph.NewName("gru_y");
        graph.AddNode("GRU", [timeMajor, w, r, b], y, ("hidden_size", hidden), ("linear_before_reset", 1));
        string squeezed = graph.Apply("Squeeze", [y, graph.AddIntegers("gru_axis", 1)], "gru_states");
        graph.Current = graph.Apply("Transpose", [squeezed], "gru_output", ("perm", new long[] { 1, 0, 2 }));
    }

    /// <summary><c>dl.GRU(D, H)</c> with nn.GRU's four tensors.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"dl.GRU({InputShape.Features}, {Hidden})"), [.. Parameters]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape);
        int m = input.Rows, hidden = Hidden, positions = InputShape.Positions, gate = m * hidden;
        Tensor<T> weighted = Buffer(Weighted, x.Rows, 3 * hidden), states = Buffer(States, x.Rows, hidden);
        Tensor<T> resets = Buffer(Resets, x.Rows, hidden), updates = Buffer(Updates, x.Rows, hidden), candidates = Buffer(Candidates, x.Rows, hidden), stateN = Buffer(StateN, x.Rows, hidden);
        Tensor<T> stepX = Buffer(StepX, m, 3 * hidden), stepH = Buffer(StepH, m, 3 * hidden), previous = Buffer(Previous, m, hidden), next = Buffer(Next, m, hidden);
        Tensor<T> r = Buffer(Scratch, m, hidden), z = Buffer(Carried, m, hidden);

        // The input's share of every position at once: X·W_x + b_x.
        MatrixProduct.Multiply(x.Matrix, _inputWeights.Matrix, weighted.Matrix);
        AddBias(weighted, _inputBias.Values);
        previous.AsSpan().Clear();
        for (int t = 0; t < positions; t++)
        {
            // The gates' blocks are contiguous in a column-by-column m×3H matrix: r, then z, then n, m·H values each.
            Recurrence.Read(weighted, t, stepX);
            if (t > 0)
            {
                MatrixProduct.Multiply(previous.Matrix, _stateWeights.Matrix, stepH.Matrix);
            }
            else
            {
                stepH.AsSpan().Clear();
            }

            AddBias(stepH, _stateBias.Values);
            Span<T> xw = stepX.AsSpan(), hw = stepH.AsSpan(), rs = r.AsSpan(), zs = z.AsSpan(), h = next.AsSpan(), hPrevious = previous.AsSpan();
            TensorPrimitives.Add<T>(xw[..gate], hw[..gate], rs);
            TensorPrimitives.Sigmoid<T>(rs, rs);                                    // r
            TensorPrimitives.Add<T>(xw.Slice(gate, gate), hw.Slice(gate, gate), zs);
            TensorPrimitives.Sigmoid<T>(zs, zs);                                    // z
            Span<T> n = stepX.AsSpan().Slice(2 * gate, gate);
            TensorPrimitives.MultiplyAdd<T>(rs, hw.Slice(2 * gate, gate), n, n);
            TensorPrimitives.Tanh<T>(n, n);                                         // n = tanh(x·W_xn + b_xn + r ⊙ (h·W_hn + b_hn))
            TensorPrimitives.Subtract<T>(hPrevious, n, h);
            TensorPrimitives.MultiplyAdd<T>(zs, h, n, h);                           // h′ = n + z ⊙ (h − n)
            Recurrence.Write(r, resets, t);
            Recurrence.Write(z, updates, t);
            WriteBlock(stepX, 2, candidates, t);
            WriteBlock(stepH, 2, stateN, t);
            Recurrence.Write(next, states, t);
            h.CopyTo(hPrevious);
        }

        return BySample(OutputView, states, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape), g = ByPosition(GradientView, outputGradient, OutputShape);
        int m = input.Rows, hidden = Hidden, positions = InputShape.Positions, gate = m * hidden;
        Tensor<T> states = Buffer(States, x.Rows, hidden), resets = Buffer(Resets, x.Rows, hidden), updates = Buffer(Updates, x.Rows, hidden);
        Tensor<T> candidates = Buffer(Candidates, x.Rows, hidden), stateN = Buffer(StateN, x.Rows, hidden);
        Tensor<T> inputDelta = Buffer(InputDelta, x.Rows, 3 * hidden), stateDelta = Buffer(StateDelta, x.Rows, 3 * hidden);
        Tensor<T> stepX = Buffer(StepX, m, 3 * hidden), stepH = Buffer(StepH, m, 3 * hidden), previous = Buffer(Previous, m, hidden);
        Tensor<T> dh = Buffer(Next, m, hidden), carried = Buffer(Carried, m, hidden), scratch = Buffer(Scratch, m, hidden);
        Tensor<T> r = Buffer(Weighted, m, hidden); // the input products' slot, not needed going backward: r of the step
        carried.AsSpan().Clear();
        for (int t = positions - 1; t >= 0; t--)
        {
            Recurrence.Read(g, t, dh);
            TensorPrimitives.Add<T>(dh.AsSpan(), carried.AsSpan(), dh.AsSpan());   // what reaches h′
            if (t > 0)
            {
                Recurrence.Read(states, t - 1, previous);
            }
            else
            {
                previous.AsSpan().Clear();
            }

            // stepX holds (δr, δz, δn) for the input products, stepH (δr, δz, δn ⊙ r) for the state's.
            Span<T> dx = stepX.AsSpan(), dhw = stepH.AsSpan(), d = dh.AsSpan(), s = scratch.AsSpan(), c = carried.AsSpan();
            Span<T> dr = dx[..gate], dz = dx.Slice(gate, gate), dn = dx.Slice(2 * gate, gate);
            ReadBlock(updates, t, dz);         // z, for now
            ReadBlock(candidates, t, dn);      // n, for now
            TensorPrimitives.Subtract<T>(previous.AsSpan(), dn, s);                  // h − n
            TensorPrimitives.Multiply<T>(d, dz, c);                                  // h receives G ⊙ z directly
            TensorPrimitives.Multiply<T>(s, d, s);                                   // ∂z = G ⊙ (h − n)
            TensorPrimitives.Multiply<T>(dn, dn, dr);                                // n²
            TensorPrimitives.Negate<T>(dr, dr);
            TensorPrimitives.Add<T>(dr, T.One, dr);                                  // 1 − n²
            TensorPrimitives.Subtract<T>(T.One, dz, dn);                             // 1 − z
            TensorPrimitives.Multiply<T>(dn, d, dn);                                 // ∂n = G ⊙ (1 − z)
            TensorPrimitives.Multiply<T>(dn, dr, dn);                                // δn = ∂n ⊙ (1 − n²)
            TensorPrimitives.Subtract<T>(T.One, dz, dr);                             // 1 − z
            TensorPrimitives.Multiply<T>(dr, dz, dr);                                // z(1 − z)
            TensorPrimitives.Multiply<T>(s, dr, dz);                                 // δz = ∂z ⊙ z(1 − z)
            ReadBlock(stateN, t, s);                                                 // h·W_hn + b_hn
            ReadBlock(resets, t, r.AsSpan());
            TensorPrimitives.Multiply<T>(dn, s, dr);                                 // ∂r = δn ⊙ (h·W_hn + b_hn)
            TensorPrimitives.Subtract<T>(T.One, r.AsSpan(), s);
            TensorPrimitives.Multiply<T>(s, r.AsSpan(), s);                          // r(1 − r)
            TensorPrimitives.Multiply<T>(dr, s, dr);                                 // δr
            dx[..(2 * gate)].CopyTo(dhw);
            TensorPrimitives.Multiply<T>(dn, r.AsSpan(), dhw.Slice(2 * gate, gate)); // δn ⊙ r
            Recurrence.Write(stepX, inputDelta, t);
            Recurrence.Write(stepH, stateDelta, t);
            if (t > 0)
            {
                MatrixProduct.MultiplyByTransposeOfSecond(stepH.Matrix, _stateWeights.Matrix, scratch.Matrix);
                TensorPrimitives.Add<T>(c, scratch.AsSpan(), c);                    // h also receives (δr, δz, δn ⊙ r)·W_hᵀ
            }
        }

        Tensor<T> shifted = Buffer(Shifted, x.Rows, hidden);
        Recurrence.Shift(states, shifted, m);
        MatrixProduct.TransposeFirstAndMultiply(shifted.Matrix, stateDelta.Matrix, _stateWeights.GradientMatrix);
        MatrixProduct.TransposeFirstAndMultiply(x.Matrix, inputDelta.Matrix, _inputWeights.GradientMatrix);
        for (int j = 0; j < 3 * hidden; j++)
        {
            _inputBias.Gradients[j] = TensorPrimitives.Sum<T>(inputDelta.ColumnSpan(j));
            _stateBias.Gradients[j] = TensorPrimitives.Sum<T>(stateDelta.ColumnSpan(j));
        }

        if (!computeInputGradient)
        {
            return null;
        }

        Tensor<T> dX = Buffer(InputGradient, x.Rows, InputShape.Features);
        MatrixProduct.MultiplyByTransposeOfSecond(inputDelta.Matrix, _inputWeights.Matrix, dX.Matrix);
        return BySample(InputGradientView, dX, InputShape);
    }

    private static void AddBias(Tensor<T> tensor, ReadOnlySpan<T> bias)
    {
        for (int j = 0; j < tensor.Columns; j++)
        {
            TensorPrimitives.Add<T>(tensor.ColumnSpan(j), bias[j], tensor.ColumnSpan(j));
        }
    }

    /// <summary>Gate <paramref name="block"/>'s H columns of an m×3H step matrix into position t's rows of an (m·T)×H matrix.</summary>
    private static void WriteBlock(Tensor<T> step, int block, Tensor<T> all, int t)
    {
        int m = step.Rows, hidden = step.Columns / 3;
        for (int j = 0; j < hidden; j++)
        {
            step.ColumnSpan((block * hidden) + j).CopyTo(all.ColumnSpan(j).Slice(t * m, m));
        }
    }

    /// <summary>Position t's rows of an (m·T)×H matrix into a span of m·H values, column by column.</summary>
    private static void ReadBlock(Tensor<T> all, int t, Span<T> target)
    {
        int m = target.Length / all.Columns;
        for (int j = 0; j < all.Columns; j++)
        {
            all.ColumnSpan(j).Slice(t * m, m).CopyTo(target.Slice(j * m, m));
        }
    }

    /// <summary>Values stored gate by gate r, z, n (each <paramref name="block"/> long) in ONNX's order z, r, n.</summary>
    private static T[] ZrnOrder(ReadOnlySpan<T> values, int block)
        => [.. values.Slice(block, block), .. values[..block], .. values.Slice(2 * block, block)];

    private static FeatureShape OutputShapeOf(FeatureShape input, int hidden)
    {
        Preconditions.CheckPositive(hidden, nameof(hidden));
        if (!input.IsSequence)
        {
            throw new ArgumentException($"gru reads a sequence (T×D), but the layer before gives {input}.", nameof(input));
        }

        Preconditions.CheckElementCount(input.Positions, 3L * hidden, "The GRU's gates", nameof(hidden), "use a smaller hidden state");
        return FeatureShape.Sequence(input.Positions, hidden);
    }
}
