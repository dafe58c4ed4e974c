using System.Numerics;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// Flattens a sample into a flat vector, as PyTorch's <c>nn.Flatten</c> does: a sequence T×D becomes the T·D values
/// position after position (value d of position t at t·D + d: each position's features together, the order of
/// <c>x.flatten(1)</c> on a [m, T, D] tensor); an image C×H×W becomes its C·H·W values as they are stored.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// What follows a window of embedded characters in Bengio's language model: <c>embedding(27, 10) flatten dense(200, tanh)
/// dense(27)</c> on 3 ids reads the 3·10 values of the three characters. A sequence's row holds its values feature by
/// feature (see <see cref="FeatureShape"/>), so flattening it moves them; an image's row is already PyTorch's flatten order,
/// so nothing moves. A dense layer reads an image as flat without it.
/// </para>
/// <para>Backward moves ∂L/∂A back to where each value came from. No parameters. Registry name <c>flatten</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// Network&lt;float&gt; mlp = new NetworkBuilder&lt;float&gt;(3).Add("embedding(27, 10)").Add("flatten").Add("dense(200, tanh)").Add("dense(27)").Build();
/// </code>
/// </example>
public sealed class Flatten<T> : Layer<T>, ILayerKind<Flatten<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, InputGradient = 1;

    /// <summary>Creates the layer for samples of shape <paramref name="input"/>.</summary>
    /// <param name="input">The shape to flatten.</param>
    public Flatten(FeatureShape input)
        : base(input, FeatureShape.Flat((int)input.Size))
    {
    }

    /// <inheritdoc/>
    /// <remarks><c>Flatten(IN→n)</c>, for example <c>Flatten(3×10→30)</c>.</remarks>
    public override string Name => $"Flatten({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(InputShape.IsSequence ? "position by position" : "as stored", "—");

    /// <inheritdoc/>
    protected override Arguments Settings => Arguments.Empty;

    /// <inheritdoc/>
    /// <remarks>No parameters; per sample the output and ∂L/∂X.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input) => new(FeatureShape.Flat((int)input.Size), 0, checked(2 * input.Size));

    /// <inheritdoc/>
    public static Flatten<T> Create(Arguments settings, FeatureShape input, Random random) => new(input);

    /// <summary>A Flatten of the [m, T, D] sequence (position by position), or the rows of an image.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (InputShape.IsSequence)
        {
            graph.ToSequence(InputShape);
            graph.Apply("Flatten", [graph.Current], "flattened", ("axis", 1));
            graph.SetForm(image: false, sequence: false);
        }
        else
        {
            graph.ToRows();
        }
    }

    /// <summary><c>Flatten()</c>.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add("Flatten()");
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        if (!InputShape.IsSequence)
        {
            return input;
        }

        Tensor<T> output = Buffer(Result, input.Rows, OutputSize);
        Move(input, output, toPositions: true);
        return output;
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient || !InputShape.IsSequence)
        {
            return computeInputGradient ? outputGradient : null;
        }

        Tensor<T> inputGradient = Buffer(InputGradient, input.Rows, InputSize);
        Move(outputGradient, inputGradient, toPositions: false);
        return inputGradient;
    }

    /// <summary>Column d·T + t of the sequence's rows is column t·D + d of the flat rows (each column the m samples' value).</summary>
    private void Move(Tensor<T> from, Tensor<T> to, bool toPositions)
    {
        int positions = InputShape.Positions, features = InputShape.Features;
        for (int d = 0; d < features; d++)
        {
            for (int t = 0; t < positions; t++)
            {
                int sequenceColumn = (d * positions) + t, flatColumn = (t * features) + d;
                from.ColumnSpan(toPositions ? sequenceColumn : flatColumn).CopyTo(to.ColumnSpan(toPositions ? flatColumn : sequenceColumn));
            }
        }
    }
}
