using System.Globalization;
using System.Numerics;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// An embedding: each token id of the input — a character, a word — becomes a learned vector of D features, row id of a
/// table W of V×D. It is a dense layer whose inputs are one-hot rows, without the product: the one-hot row of id k times W
/// is row k of W, so the layer just reads that row.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Input: token ids.</b> A sample is T ids — a flat row of T values, or the sequence T×1 — each a whole number from 0 to
/// V − 1, held in the input tensor as numbers of the network's element type (exact: a float network refuses a vocabulary
/// of more than 2²⁴ = 16,777,216 ids, the whole numbers a float holds exactly; double holds 2⁵³). Every id is checked: one
/// that is not a whole number in range is refused with a message that names the sample and the position. In ONNX the
/// network's input is declared int64, as ONNX's Gather wants ids.
/// </para>
/// <para>
/// <b>Output</b>: the sequence T×D (see <see cref="FeatureShape.Sequence"/>). <b>Weights</b>: W, V×D — one row per token,
/// the side the connections come from, one column per feature; PyTorch's <c>nn.Embedding.weight</c> is the same [V, D],
/// exported row by row. Initialized from N(0, 1), as PyTorch's. Not a weight for L2 or AdamW's decay (as in makemore).
/// </para>
/// <para>
/// <b>Backward</b>: ∂L/∂W[k, :] is the sum of ∂L/∂y over every position that held id k; ids have no gradient (∂L/∂X is 0).
/// Registry name <c>embedding(vocabulary, dimension, init = standard_normal)</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Network&lt;float&gt; bigram = new NetworkBuilder&lt;float&gt;(FeatureShape.Sequence(16, 1)).Add("embedding(27, 27)").Build(Loss.CrossEntropy);
/// </code>
/// </example>
public sealed class Embedding<T> : Layer<T>, ILayerKind<Embedding<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, InputGradient = 1;
    private const int OutputView = 0, GradientView = 1;
    private readonly Parameter<T> _table;
    private readonly IInitializer _initializer;
    private int[] _ids = [];

    /// <summary>Creates an embedding of a vocabulary of <paramref name="vocabulary"/> ids into vectors of <paramref name="dimension"/> features.</summary>
    /// <param name="input">T ids per sample: a flat row of T, or the sequence T×1.</param>
    /// <param name="vocabulary">V, the number of distinct ids, at least 1.</param>
    /// <param name="dimension">D, the features of each vector, at least 1.</param>
    /// <param name="initializer">How W starts; N(0, 1) when null.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null.</param>
    /// <exception cref="ArgumentException">The input is not ids, or the vocabulary is larger than the element type holds exactly.</exception>
    public Embedding(FeatureShape input, int vocabulary, int dimension, IInitializer? initializer = null, Random? random = null)
        : base(input, OutputShapeOf(input, dimension))
    {
        Vocabulary = CheckVocabulary(vocabulary);
        Dimension = dimension;
        _initializer = initializer ?? Initializer.StandardNormal;
        _table = AddParameter("weight", vocabulary, dimension, _initializer, random ?? new Random(0), 1, dimension, isWeight: false, exportRowByRow: true);
    }

    /// <summary>V, the number of distinct token ids.</summary>
    public int Vocabulary { get; }

    /// <summary>D, the features of each token's vector.</summary>
    public int Dimension { get; }

    /// <summary>The table W, V×D: row k is the vector of token k. Editable.</summary>
    public MathNet.Numerics.LinearAlgebra.Matrix<T> Table => _table.Matrix;

    /// <inheritdoc/>
    /// <remarks><c>Embedding(V→D)</c>, for example <c>Embedding(27→64)</c>.</remarks>
    public override string Name => string.Create(CultureInfo.InvariantCulture, $"Embedding({Vocabulary}→{Dimension})");

    /// <inheritdoc/>
    public override LayerSummary Summary => new("row per id", $"{Vocabulary}×{Dimension}");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("vocabulary", Text(Vocabulary)), ("dimension", Text(Dimension)), ("init", _initializer.Spec));

    /// <inheritdoc/>
    /// <remarks>V·D values; per sample the output (T·D) and ∂L/∂X (T).</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        int vocabulary = settings.GetSize("vocabulary"), dimension = settings.GetSize("dimension"); // the float limit is checked when the layer is built
        _ = settings.GetConcept("init", Registries.Initializers);
        FeatureShape output = OutputShapeOf(input, dimension);
        Preconditions.CheckElementCount(vocabulary, dimension, $"The table of Embedding({vocabulary}→{dimension})", nameof(settings), "use a smaller vocabulary or dimension");
        return new LayerPlan(output, (long)vocabulary * dimension, checked((2 * output.Size) + input.Size));
    }

    /// <inheritdoc/>
    public static Embedding<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Embedding<T>(input, settings.GetSize("vocabulary"), settings.GetSize("dimension"), settings.GetConcept("init", Registries.Initializers), random);
    }

    /// <summary><c>Gather(W, ids)</c>, W as PyTorch's [V, D] and the ids int64 [m, T] (the graph's input becomes int64): [m, T, D].</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string ids = graph.TokenIds();
        T[] table = new T[_table.Count];
        _table.CopyToExportOrder(table);
        string w = graph.AddInitializer<T>("embedding", [Vocabulary, Dimension], table);
        graph.Apply("Gather", [w, ids], "embedded", ("axis", 0));
        graph.SetForm(image: false, sequence: true);
    }

    /// <summary><c>Embedding(V, D)</c> holding W as [V, D].</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"Embedding({Vocabulary}, {Dimension})"), [_table]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        // The ids, in the order of the output's rows: input[i, t] is at i + m·t, the row t·m + i of the (m·T)×D output.
        Span<T> values = input.AsSpan();
        if (_ids.Length < values.Length)
        {
            _ids = new int[values.Length];
        }

        for (int r = 0; r < values.Length; r++)
        {
            T id = values[r];
            if (!T.IsInteger(id) || id < T.Zero || id >= T.CreateChecked(Vocabulary))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{Name}.Forward: sample {r % input.Rows}, position {r / input.Rows} holds {id}, which is not a token id (a whole number from 0 to {Vocabulary - 1})."),
                    nameof(input));
            }

            _ids[r] = int.CreateTruncating(id);
        }

        int rows = values.Length, v = Vocabulary;
        Tensor<T> output = Buffer(Result, rows, Dimension);
        ReadOnlySpan<int> ids = _ids.AsSpan(0, rows);
        ReadOnlySpan<T> table = _table.Values;
        for (int d = 0; d < Dimension; d++)
        {
            ReadOnlySpan<T> column = table.Slice(d * v, v);
            Span<T> target = output.ColumnSpan(d);
            for (int r = 0; r < rows; r++)
            {
                target[r] = column[ids[r]];
            }
        }

        return BySample(OutputView, output, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> g = ByPosition(GradientView, outputGradient, OutputShape);
        int rows = g.Rows, v = Vocabulary;
        ReadOnlySpan<int> ids = _ids.AsSpan(0, rows);
        Span<T> gradient = _table.Gradients;
        gradient.Clear();
        for (int d = 0; d < Dimension; d++)
        {
            Span<T> column = gradient.Slice(d * v, v);
            ReadOnlySpan<T> source = g.ColumnSpan(d);
            for (int r = 0; r < rows; r++)
            {
                column[ids[r]] += source[r];
            }
        }

        if (!computeInputGradient)
        {
            return null;
        }

        Tensor<T> none = Buffer(InputGradient, input.Rows, InputSize);
        none.AsSpan().Clear(); // ids are not differentiable
        return none;
    }

    /// <summary>The sequence T×D, after T ids (flat, or T×1).</summary>
    private static FeatureShape OutputShapeOf(FeatureShape input, int dimension)
    {
        Preconditions.CheckPositive(dimension, nameof(dimension));
        if (!input.IsFlat && !(input.IsSequence && input.Features == 1))
        {
            throw new ArgumentException($"embedding takes token ids — a flat row of T ids, or a sequence T×1 — but the layer before gives {input}.", nameof(input));
        }

        int positions = input.IsSequence ? input.Positions : input.Channels;
        return FeatureShape.Sequence(positions, dimension);
    }

    private static int CheckVocabulary(int vocabulary)
    {
        Preconditions.CheckPositive(vocabulary, nameof(vocabulary));
        if (typeof(T) == typeof(float) && vocabulary > 1 << 24)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabulary), vocabulary, $"a float network holds token ids exactly only up to 16,777,216, and the vocabulary has {vocabulary:N0}; use double.");
        }

        return vocabulary;
    }
}
