using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// A learned position table added to a sequence: position t's D features get row t of a table P, <c>y_t = x_t + P_t</c>,
/// so that layers that look at all positions alike — attention — can still tell the first character from the fifth.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> The input and output are the sequence T×D. P holds <c>length</c> rows of D (by default exactly T); the
/// first T are used. A table shorter than the sequence is refused in one line. P is initialized from N(0, 1), as PyTorch's
/// <c>nn.Embedding</c> that GPT uses for it (its <c>wpe</c>), and is not a weight for L2 or AdamW's decay.
/// </para>
/// <para>
/// <b>Backward</b>: ∂L/∂P_t = the sum over the batch of ∂L/∂y_t; ∂L/∂x = ∂L/∂y. PyTorch: <c>dl.PositionEmbedding(length,
/// D)</c> of <c>tests/python/deeplearning_torch.py</c> (<c>x + self.weight[:T]</c>, weight [length, D]); ONNX: an
/// <c>Add</c> of the table. Registry name <c>position_embedding([length])</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "embedding(27, 64) position_embedding self_attention(4) dense(27)"   // on sequences of 16 ids: P is 16×64
/// </code>
/// </example>
public sealed class PositionEmbedding<T> : Layer<T>, ILayerKind<PositionEmbedding<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0;
    private readonly Parameter<T> _table;

    /// <summary>Creates a position table for sequences of shape <paramref name="input"/>.</summary>
    /// <param name="input">The sequence T×D.</param>
    /// <param name="length">The table's rows, at least T; T when null.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null.</param>
    /// <exception cref="ArgumentException">The input is not a sequence, or the table is shorter than it.</exception>
    public PositionEmbedding(FeatureShape input, int? length = null, Random? random = null)
        : base(input, input)
    {
        Length = CheckLength(input, length ?? input.Positions);
        _table = AddParameter("weight", Length, input.Features, Initializer.StandardNormal, random ?? new Random(0), 1, input.Features, isWeight: false, exportRowByRow: true);
    }

    /// <summary>The rows of the table: the longest sequence it can take.</summary>
    public int Length { get; }

    /// <summary>The table P, length×D: row t is added to position t. Editable.</summary>
    public MathNet.Numerics.LinearAlgebra.Matrix<T> Table => _table.Matrix;

    /// <inheritdoc/>
    /// <remarks><c>PositionEmbedding(T×D)</c>.</remarks>
    public override string Name => $"PositionEmbedding({InputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new("+ row t at t", $"{Length}×{InputShape.Features}");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("length", Text(Length)));

    /// <inheritdoc/>
    /// <remarks>length·D values; per sample the output.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        int length = CheckLength(input, settings.Contains("length") ? settings.GetSize("length") : input.Positions);
        Preconditions.CheckElementCount(length, input.Features, "The position table", nameof(settings), "use a shorter table");
        return new LayerPlan(input, (long)length * input.Features, input.Size);
    }

    /// <inheritdoc/>
    public static PositionEmbedding<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new PositionEmbedding<T>(input, settings.Contains("length") ? settings.GetSize("length") : null, random);
    }

    /// <summary>An <c>Add</c> of the table's first T rows to the [m, T, D] sequence.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.ToSequence(InputShape);
        int positions = InputShape.Positions, features = InputShape.Features;
        var rows = new T[positions * features];
        for (int t = 0; t < positions; t++)
        {
            for (int d = 0; d < features; d++)
            {
                rows[(t * features) + d] = _table.Matrix[t, d];
            }
        }

        graph.Apply("Add", [graph.Current, graph.AddInitializer<T>("position_table", [positions, features], rows)], "positioned");
    }

    /// <summary><c>dl.PositionEmbedding(length, D)</c> holding P as [length, D].</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"dl.PositionEmbedding({Length}, {InputShape.Features})"), [_table]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        // Column d·T + t of the batch holds feature d of position t for every sample: add P[t, d] to all of it.
        int positions = InputShape.Positions, features = InputShape.Features;
        Tensor<T> output = Buffer(Result, input.Rows, InputSize);
        ReadOnlySpan<T> table = _table.Values;
        for (int d = 0; d < features; d++)
        {
            for (int t = 0; t < positions; t++)
            {
                int column = (d * positions) + t;
                TensorPrimitives.Add<T>(input.ColumnSpan(column), table[(d * Length) + t], output.ColumnSpan(column));
            }
        }

        return output;
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        int positions = InputShape.Positions, features = InputShape.Features;
        Span<T> gradient = _table.Gradients;
        gradient.Clear();
        for (int d = 0; d < features; d++)
        {
            for (int t = 0; t < positions; t++)
            {
                gradient[(d * Length) + t] = TensorPrimitives.Sum<T>(outputGradient.ColumnSpan((d * positions) + t));
            }
        }

        return computeInputGradient ? outputGradient : null;
    }

    private static int CheckLength(FeatureShape input, int length)
    {
        if (!input.IsSequence)
        {
            throw new ArgumentException($"position_embedding adds a row per position to a sequence (T×D), but the layer before gives {input}.", nameof(input));
        }

        Preconditions.CheckPositive(length, nameof(length));
        return length >= input.Positions
            ? length
            : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"position_embedding: the sequences have {input.Positions} positions but the table holds {length}; give length={input.Positions} or more."), nameof(length));
    }
}
