using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Compute;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// Multi-head self-attention (Vaswani et al., 2017), the layer at the heart of a Transformer: every position of a
/// sequence looks at the positions it may see and takes a weighted mix of what they hold, the weights computed from the
/// sequence itself. Each position asks a question (its query q), offers a label (its key k) and a content (its value v),
/// all three learned projections of its features; position t's score for position j is <c>q_t·k_j/√d</c>, the scores
/// become weights by a softmax over j, and position t receives <c>Σ_j weight_tj·v_j</c>.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> The input and output are the sequence T×D. One product gives every position's q, k and v at once,
/// <c>[Q K V] = X·W_qkv + b_qkv</c> with W_qkv D×3D; the D columns of each are cut into <c>heads</c> heads of d = D/heads,
/// each attending on its own; their outputs side by side, D per position, go through a last projection
/// <c>Y = O·W_o + b_o</c>, W_o D×D. With <c>causal</c> (the default), position t sees only positions j ≤ t — what a model
/// that writes text one character at a time may know — the scores of j &gt; t being −∞ before the softmax.
/// </para>
/// <para>
/// <b>Backward</b>, per sample and head with P the weights and G = ∂L/∂O: ∂L/∂V = Pᵀ·G; ∂L/∂P = G·Vᵀ; through the
/// softmax, ∂L/∂S_tj = P_tj·(∂L/∂P_tj − Σ_j' P_tj'·∂L/∂P_tj'); ∂L/∂Q = ∂L/∂S·K/√d and ∂L/∂K = ∂L/∂Sᵀ·Q/√d; then the two
/// projections as in a dense layer. The samples are parted across the worker threads (each writes only its own rows).
/// </para>
/// <para>
/// <b>PyTorch</b>: <c>dl.SelfAttention(D, heads, causal)</c> of <c>tests/python/deeplearning_torch.py</c> — <c>qkv</c> and
/// <c>proj</c>, two <c>nn.Linear</c>, around <c>F.scaled_dot_product_attention(q, k, v, is_causal=True)</c> (written out
/// there for PyTorch 1.13, which lacks it). <b>ONNX</b>: MatMul, Split, Reshape and Transpose into [m, heads, T, d],
/// MatMul, a Mul by 1/√d, an Add of the mask (0 or −∞), Softmax, MatMul, back to [m, T, D], MatMul.
/// Registry name <c>self_attention(heads, causal = true)</c>. <see cref="Weights"/> gives the last pass's attention
/// weights, for drawing them, and <see cref="Queries"/>, <see cref="Keys"/> and <see cref="Values"/> what they came from.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "embedding(27,64) position_embedding sequential(residual(layer_norm self_attention(4)) residual(layer_norm dense(256,gelu_tanh) dense(64)), times=4) layer_norm dense(27)"
/// </code>
/// </example>
public sealed class SelfAttention<T> : Layer<T>, ILayerKind<SelfAttention<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Projected = 0, Mixed = 1, Result = 2, Probabilities = 3, MixedGradient = 4, ProjectedGradient = 5, InputGradient = 6;
    private const int InputView = 0, OutputView = 1, GradientView = 2, InputGradientView = 3;
    private readonly Parameter<T> _qkvWeights, _qkvBias, _outputWeights, _outputBias;
    private readonly PartedWork _forward, _backward;
    private Tensor<T>? _qkv, _mixed, _probabilities, _mixedGradient, _qkvGradient;
    private int _samples;

    /// <summary>Creates self-attention with <paramref name="heads"/> heads over sequences of shape <paramref name="input"/>.</summary>
    /// <param name="input">The sequence T×D.</param>
    /// <param name="heads">How many heads share the D features; D must be a multiple of it.</param>
    /// <param name="causal">Whether position t sees only positions j ≤ t.</param>
    /// <param name="random">The seeded source of the initial values (Glorot for W_qkv and W_o, zero biases); <c>new Random(0)</c> when null.</param>
    /// <exception cref="ArgumentException">The input is not a sequence, or D is not a multiple of <paramref name="heads"/>.</exception>
    public SelfAttention(FeatureShape input, int heads, bool causal = true, Random? random = null)
        : base(input, input)
    {
        CheckShape(input, heads);
        (Heads, Causal) = (heads, causal);
        random ??= new Random(0);
        int d = input.Features;
        _qkvWeights = AddParameter("qkv.weight", d, 3 * d, Initializer.GlorotUniform, random, d, 3 * d, exportShape: [3 * d, d]);
        _qkvBias = AddParameter("qkv.bias", 1, 3 * d, Initializer.Zeros, random, d, 3 * d);
        _outputWeights = AddParameter("proj.weight", d, d, Initializer.GlorotUniform, random, d, d, exportShape: [d, d]);
        _outputBias = AddParameter("proj.bias", 1, d, Initializer.Zeros, random, d, d);
        _forward = new PartedWork(Attend);
        _backward = new PartedWork(AttendBackward);
    }

    /// <summary>The heads.</summary>
    public int Heads { get; }

    /// <summary>Whether position t sees only positions j ≤ t.</summary>
    public bool Causal { get; }

    /// <summary>d, the features of each head: D/heads.</summary>
    public int HeadSize => InputShape.Features / Heads;

    /// <inheritdoc/>
    /// <remarks><c>SelfAttention(T×D, heads)</c>, for example <c>SelfAttention(16×64, 4 heads)</c>.</remarks>
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"SelfAttention({InputShape}, {Heads} heads)");

    /// <inheritdoc/>
    public override LayerSummary Summary => new(Causal ? "causal" : "all positions", string.Create(CultureInfo.InvariantCulture, $"{InputShape.Features}×{3 * InputShape.Features}, {InputShape.Features}×{InputShape.Features}"));

    /// <inheritdoc/>
    protected override Arguments Settings => new(("heads", Text(Heads)), ("causal", Text(Causal)));

    /// <inheritdoc/>
    /// <remarks>W_qkv, b_qkv, W_o, b_o; per sample q, k, v, the mix, the weights of every head and their gradients.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        int heads = settings.GetSize("heads");
        _ = settings.GetBoolean("causal");
        CheckShape(input, heads);
        long d = input.Features;
        long weights = checked((d * 3 * d) + (3 * d) + (d * d) + d);
        long squares = checked((long)heads * input.Positions * input.Positions);
        if (squares > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"self_attention: {heads} heads of {input.Positions}×{input.Positions} weights are more than a row can hold; use shorter sequences."), nameof(settings));
        }

        return new LayerPlan(input, weights, checked((10 * input.Size) + squares));
    }

    /// <inheritdoc/>
    public static SelfAttention<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new SelfAttention<T>(input, settings.GetSize("heads"), settings.GetBoolean("causal"), random);
    }

    /// <summary>The attention weights of the last forward pass for one sample and head: row t holds how much position t took from each position j (0 for j &gt; t when causal).</summary>
    /// <param name="sample">The sample of the last batch.</param>
    /// <param name="head">The head.</param>
    /// <returns>A new T×T array.</returns>
    /// <exception cref="InvalidOperationException">No forward pass has been made.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample or head is out of range.</exception>
    public T[,] Weights(int sample, int head)
    {
        Tensor<T> probabilities = _probabilities ?? throw new InvalidOperationException($"{Name}.Weights: no forward pass yet.");
        CheckSampleAndHead(sample, head);
        int positions = InputShape.Positions;
        ReadOnlySpan<T> p = probabilities.AsSpan().Slice(((sample * Heads) + head) * positions * positions, positions * positions);
        var weights = new T[positions, positions];
        for (int t = 0; t < positions; t++)
        {
            for (int j = 0; j < positions; j++)
            {
                weights[t, j] = p[(t * positions) + j];
            }
        }

        return weights;
    }

    /// <summary>The queries of the last forward pass for one sample and head: row t is q_t, the d values position t asks with.</summary>
    /// <param name="sample">The sample of the last batch.</param>
    /// <param name="head">The head.</param>
    /// <returns>A new T×d array; with <see cref="Keys"/>, position t's score for j is <c>q_t·k_j/√d</c> before the mask and the softmax.</returns>
    /// <exception cref="InvalidOperationException">No forward pass has been made.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample or head is out of range.</exception>
    public T[,] Queries(int sample, int head) => Projection(sample, head, 0, nameof(Queries));

    /// <summary>The keys of the last forward pass for one sample and head: row j is k_j, the d values position j is found by.</summary>
    /// <inheritdoc cref="Queries" path="/param"/>
    /// <inheritdoc cref="Queries" path="/exception"/>
    /// <returns>A new T×d array.</returns>
    public T[,] Keys(int sample, int head) => Projection(sample, head, 1, nameof(Keys));

    /// <summary>The values of the last forward pass for one sample and head: row j is v_j, what position j hands on.</summary>
    /// <inheritdoc cref="Queries" path="/param"/>
    /// <inheritdoc cref="Queries" path="/exception"/>
    /// <returns>A new T×d array; row t of the head's mix is <c>Σ_j Weights[t, j]·v_j</c>.</returns>
    public T[,] Values(int sample, int head) => Projection(sample, head, 2, nameof(Values));

    /// <summary>Block <paramref name="part"/> (0 q, 1 k, 2 v) of one head of one sample of the last pass.</summary>
    private T[,] Projection(int sample, int head, int part, string method)
    {
        Tensor<T> qkv = _qkv ?? throw new InvalidOperationException($"{Name}.{method}: no forward pass yet.");
        CheckSampleAndHead(sample, head);
        int positions = InputShape.Positions, size = HeadSize;
        var block = new T[positions * size];
        Gather(qkv, sample, (part * InputShape.Features) + (head * size), block);
        var values = new T[positions, size];
        for (int t = 0; t < positions; t++)
        {
            for (int e = 0; e < size; e++)
            {
                values[t, e] = block[(t * size) + e];
            }
        }

        return values;
    }

    private void CheckSampleAndHead(int sample, int head)
    {
        if ((uint)sample >= (uint)_samples)
        {
            throw new ArgumentOutOfRangeException(nameof(sample), sample, $"the last batch had {_samples} samples.");
        }

        if ((uint)head >= (uint)Heads)
        {
            throw new ArgumentOutOfRangeException(nameof(head), head, $"the layer has {Heads} heads.");
        }
    }

    /// <summary>
    /// The projections, then per head a MatMul of q and kᵀ, scaled by 1/√d, the mask added (0 or −∞, when causal), a Softmax
    /// over the last axis and a MatMul with v; the heads side by side again, then the output projection.
    /// </summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int positions = InputShape.Positions, d = InputShape.Features, size = HeadSize;
        graph.ToSequence(InputShape);
        string qkv = graph.Apply("MatMul", [graph.Current, graph.AddInitializer<T>("attention_Wqkv", [d, 3 * d], StorageOrder.RowByRow(_qkvWeights.Matrix))], "attention_qkv");
        qkv = graph.Apply("Add", [qkv, graph.AddInitializer<T>("attention_bqkv", [3 * d], _qkvBias.Values)], "attention_qkv_b");
        string q = graph.NewName("attention_q"), k = graph.NewName("attention_k"), v = graph.NewName("attention_v");
        graph.AddNode("Split", [qkv, graph.AddIntegers("attention_split", d, d, d)], [q, k, v], ("axis", 2));
        string heads = graph.AddIntegers("attention_heads", 0, positions, Heads, size);
        string Split(string x, long[] perm) => graph.Apply("Transpose", [graph.Apply("Reshape", [x, heads], "attention_split_heads")], "attention_by_head", ("perm", perm));
        string qh = Split(q, [0, 2, 1, 3]), kh = Split(k, [0, 2, 3, 1]), vh = Split(v, [0, 2, 1, 3]); // q, v: [m, H, T, d]; kᵀ: [m, H, d, T]
        string scores = graph.Apply("Mul", [graph.Apply("MatMul", [qh, kh], "attention_qk"), graph.AddScalar("attention_scale", 1 / Math.Sqrt(size))], "attention_scores");
        if (Causal)
        {
            var mask = new T[positions * positions];
            for (int t = 0; t < positions; t++)
            {
                for (int j = t + 1; j < positions; j++)
                {
                    mask[(t * positions) + j] = T.NegativeInfinity;
                }
            }

            scores = graph.Apply("Add", [scores, graph.AddInitializer<T>("attention_mask", [positions, positions], mask)], "attention_masked");
        }

        string weights = graph.Apply("Softmax", [scores], "attention_weights", ("axis", -1));
        string mixed = graph.Apply("Transpose", [graph.Apply("MatMul", [weights, vh], "attention_mix")], "attention_by_position", ("perm", new long[] { 0, 2, 1, 3 }));
        mixed = graph.Apply("Reshape", [mixed, graph.AddIntegers("attention_join", 0, positions, d)], "attention_joined");
        string output = graph.Apply("MatMul", [mixed, graph.AddInitializer<T>("attention_Wo", [d, d], StorageOrder.RowByRow(_outputWeights.Matrix))], "attention_out");
        graph.Apply("Add", [output, graph.AddInitializer<T>("attention_bo", [d], _outputBias.Values)], "attention");
    }

    /// <summary><c>dl.SelfAttention(D, heads, causal)</c> holding qkv (weight [3D, D], bias) and proj (weight [D, D], bias).</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"dl.SelfAttention({InputShape.Features}, {Heads}, causal={(Causal ? "True" : "False")})"), [.. Parameters]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape);
        int m = input.Rows, d = InputShape.Features, positions = InputShape.Positions;
        _samples = m;
        _qkv = Buffer(Projected, x.Rows, 3 * d);
        _mixed = Buffer(Mixed, x.Rows, d);
        _probabilities = Buffer(Probabilities, m, Heads * positions * positions);
        MatrixProduct.Multiply(x.Matrix, _qkvWeights.Matrix, _qkv.Matrix);
        AddBias(_qkv, _qkvBias.Values);
        _forward.Run(m, (long)m * Heads * positions * positions * HeadSize);
        Tensor<T> y = Buffer(Result, x.Rows, d);
        MatrixProduct.Multiply(_mixed.Matrix, _outputWeights.Matrix, y.Matrix);
        AddBias(y, _outputBias.Values);
        return BySample(OutputView, y, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape), g = ByPosition(GradientView, outputGradient, OutputShape);
        int m = input.Rows, d = InputShape.Features, positions = InputShape.Positions;
        _qkv = Buffer(Projected, x.Rows, 3 * d);
        _mixed = Buffer(Mixed, x.Rows, d);
        _probabilities = Buffer(Probabilities, m, Heads * positions * positions);
        _mixedGradient = Buffer(MixedGradient, x.Rows, d);
        _qkvGradient = Buffer(ProjectedGradient, x.Rows, 3 * d);

        // The output projection, as a dense layer: ∂L/∂W_o = Oᵀ·G, ∂L/∂b_o = column sums of G, ∂L/∂O = G·W_oᵀ.
        MatrixProduct.TransposeFirstAndMultiply(_mixed.Matrix, g.Matrix, _outputWeights.GradientMatrix);
        ColumnSums(g, _outputBias.Gradients);
        MatrixProduct.MultiplyByTransposeOfSecond(g.Matrix, _outputWeights.Matrix, _mixedGradient.Matrix);

        // Each sample's heads, then the input projection.
        _backward.Run(m, 3L * m * Heads * positions * positions * HeadSize);
        MatrixProduct.TransposeFirstAndMultiply(x.Matrix, _qkvGradient.Matrix, _qkvWeights.GradientMatrix);
        ColumnSums(_qkvGradient, _qkvBias.Gradients);
        if (!computeInputGradient)
        {
            return null;
        }

        Tensor<T> dx = Buffer(InputGradient, x.Rows, d);
        MatrixProduct.MultiplyByTransposeOfSecond(_qkvGradient.Matrix, _qkvWeights.Matrix, dx.Matrix);
        return BySample(InputGradientView, dx, InputShape);
    }

    /// <summary>Samples [first, last): every head's scores, weights (kept for backward) and mix.</summary>
    private void Attend(int first, int last)
    {
        int positions = InputShape.Positions, size = HeadSize;
        T scale = T.One / T.Sqrt(T.CreateChecked(size));
        T[] rented = ArrayPool<T>.Shared.Rent(4 * positions * size);
        try
        {
            Span<T> q = rented.AsSpan(0, positions * size), k = rented.AsSpan(positions * size, positions * size);
            Span<T> v = rented.AsSpan(2 * positions * size, positions * size), o = rented.AsSpan(3 * positions * size, positions * size);
            for (int i = first; i < last; i++)
            {
                for (int h = 0; h < Heads; h++)
                {
                    Gather(_qkv!, i, h * size, q);
                    Gather(_qkv!, i, InputShape.Features + (h * size), k);
                    Gather(_qkv!, i, (2 * InputShape.Features) + (h * size), v);
                    Span<T> p = _probabilities!.AsSpan().Slice(((i * Heads) + h) * positions * positions, positions * positions);
                    o.Clear();
                    for (int t = 0; t < positions; t++)
                    {
                        // Scores q_t·k_j/√d for the positions t sees, their softmax, and the mix of their values.
                        int seen = Causal ? t + 1 : positions;
                        Span<T> row = p.Slice(t * positions, positions);
                        ReadOnlySpan<T> qt = q.Slice(t * size, size);
                        for (int j = 0; j < seen; j++)
                        {
                            row[j] = TensorPrimitives.Dot<T>(qt, k.Slice(j * size, size)) * scale;
                        }

                        row[seen..].Clear();
                        Softmax(row[..seen]);
                        Span<T> ot = o.Slice(t * size, size);
                        for (int j = 0; j < seen; j++)
                        {
                            TensorPrimitives.MultiplyAdd<T>(v.Slice(j * size, size), row[j], ot, ot);
                        }
                    }

                    Scatter(o, _mixed!, i, h * size);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Samples [first, last): every head's ∂L/∂Q, ∂L/∂K and ∂L/∂V, into their rows of ∂L/∂[Q K V].</summary>
    private void AttendBackward(int first, int last)
    {
        int positions = InputShape.Positions, size = HeadSize, d = InputShape.Features;
        T scale = T.One / T.Sqrt(T.CreateChecked(size));
        T[] rented = ArrayPool<T>.Shared.Rent((7 * positions * size) + positions);
        try
        {
            int block = positions * size;
            Span<T> q = rented.AsSpan(0, block), k = rented.AsSpan(block, block), v = rented.AsSpan(2 * block, block), go = rented.AsSpan(3 * block, block);
            Span<T> dq = rented.AsSpan(4 * block, block), dk = rented.AsSpan(5 * block, block), dv = rented.AsSpan(6 * block, block);
            Span<T> dp = rented.AsSpan(7 * block, positions);
            for (int i = first; i < last; i++)
            {
                for (int h = 0; h < Heads; h++)
                {
                    Gather(_qkv!, i, h * size, q);
                    Gather(_qkv!, i, d + (h * size), k);
                    Gather(_qkv!, i, (2 * d) + (h * size), v);
                    Gather(_mixedGradient!, i, h * size, go);
                    ReadOnlySpan<T> p = _probabilities!.AsSpan().Slice(((i * Heads) + h) * positions * positions, positions * positions);
                    dq.Clear();
                    dk.Clear();
                    dv.Clear();
                    for (int t = 0; t < positions; t++)
                    {
                        int seen = Causal ? t + 1 : positions;
                        ReadOnlySpan<T> row = p.Slice(t * positions, seen), got = go.Slice(t * size, size);
                        T weighted = T.Zero;
                        for (int j = 0; j < seen; j++)
                        {
                            TensorPrimitives.MultiplyAdd<T>(got, row[j], dv.Slice(j * size, size), dv.Slice(j * size, size)); // ∂L/∂v_j += P_tj·∂L/∂o_t
                            dp[j] = TensorPrimitives.Dot<T>(got, v.Slice(j * size, size));                                    // ∂L/∂P_tj
                            weighted += row[j] * dp[j];
                        }

                        Span<T> dqt = dq.Slice(t * size, size);
                        ReadOnlySpan<T> qt = q.Slice(t * size, size);
                        for (int j = 0; j < seen; j++)
                        {
                            T ds = row[j] * (dp[j] - weighted) * scale; // ∂L/∂S_tj/√d through the softmax
                            TensorPrimitives.MultiplyAdd<T>(k.Slice(j * size, size), ds, dqt, dqt);
                            TensorPrimitives.MultiplyAdd<T>(qt, ds, dk.Slice(j * size, size), dk.Slice(j * size, size));
                        }
                    }

                    Scatter(dq, _qkvGradient!, i, h * size);
                    Scatter(dk, _qkvGradient!, i, d + (h * size));
                    Scatter(dv, _qkvGradient!, i, (2 * d) + (h * size));
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Sample i's T rows of columns [column, column + d) of an (m·T)×n matrix, into a T×d row-major block.</summary>
    private void Gather(Tensor<T> all, int i, int column, Span<T> block)
    {
        int positions = InputShape.Positions, size = HeadSize, m = _samples, rows = all.Rows;
        ReadOnlySpan<T> data = all.AsSpan();
        for (int e = 0; e < size; e++)
        {
            ReadOnlySpan<T> values = data.Slice((column + e) * rows, rows);
            for (int t = 0; t < positions; t++)
            {
                block[(t * size) + e] = values[(t * m) + i];
            }
        }
    }

    /// <summary>The reverse of <see cref="Gather"/>.</summary>
    private void Scatter(ReadOnlySpan<T> block, Tensor<T> all, int i, int column)
    {
        int positions = InputShape.Positions, size = HeadSize, m = _samples, rows = all.Rows;
        Span<T> data = all.AsSpan();
        for (int e = 0; e < size; e++)
        {
            Span<T> values = data.Slice((column + e) * rows, rows);
            for (int t = 0; t < positions; t++)
            {
                values[(t * m) + i] = block[(t * size) + e];
            }
        }
    }

    /// <summary>The softmax of a row, its maximum subtracted first (exact for any scores).</summary>
    private static void Softmax(Span<T> row)
    {
        T max = TensorPrimitives.Max<T>(row);
        TensorPrimitives.Subtract<T>(row, max, row);
        TensorPrimitives.Exp<T>(row, row);
        TensorPrimitives.Divide<T>(row, TensorPrimitives.Sum<T>(row), row);
    }

    private static void AddBias(Tensor<T> tensor, ReadOnlySpan<T> bias)
    {
        for (int j = 0; j < tensor.Columns; j++)
        {
            TensorPrimitives.Add<T>(tensor.ColumnSpan(j), bias[j], tensor.ColumnSpan(j));
        }
    }

    private static void ColumnSums(Tensor<T> tensor, Span<T> sums)
    {
        for (int j = 0; j < tensor.Columns; j++)
        {
            sums[j] = TensorPrimitives.Sum<T>(tensor.ColumnSpan(j));
        }
    }

    private static void CheckShape(FeatureShape input, int heads)
    {
        Preconditions.CheckPositive(heads, nameof(heads));
        if (!input.IsSequence)
        {
            throw new ArgumentException($"self_attention works on a sequence (T×D), but the layer before gives {input}.", nameof(input));
        }

        if (input.Features % heads != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"self_attention: {heads} heads must share the {input.Features} features equally; give a number of heads that divides {input.Features}."), nameof(heads));
        }

        Preconditions.CheckElementCount(input.Positions, 3L * input.Features, "The attention's q, k and v", nameof(input), "use fewer features");
    }
}
