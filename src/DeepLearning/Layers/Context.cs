using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// A window over a sequence: each position gets the features of itself and the <c>size − 1</c> positions before it, side
/// by side — position t of T×D becomes [x_(t−size+1), …, x_(t−1), x_t], size·D features, zeros before the start. What
/// Bengio's language model reads: a dense layer after it sees the last few characters at once, at every position.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// Only the past is seen (a position never sees the ones after it), so a language model built on it can be trained on
/// every position of a sequence at once. makemore's MLP gives the positions before the start a learned "blank" vector;
/// here they are zeros.
/// </para>
/// <para>
/// <b>Backward</b>: each position's gradient goes back to the positions it was copied from. No parameters. PyTorch:
/// <c>dl.Context(size)</c> of <c>tests/python/deeplearning_torch.py</c> (a pad, an unfold, a reshape); ONNX: <c>Pad</c>,
/// one <c>Slice</c> per slot, <c>Concat</c>. Registry name <c>context(size)</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "embedding(27, 64) context(16) dense(64, tanh) dense(27)"   // makemore's MLP, at every position
/// </code>
/// </example>
public sealed class Context<T> : Layer<T>, ILayerKind<Context<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, InputGradient = 1;

    /// <summary>Creates a window of <paramref name="size"/> positions over sequences of shape <paramref name="input"/>.</summary>
    /// <param name="input">The sequence T×D.</param>
    /// <param name="size">The positions each one sees, itself included, at least 1.</param>
    /// <exception cref="ArgumentException">The input is not a sequence, or the output would be too large.</exception>
    public Context(FeatureShape input, int size)
        : base(input, OutputShapeOf(input, size)) => Size = size;

    /// <summary>The positions each one sees, itself included.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    /// <remarks><c>Context(T×D→T×size·D)</c>.</remarks>
    public override string Name => $"Context({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(string.Create(CultureInfo.InvariantCulture, $"last {Size} positions"), "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("size", Text(Size)));

    /// <inheritdoc/>
    /// <remarks>No parameters; per sample the output and ∂L/∂X.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        FeatureShape output = OutputShapeOf(input, settings.GetSize("size"));
        return new LayerPlan(output, 0, checked(output.Size + input.Size));
    }

    /// <inheritdoc/>
    public static Context<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Context<T>(input, settings.GetSize("size"));
    }

    /// <summary>Pads the [m, T, D] sequence with size − 1 zero positions in front, then concatenates its size shifted slices.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.ToSequence(InputShape);
        int positions = InputShape.Positions;
        string padded = graph.Apply("Pad", [graph.Current, graph.AddIntegers("context_pads", 0, Size - 1, 0, 0, 0, 0)], "context_padded");
        string axis = graph.AddIntegers("context_axis", 1);
        string[] slots = [.. Enumerable.Range(0, Size).Select(j => graph.Apply("Slice", [padded, graph.AddIntegers("context_start", j), graph.AddIntegers("context_end", j + positions), axis], "context_slot"))];
        graph.Apply("Concat", slots, "context", ("axis", 2));
    }

    /// <summary><c>dl.Context(size)</c>, which holds no tensors.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"dl.Context({Size})"));
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        // Output feature j·D + d of position t (column (j·D + d)·T + t) is input feature d of position t − (size − 1 − j).
        int positions = InputShape.Positions, features = InputShape.Features;
        Tensor<T> output = Buffer(Result, input.Rows, OutputSize);
        for (int j = 0; j < Size; j++)
        {
            int shift = Size - 1 - j;
            for (int d = 0; d < features; d++)
            {
                for (int t = 0; t < positions; t++)
                {
                    Span<T> target = output.ColumnSpan((((j * features) + d) * positions) + t);
                    if (t >= shift)
                    {
                        input.ColumnSpan((d * positions) + t - shift).CopyTo(target);
                    }
                    else
                    {
                        target.Clear();
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

        int positions = InputShape.Positions, features = InputShape.Features;
        Tensor<T> dx = Buffer(InputGradient, input.Rows, InputSize);
        dx.AsSpan().Clear();
        for (int j = 0; j < Size; j++)
        {
            int shift = Size - 1 - j;
            for (int d = 0; d < features; d++)
            {
                for (int t = shift; t < positions; t++)
                {
                    Span<T> target = dx.ColumnSpan((d * positions) + t - shift);
                    TensorPrimitives.Add<T>(target, outputGradient.ColumnSpan((((j * features) + d) * positions) + t), target);
                }
            }
        }

        return dx;
    }

    private static FeatureShape OutputShapeOf(FeatureShape input, int size)
    {
        Preconditions.CheckPositive(size, nameof(size));
        if (!input.IsSequence)
        {
            throw new ArgumentException($"context takes a sequence (T×D), but the layer before gives {input}.", nameof(input));
        }

        long features = (long)size * input.Features;
        if (features > int.MaxValue || features * input.Positions > Array.MaxLength)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"context({size}) on {input}: {features:N0} features at each of {input.Positions} positions are more than a row can hold."), nameof(size));
        }

        return FeatureShape.Sequence(input.Positions, (int)features);
    }
}
