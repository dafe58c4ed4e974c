using System.Globalization;
using System.Numerics;
using DeepLearning.Initialization;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// Batch normalization (Ioffe and Szegedy, 2015): each feature of a flat sample, or each channel of an image, is shifted
/// and scaled to mean 0 and variance 1 over the batch, then given a learned scale γ and shift β:
/// <c>y = γ·(x − μ)/√(σ² + ε) + β</c>. Networks with it train faster and tolerate larger learning rates.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Training and inference.</b> While training, μ and σ² are the batch's (over its m samples, and an image's H·W pixels:
/// the N = m·H·W values of a channel; σ² divides by N), and running averages are updated,
/// <c>μ_run ← (1 − momentum)·μ_run + momentum·μ</c> and likewise σ²_run with the unbiased σ²·N/(N − 1). At inference the
/// running averages are used, so one sample's output does not depend on the others. The running averages and the count
/// of training batches are the layer's <see cref="ILayer{T}.State"/>: saved, loaded and exported with γ and β.
/// </para>
/// <para>
/// <b>Backward</b> (training), with x̂ = (x − μ)/√(σ² + ε) and G = ∂L/∂y: ∂L/∂γ = Σ G·x̂, ∂L/∂β = Σ G, and
/// ∂L/∂x = γ/√(σ² + ε)·(G − mean(G) − x̂·mean(G·x̂)), the means over the channel's N values — the batch's statistics depend
/// on every x. After an inference pass, ∂L/∂x = G·γ/√(σ²_run + ε).
/// </para>
/// <para>
/// <b>PyTorch</b>: <c>nn.BatchNorm1d(n)</c> after flat samples, <c>nn.BatchNorm2d(C)</c> after images, with the same
/// momentum and ε and the same tensors (<c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>,
/// <c>num_batches_tracked</c>, the last an int64); the sums are accumulated in double, as PyTorch does on the CPU. ONNX:
/// <c>BatchNormalization</c> with the running averages. Registry name <c>batch_norm(momentum = 0.1, eps = 1e-5)</c>. γ and
/// β are not weights: L2 and AdamW's weight decay leave them alone. A sequence is normalized with <see cref="LayerNorm{T}"/>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// --layers "conv2d(20,5) batch_norm relu maxpool2d(2) conv2d(40,5) batch_norm relu maxpool2d(2) dense(100) layer_norm relu dense(10)"
/// </code>
/// </example>
public sealed class BatchNorm<T> : Layer<T>, ILayerKind<BatchNorm<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Result = 0, InputGradient = 1;
    private readonly Parameter<T> _gamma, _beta, _runningMean, _runningVariance, _batches;
    private readonly double[] _mean, _inverseDeviation, _scale, _shift;
    private bool _lastWasTraining;

    /// <summary>Creates a batch normalization for samples of shape <paramref name="shape"/>.</summary>
    /// <param name="shape">A flat vector (each feature normalized) or an image (each channel).</param>
    /// <param name="momentum">The weight of the batch's statistics in the running averages, in (0, 1]; 0.1 by default.</param>
    /// <param name="epsilon">ε, added to σ² so that nothing is divided by zero; 1e-5 by default.</param>
    /// <exception cref="ArgumentException">The shape is a sequence, or a setting is out of range.</exception>
    public BatchNorm(FeatureShape shape, double momentum = 0.1, double epsilon = 1e-5)
        : base(shape, shape)
    {
        CheckShape(shape);
        Momentum = CheckMomentum(momentum);
        Epsilon = Preconditions.CheckPositiveFinite(epsilon, nameof(epsilon));
        int channels = shape.Channels;
        var none = new Random(0); // γ and β start at 1 and 0: nothing is drawn
        _gamma = AddParameter("weight", 1, channels, Initializer.Zeros, none, 1, 1, isWeight: false);
        _gamma.Values.Fill(T.One);
        _beta = AddParameter("bias", 1, channels, Initializer.Zeros, none, 1, 1, isWeight: false);
        _runningMean = AddState("running_mean", 1, channels, T.Zero);
        _runningVariance = AddState("running_var", 1, channels, T.One);
        _batches = AddState("num_batches_tracked", 1, 1, T.Zero, isInteger: true, exportShape: []);
        (_mean, _inverseDeviation, _scale, _shift) = (new double[channels], new double[channels], new double[channels], new double[channels]);
    }

    /// <summary>The weight of a batch's statistics in the running averages.</summary>
    public double Momentum { get; }

    /// <summary>ε, added to the variance.</summary>
    public double Epsilon { get; }

    /// <summary>γ, the learned scale of each channel (or feature). Editable.</summary>
    public Span<T> Scale => _gamma.Values;

    /// <summary>β, the learned shift of each channel (or feature). Editable.</summary>
    public Span<T> Shift => _beta.Values;

    /// <summary>The running average of each channel's mean, used at inference.</summary>
    public Span<T> RunningMean => _runningMean.Values;

    /// <summary>The running average of each channel's (unbiased) variance, used at inference.</summary>
    public Span<T> RunningVariance => _runningVariance.Values;

    /// <summary>How many training batches have updated the running averages.</summary>
    public long BatchesTracked => long.CreateChecked(_batches.Values[0]);

    /// <inheritdoc/>
    /// <remarks><c>BatchNorm(SHAPE)</c>, for example <c>BatchNorm(20×24×24)</c>.</remarks>
    public override string Name => $"BatchNorm({InputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(InputShape.IsFlat ? "per feature" : "per channel", "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("momentum", Text(Momentum)), ("eps", Text(Epsilon)));

    /// <inheritdoc/>
    /// <remarks>γ and β (2 per channel, plus 3 values of state); per sample the output and ∂L/∂X.</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        CheckShape(input);
        CheckMomentum(settings.GetNumber("momentum"));
        Preconditions.CheckPositiveFinite(settings.GetNumber("eps"), "eps");
        return new LayerPlan(input, 2L * input.Channels, checked(2 * input.Size));
    }

    /// <inheritdoc/>
    public static BatchNorm<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new BatchNorm<T>(input, settings.GetNumber("momentum"), settings.GetNumber("eps"));
    }

    /// <summary><c>BatchNormalization</c> with γ, β and the running averages, on [m, C, H, W] images or [m, n] rows.</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (InputShape.IsFlat)
        {
            graph.ToRows();
        }
        else
        {
            graph.ToImage(InputShape);
        }

        long channels = InputShape.Channels;
        string gamma = graph.AddInitializer<T>("bn_scale", [channels], _gamma.Values);
        string beta = graph.AddInitializer<T>("bn_bias", [channels], _beta.Values);
        string mean = graph.AddInitializer<T>("bn_mean", [channels], _runningMean.Values);
        string variance = graph.AddInitializer<T>("bn_var", [channels], _runningVariance.Values);
        graph.Apply("BatchNormalization", [graph.Current, gamma, beta, mean, variance], "batch_norm", ("epsilon", (float)Epsilon));
    }

    /// <summary><c>BatchNorm1d(n)</c> after flat samples, <c>BatchNorm2d(C)</c> after images, with its parameters and buffers.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        string module = string.Create(CultureInfo.InvariantCulture, $"BatchNorm{(InputShape.IsFlat ? 1 : 2)}d({InputShape.Channels}, eps={Epsilon:R}, momentum={Momentum:R})");
        sequence.Add(module, [_gamma, _beta], [_runningMean, _runningVariance, _batches]);
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        int channels = InputShape.Channels;
        long count = (long)input.Rows * InputShape.Pixels; // N: the values of one channel, stored one after another
        _lastWasTraining = training;
        Span<T> x = input.AsSpan();
        Span<T> gamma = _gamma.Values, beta = _beta.Values, runningMean = _runningMean.Values, runningVariance = _runningVariance.Values;
        if (training)
        {
            if (count < 2)
            {
                throw new ArgumentException($"{Name}.Forward: a training batch needs more than one value per channel to have a variance, but has {count}; use batches of 2 samples or more.", nameof(input));
            }

            for (int c = 0; c < channels; c++)
            {
                Span<T> values = x.Slice((int)(c * count), (int)count);
                double sum = 0;
                foreach (T v in values)
                {
                    sum += double.CreateTruncating(v);
                }

                double mean = sum / count, squares = 0;
                foreach (T v in values)
                {
                    double d = double.CreateTruncating(v) - mean;
                    squares += d * d;
                }

                double variance = squares / count;
                _mean[c] = mean;
                _inverseDeviation[c] = 1 / Math.Sqrt(variance + Epsilon);
                runningMean[c] = T.CreateTruncating(((1 - Momentum) * double.CreateTruncating(runningMean[c])) + (Momentum * mean));
                runningVariance[c] = T.CreateTruncating(((1 - Momentum) * double.CreateTruncating(runningVariance[c])) + (Momentum * variance * count / (count - 1)));
            }

            _batches.Values[0] += T.One;
        }
        else
        {
            for (int c = 0; c < channels; c++)
            {
                _mean[c] = double.CreateTruncating(runningMean[c]);
                _inverseDeviation[c] = 1 / Math.Sqrt(double.CreateTruncating(runningVariance[c]) + Epsilon);
            }
        }

        // y = x·scale + shift with scale = γ/√(σ² + ε) and shift = β − μ·scale, as PyTorch computes it on the CPU.
        Tensor<T> output = Buffer(Result, input.Rows, InputSize);
        Span<T> y = output.AsSpan();
        for (int c = 0; c < channels; c++)
        {
            _scale[c] = _inverseDeviation[c] * double.CreateTruncating(gamma[c]);
            _shift[c] = double.CreateTruncating(beta[c]) - (_mean[c] * _scale[c]);
            T scale = T.CreateTruncating(_scale[c]), shift = T.CreateTruncating(_shift[c]);
            Span<T> from = x.Slice((int)(c * count), (int)count), to = y.Slice((int)(c * count), (int)count);
            System.Numerics.Tensors.TensorPrimitives.Multiply<T>(from, scale, to);
            System.Numerics.Tensors.TensorPrimitives.Add<T>(to, shift, to);
        }

        return output;
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        int channels = InputShape.Channels;
        long count = (long)input.Rows * InputShape.Pixels;
        Span<T> x = input.AsSpan(), g = outputGradient.AsSpan();
        Span<T> dx = computeInputGradient ? Buffer(InputGradient, input.Rows, InputSize).AsSpan() : [];
        Span<T> gamma = _gamma.Values, dGamma = _gamma.Gradients, dBeta = _beta.Gradients;
        for (int c = 0; c < channels; c++)
        {
            Span<T> xs = x.Slice((int)(c * count), (int)count), gs = g.Slice((int)(c * count), (int)count);
            double mean = _mean[c], inverse = _inverseDeviation[c], sumG = 0, sumGX = 0;
            for (int k = 0; k < gs.Length; k++)
            {
                double gk = double.CreateTruncating(gs[k]);
                sumG += gk;
                sumGX += gk * (double.CreateTruncating(xs[k]) - mean);
            }

            dGamma[c] = T.CreateTruncating(sumGX * inverse); // Σ G·x̂
            dBeta[c] = T.CreateTruncating(sumG);
            if (!computeInputGradient)
            {
                continue;
            }

            Span<T> d = dx.Slice((int)(c * count), (int)count);
            double gammaInverse = double.CreateTruncating(gamma[c]) * inverse;
            if (!_lastWasTraining)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply<T>(gs, T.CreateTruncating(gammaInverse), d); // the statistics are constants
                continue;
            }

            // ∂L/∂x = γ/√(σ² + ε)·(G − mean(G) − x̂·mean(G·x̂)), x̂ = (x − μ)/√(σ² + ε)
            double meanG = sumG / count, k2 = sumGX * inverse * inverse / count;
            for (int k = 0; k < d.Length; k++)
            {
                d[k] = T.CreateTruncating((double.CreateTruncating(gs[k]) - meanG - ((double.CreateTruncating(xs[k]) - mean) * k2)) * gammaInverse);
            }
        }

        return computeInputGradient ? Buffer(InputGradient, input.Rows, InputSize) : null;
    }

    private static void CheckShape(FeatureShape shape)
    {
        if (shape.IsSequence)
        {
            throw new ArgumentException($"batch_norm normalizes the features of flat samples or the channels of images, and {shape} is a sequence; normalize a sequence with layer_norm.", nameof(shape));
        }
    }

    private static double CheckMomentum(double momentum)
        => momentum is > 0 and <= 1 ? momentum : throw new ArgumentOutOfRangeException(nameof(momentum), momentum, $"momentum must be in (0, 1], but was {Preconditions.Format(momentum)}.");
}
