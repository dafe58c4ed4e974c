using System.Globalization;
using System.Numerics;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// The largest value of each feature over all positions: a sequence T×D becomes D values, feature d's the largest of
/// its T values; an image C×H×W becomes C values, channel c's the largest of its H·W pixels. What a text classifier puts
/// after a convolution over the text: "does this pattern occur anywhere?", wherever it occurs, in a text of any length.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Forward</b>: a_d = max_t x_(t,d). <b>Backward</b>: only the winner moved the output, so ∂L/∂x_(t,d) = ∂L/∂a_d at the
/// position t that held the maximum (the first one when several tie, as PyTorch's <c>max</c> picks) and 0 elsewhere. No
/// parameters. A NaN wins, so it reaches the output instead of vanishing.
/// </para>
/// <para>
/// PyTorch: <c>dl.GlobalMaxPool()</c> of <c>tests/python/deeplearning_torch.py</c>, <c>x.max(dim=1).values</c> on
/// [m, T, D] (<c>x.flatten(2).max(dim=2).values</c> on [m, C, H, W]); ONNX: <c>ReduceMax</c> over the positions, or
/// <c>GlobalMaxPool</c> and a flatten for an image. Registry name <c>global_max_pool</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "embedding(256, 16) context(8) dense(64, relu) global_max_pool dense(2)"   // a convolution over bytes, then its strongest match
/// </code>
/// </example>
public sealed class GlobalMaxPool<T> : Layer<T>, ILayerKind<GlobalMaxPool<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, InputGradient = 1;

    /// <summary>Creates the layer for samples of shape <paramref name="input"/>, a sequence or an image.</summary>
    /// <param name="input">T×D or C×H×W.</param>
    /// <exception cref="ArgumentException">The input is a flat vector, which has no positions to pool over.</exception>
    public GlobalMaxPool(FeatureShape input)
        : base(input, OutputShapeOf(input))
    {
    }

    /// <inheritdoc/>
    /// <remarks><c>GlobalMaxPool(T×D→D)</c> or <c>GlobalMaxPool(C×H×W→C)</c>.</remarks>
    public override string Name => $"GlobalMaxPool({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(string.Create(CultureInfo.InvariantCulture, $"max of {Positions} {(InputShape.IsSequence ? "positions" : "pixels")}"), "—");

    /// <inheritdoc/>
    protected override Arguments Settings => Arguments.Empty;

    /// <summary>The values each output is the largest of: T, or H·W.</summary>
    private int Positions => (int)(InputShape.Size / OutputShape.Size);

    /// <inheritdoc/>
    /// <remarks>No parameters; per sample the output and ∂L/∂X.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input) => new(OutputShapeOf(input), 0, checked(input.Size + OutputShapeOf(input).Size));

    /// <inheritdoc/>
    public static GlobalMaxPool<T> Create(Arguments settings, FeatureShape input, Random random) => new(input);

    /// <summary>A <c>ReduceMax</c> over the positions of the [m, T, D] sequence, or <c>GlobalMaxPool</c> and a flatten of the image.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (InputShape.IsSequence)
        {
            graph.ToSequence(InputShape);
            graph.Apply("ReduceMax", [graph.Current], "global_max", ("axes", new long[] { 1 }), ("keepdims", 0));
        }
        else
        {
            graph.ToImage(InputShape);
            graph.Apply("GlobalMaxPool", [graph.Current], "global_max");
            graph.Apply("Flatten", [graph.Current], "global_max_rows", ("axis", 1));
        }

        graph.SetForm(image: false, sequence: false);
    }

    /// <summary><c>dl.GlobalMaxPool()</c>, which holds no tensors.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add("dl.GlobalMaxPool()");
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        // Feature d's values are the columns d·P … d·P + P − 1 (a sequence's row is feature by feature, an image's
        // channel by channel), so its maximum is the element-wise maximum of those P columns.
        int positions = Positions, m = input.Rows;
        Tensor<T> output = Buffer(Result, m, OutputSize);
        for (int d = 0; d < OutputSize; d++)
        {
            Span<T> best = output.ColumnSpan(d);
            input.ColumnSpan(d * positions).CopyTo(best);
            for (int t = 1; t < positions; t++)
            {
                ReadOnlySpan<T> column = input.ColumnSpan((d * positions) + t);
                for (int i = 0; i < m; i++)
                {
                    if (column[i] > best[i] || (T.IsNaN(column[i]) && !T.IsNaN(best[i])))
                    {
                        best[i] = column[i];
                    }
                }
            }
        }

        return output;
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        // The winner is found again: the first position whose value is the output (NaN: the first NaN).
        int positions = Positions, m = input.Rows;
        Tensor<T> output = Buffer(Result, m, OutputSize), dx = Buffer(InputGradient, m, InputSize);
        dx.AsSpan().Clear();
        for (int d = 0; d < OutputSize; d++)
        {
            ReadOnlySpan<T> best = output.ColumnSpan(d), gradient = outputGradient.ColumnSpan(d);
            for (int i = 0; i < m; i++)
            {
                bool nan = T.IsNaN(best[i]);
                for (int t = 0; t < positions; t++)
                {
                    T value = input[i, (d * positions) + t];
                    if (nan ? T.IsNaN(value) : value == best[i])
                    {
                        dx[i, (d * positions) + t] = gradient[i];
                        break;
                    }
                }
            }
        }

        return dx;
    }

    private static FeatureShape OutputShapeOf(FeatureShape input)
    {
        if (input.IsSequence)
        {
            return FeatureShape.Flat(input.Features);
        }

        if (!input.IsFlat)
        {
            return FeatureShape.Flat(input.Channels);
        }

        throw new ArgumentException($"global_max_pool takes a sequence (T×D) or an image (C×H×W), but the layer before gives {input}.", nameof(input));
    }
}
