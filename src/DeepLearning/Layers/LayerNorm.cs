using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// Layer normalization (Ba, Kiros and Hinton, 2016): the features of each sample — of each position, in a sequence — are
/// shifted and scaled to mean 0 and variance 1, then given a learned scale γ and shift β per feature:
/// <c>y = γ·(x − μ)/√(σ² + ε) + β</c>, μ and σ² over that sample's (or position's) features. It does not look across the
/// batch, so training and inference compute the same thing: the normalization of Transformers.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Which features.</b> A flat sample's n; each position's D in a sequence T×D (γ and β have D values, shared by the
/// positions); an image's C·H·W (γ and β have C·H·W values). σ² divides by the number of features.
/// </para>
/// <para>
/// <b>Backward</b>, with x̂ = (x − μ)/√(σ² + ε) and Ĝ = γ ⊙ ∂L/∂y per row: ∂L/∂γ = Σ ∂L/∂y ⊙ x̂ and ∂L/∂β = Σ ∂L/∂y over the
/// rows (samples, or positions), and ∂L/∂x = (Ĝ − mean(Ĝ) − x̂·mean(Ĝ ⊙ x̂))/√(σ² + ε), the means over the row's features.
/// </para>
/// <para>
/// <b>PyTorch</b>: <c>nn.LayerNorm(n)</c>, <c>nn.LayerNorm(D)</c> on a [m, T, D] tensor, <c>nn.LayerNorm([C, H, W])</c>;
/// ONNX: <c>LayerNormalization</c> (opset 17). Registry name <c>layer_norm(eps = 1e-5)</c>. γ and β are not weights: L2 and
/// AdamW's weight decay leave them alone. No state.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// ILayer&lt;double&gt; norm = Registries.Layers.Create&lt;double&gt;("layer_norm", FeatureShape.Sequence(16, 64), new Random(1)); // γ, β: 64 each
/// </code>
/// </example>
public sealed class LayerNorm<T> : Layer<T>, ILayerKind<LayerNorm<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, InputGradient = 1, Mean = 2, Inverse = 3, SumG = 4, SumGX = 5, Scratch = 6;
    private const int InputView = 0, OutputView = 1, GradientView = 2, InputGradientView = 3;
    private readonly Parameter<T> _gamma, _beta;

    /// <summary>Creates a layer normalization for samples of shape <paramref name="shape"/>.</summary>
    /// <param name="shape">A flat vector, a sequence (each position normalized) or an image.</param>
    /// <param name="epsilon">ε, added to σ²; 1e-5 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not positive and finite.</exception>
    public LayerNorm(FeatureShape shape, double epsilon = 1e-5)
        : base(shape, shape)
    {
        Epsilon = Preconditions.CheckPositiveFinite(epsilon, nameof(epsilon));
        int features = shape.Features;
        long[] exportShape = shape.IsFlat || shape.IsSequence ? [features] : [shape.Channels, shape.Height, shape.Width];
        var none = new Random(0); // γ and β start at 1 and 0: nothing is drawn
        _gamma = AddParameter("weight", 1, features, Initializer.Zeros, none, 1, 1, isWeight: false, exportShape: exportShape);
        _gamma.Values.Fill(T.One);
        _beta = AddParameter("bias", 1, features, Initializer.Zeros, none, 1, 1, isWeight: false, exportShape: exportShape);
    }

    /// <summary>ε, added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>γ, the learned scale of each feature. Editable.</summary>
    public Span<T> Scale => _gamma.Values;

    /// <summary>β, the learned shift of each feature. Editable.</summary>
    public Span<T> Shift => _beta.Values;

    /// <inheritdoc/>
    /// <remarks><c>LayerNorm(SHAPE)</c>, for example <c>LayerNorm(16×64)</c>.</remarks>
    public override string Name => $"LayerNorm({InputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(InputShape.IsSequence ? "per position" : "per sample", "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("eps", Text(Epsilon)));

    /// <inheritdoc/>
    /// <remarks>γ and β (one per feature); per sample the output, ∂L/∂X and a few values per row.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        Preconditions.CheckPositiveFinite(settings.GetNumber("eps"), "eps");
        return new LayerPlan(input, 2L * input.Features, checked((3 * input.Size) + (5L * input.Positions)));
    }

    /// <inheritdoc/>
    public static LayerNorm<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new LayerNorm<T>(input, settings.GetNumber("eps"));
    }

    /// <summary><c>LayerNormalization</c> over the last axis of [m, n] or [m, T, D], or over C, H and W of [m, C, H, W].</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        long[] shape = [.. _gamma.ExportShape];
        if (InputShape.IsSequence)
        {
            graph.ToSequence(InputShape);
        }
        else if (InputShape.IsFlat)
        {
            graph.ToRows();
        }
        else
        {
            graph.ToImage(InputShape);
        }

        string gamma = graph.AddInitializer<T>("ln_scale", shape, _gamma.Values), beta = graph.AddInitializer<T>("ln_bias", shape, _beta.Values);
        graph.Apply("LayerNormalization", [graph.Current, gamma, beta], "layer_norm", ("axis", shape.Length == 3 ? 1 : -1), ("epsilon", (float)Epsilon));
    }

    /// <summary><c>LayerNorm(n)</c>, <c>LayerNorm(D)</c> or <c>LayerNorm([C, H, W])</c>, with γ and β.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        string shape = InputShape.IsFlat || InputShape.IsSequence ? Text(InputShape.Features) : $"[{InputShape.Channels}, {InputShape.Height}, {InputShape.Width}]";
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"LayerNorm({shape}, eps={Epsilon:R})"), [.. Parameters]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        // Rows: the samples, or every position of every sample; columns: the features. Column f is contiguous in storage.
        Tensor<T> x = ByPosition(InputView, input, InputShape);
        int rows = x.Rows, features = x.Columns;
        Span<T> mean = Buffer(Mean, rows, 1).AsSpan(), inverse = Buffer(Inverse, rows, 1).AsSpan(), scratch = Buffer(Scratch, rows, 1).AsSpan();
        Tensor<T> y = Buffer(Result, rows, features);
        T count = T.CreateChecked(features), epsilon = T.CreateChecked(Epsilon);

        mean.Clear();
        for (int f = 0; f < features; f++)
        {
            TensorPrimitives.Add<T>(mean, x.ColumnSpan(f), mean);
        }

        TensorPrimitives.Divide<T>(mean, count, mean);
        inverse.Clear();
        for (int f = 0; f < features; f++)
        {
            TensorPrimitives.Subtract<T>(x.ColumnSpan(f), mean, scratch);
            TensorPrimitives.MultiplyAdd<T>(scratch, scratch, inverse, inverse); // Σ (x − μ)²
        }

        for (int r = 0; r < rows; r++)
        {
            inverse[r] = T.One / T.Sqrt((inverse[r] / count) + epsilon);
        }

        Span<T> gamma = _gamma.Values, beta = _beta.Values;
        for (int f = 0; f < features; f++)
        {
            Span<T> column = y.ColumnSpan(f);
            TensorPrimitives.Subtract<T>(x.ColumnSpan(f), mean, column);
            TensorPrimitives.Multiply<T>(column, inverse, column);        // x̂
            TensorPrimitives.Multiply<T>(column, gamma[f], column);        // γ·x̂
            TensorPrimitives.Add<T>(column, beta[f], column);              // + β
        }

        return BySample(OutputView, y, OutputShape);
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        Tensor<T> x = ByPosition(InputView, input, InputShape), g = ByPosition(GradientView, outputGradient, OutputShape);
        int rows = x.Rows, features = x.Columns;
        Span<T> mean = Buffer(Mean, rows, 1).AsSpan(), inverse = Buffer(Inverse, rows, 1).AsSpan(), scratch = Buffer(Scratch, rows, 1).AsSpan();
        Span<T> sumG = Buffer(SumG, rows, 1).AsSpan(), sumGX = Buffer(SumGX, rows, 1).AsSpan();
        Span<T> gamma = _gamma.Values, dGamma = _gamma.Gradients, dBeta = _beta.Gradients;
        sumG.Clear();
        sumGX.Clear();
        for (int f = 0; f < features; f++)
        {
            Span<T> gf = g.ColumnSpan(f);
            TensorPrimitives.Subtract<T>(x.ColumnSpan(f), mean, scratch);
            TensorPrimitives.Multiply<T>(scratch, inverse, scratch); // x̂
            dBeta[f] = TensorPrimitives.Sum<T>(gf);
            TensorPrimitives.Multiply<T>(scratch, gf, scratch);      // x̂ ⊙ ∂L/∂y
            dGamma[f] = TensorPrimitives.Sum<T>(scratch);
            TensorPrimitives.MultiplyAdd<T>(gf, gamma[f], sumG, sumG);           // Σ Ĝ, Ĝ = γ ⊙ ∂L/∂y
            TensorPrimitives.MultiplyAdd<T>(scratch, gamma[f], sumGX, sumGX);    // Σ Ĝ ⊙ x̂
        }

        if (!computeInputGradient)
        {
            return null;
        }

        // ∂L/∂x = (Ĝ − mean(Ĝ) − x̂·mean(Ĝ ⊙ x̂))/√(σ² + ε)
        T count = T.CreateChecked(features);
        TensorPrimitives.Divide<T>(sumG, -count, sumG);   // −mean(Ĝ)
        TensorPrimitives.Divide<T>(sumGX, count, sumGX);  // mean(Ĝ ⊙ x̂)
        Tensor<T> dx = Buffer(InputGradient, rows, features);
        for (int f = 0; f < features; f++)
        {
            Span<T> column = dx.ColumnSpan(f);
            TensorPrimitives.Subtract<T>(x.ColumnSpan(f), mean, scratch);
            TensorPrimitives.Multiply<T>(scratch, inverse, scratch);            // x̂
            TensorPrimitives.Multiply<T>(scratch, sumGX, scratch);              // x̂·mean(Ĝ ⊙ x̂)
            TensorPrimitives.MultiplyAdd<T>(g.ColumnSpan(f), gamma[f], sumG, column); // Ĝ − mean(Ĝ)
            TensorPrimitives.Subtract<T>(column, scratch, column);
            TensorPrimitives.Multiply<T>(column, inverse, column);
        }

        return BySample(InputGradientView, dx, InputShape);
    }
}
