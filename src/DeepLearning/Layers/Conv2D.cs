using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Activations;
using DeepLearning.Compute;
using DeepLearning.Initialization;
using DeepLearning.Serialization;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Layers;

/// <summary>
/// A 2-D convolution: F filters of k×k slide over a C×H×W image with stride s and zero padding p; each filter's output at
/// each position is σ(patch · w_f + b_f) — a dense layer applied to every patch, with the same weights everywhere.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> A sample is a row of C·H·W values, channel by channel (PyTorch's flatten order); the output is F×H′×W′
/// with H′ = (H + 2p − k)/s + 1 and W′ likewise, again as a row. The weight matrix W is (C·k·k)×F: one row per value of a
/// patch — the side the connections come from — and one column per filter, the side they go to, exactly as in
/// <see cref="Dense{T}"/>. Row c·k·k + i·k + j of W is the weight of channel c at offset (i, j) of the patch. Bias b: F.
/// </para>
/// <para>
/// <b>Forward</b>, for a batch of m images: the patches are gathered into a matrix P of (m·H′·W′)×(C·k·k) — one row per
/// sample and position (im2col) — then <c>Z = P·W + 1·bᵀ</c>, (m·H′·W′)×F, and <c>A = σ(Z)</c>. Stored column by column,
/// that Z is already the output m×(F·H′·W′) in channel-major order, so no reordering follows.
/// <b>Backward</b>, given G = ∂L/∂A: δ = G ⊙ σ′(Z); ∂L/∂W = Pᵀ·δ; ∂L/∂b = the column sums of δ; ∂L/∂P = δ·Wᵀ, whose rows
/// are added back to the pixels they came from (col2im) to give ∂L/∂X. All three products run on the packed GEMM.
/// </para>
/// <para>
/// <b>PyTorch and ONNX</b> store the same weights as [F, C, k, k]; W's storage, column by column, is those bytes in that
/// order (column f is filter f), so safetensors and ONNX copy it as it is. PyTorch: <c>nn.Conv2d(C, F, k, stride=s,
/// padding=p)</c> on an input reshaped to [m, C, H, W]. Registry name <c>conv2d(filters, kernel, activation = identity,
/// stride = 1, padding = 0, bias = true, init = auto, bias_init = zeros)</c>, for example <c>conv2d(20, 5, relu)</c>; the
/// activation must act on each value alone (not softmax). Not thread-safe; buffers are kept per batch size, so a
/// training step allocates nothing after the first batch.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Network&lt;float&gt; network = new NetworkBuilder&lt;float&gt;(new FeatureShape(1, 28, 28))
///     .Add("conv2d(20, 5, relu)").Add("maxpool2d(2)").Add("dense(10)").Build(); // 1×28×28 → 20×24×24 → 20×12×12 → 10
/// </code>
/// </example>
public sealed class Conv2D<T> : Layer<T>, ILayerKind<Conv2D<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int Patches = 0, Z = 1, A = 2, Delta = 3, PatchGradient = 4, InputGradient = 5;
    private const int OutputView = 0, GradientView = 1;
    private readonly Parameter<T> _weights;
    private readonly Parameter<T>? _bias;
    private readonly IInitializer? _weightInitializer;
    private readonly IInitializer _biasInitializer;
    private readonly PartedWork _gather, _scatter;
    private Tensor<T>? _image, _patches; // X and P (or ∂L/∂X and ∂L/∂P) while im2col or col2im runs

    /// <summary>Creates a convolution over images of shape <paramref name="input"/>.</summary>
    /// <param name="input">C×H×W, the shape of one input image.</param>
    /// <param name="filters">F, the number of filters: the output's channels and the columns of W.</param>
    /// <param name="kernel">k, the side of each square filter.</param>
    /// <param name="activation">σ; <see cref="Activation.Identity"/> when null. Must act on each value alone.</param>
    /// <param name="stride">s, the step between patches; 1 by default.</param>
    /// <param name="padding">p, the zeros added on each side of the image; 0 by default.</param>
    /// <param name="weightInitializer">How W starts (fan-in C·k·k, fan-out F·k·k); the activation's preference (He for ReLU), else Glorot, when null.</param>
    /// <param name="biasInitializer">How b starts; zeros when null.</param>
    /// <param name="random">The seeded source of the initial values; <c>new Random(0)</c> when null.</param>
    /// <param name="useBias">Whether the layer has a bias b.</param>
    /// <exception cref="ArgumentException">The sizes do not fit: the kernel is larger than the padded image, a size is not positive, the activation is not elementwise, or a size overflows.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One constructor.")]
    public Conv2D(
        FeatureShape input,
        int filters,
        int kernel,
        IActivation? activation = null,
        int stride = 1,
        int padding = 0,
        IInitializer? weightInitializer = null,
        IInitializer? biasInitializer = null,
        Random? random = null,
        bool useBias = true)
        : base(input, OutputShapeOf(input, filters, kernel, stride, padding))
    {
        Activation = activation ?? Activations.Activation.Identity;
        if (!Activation.IsElementwise)
        {
            throw new ArgumentException($"{Name}: the activation {Activation.Spec} normalises a whole row; a convolution takes an activation that acts on each value alone (relu, sigmoid, tanh, …).", nameof(activation));
        }

        (Filters, KernelSize, Stride, Padding) = (filters, kernel, stride, padding);
        _gather = new PartedWork((first, last) => Gather(_image!.AsSpan(), _patches!.AsSpan(), _image.Rows, first, last));
        _scatter = new PartedWork((first, last) => Scatter(_image!.AsSpan(), _patches!.AsSpan(), _image.Rows, first, last));
        random ??= new Random(0);
        (_weightInitializer, _biasInitializer) = (weightInitializer, biasInitializer ?? Initializer.Zeros);
        int patch = PatchSize;
        int fanIn = patch, fanOut = checked(filters * kernel * kernel);
        _weights = AddParameter("weight", patch, filters, weightInitializer ?? Activation.PreferredWeightInitializer ?? Initializer.GlorotUniform, random, fanIn, fanOut, exportShape: [filters, input.Channels, kernel, kernel]);
        if (useBias)
        {
            _bias = AddParameter("bias", 1, filters, _biasInitializer, random, fanIn, fanOut);
        }
    }

    /// <summary>F, the number of filters (the output's channels).</summary>
    public int Filters { get; }

    /// <summary>k, the side of the square filters.</summary>
    public int KernelSize { get; }

    /// <summary>s, the step between neighbouring patches.</summary>
    public int Stride { get; }

    /// <summary>p, the zeros added on every side of the image.</summary>
    public int Padding { get; }

    /// <summary>The activation σ applied to the weighted inputs.</summary>
    public IActivation Activation { get; }

    /// <summary>The weight matrix W, (C·k·k)×F: column f is filter f, row c·k·k + i·k + j its weight for channel c at offset (i, j). Editable.</summary>
    public Matrix<T> Weights => _weights.Matrix;

    /// <summary>∂L/∂W = Pᵀ·δ from the last backward pass, (C·k·k)×F.</summary>
    public Matrix<T> WeightGradient => _weights.GradientMatrix;

    /// <summary>The bias, one per filter; empty for a layer without bias. Editable.</summary>
    public Span<T> Bias => _bias is null ? Span<T>.Empty : _bias.Values;

    /// <inheritdoc/>
    /// <remarks><c>Conv2D(C×H×W→F×H′×W′)</c>, for example <c>Conv2D(1×28×28→20×24×24)</c>.</remarks>
    public override string Name => $"Conv2D({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(
        string.Create(CultureInfo.InvariantCulture, $"{Activation.Name}, {KernelSize}×{KernelSize}{(Stride == 1 ? string.Empty : $" stride {Stride}")}{(Padding == 0 ? string.Empty : $" pad {Padding}")}"),
        $"{PatchSize}×{Filters}");

    /// <inheritdoc/>
    protected override Arguments Settings => new(
        ("filters", Text(Filters)), ("kernel", Text(KernelSize)), ("activation", Activation.Spec), ("stride", Text(Stride)), ("padding", Text(Padding)),
        ("bias", Text(_bias is not null)), ("init", _weightInitializer?.Spec ?? "auto"), ("bias_init", _biasInitializer.Spec));

    private int PatchSize => InputShape.Channels * KernelSize * KernelSize;

    private int Positions => OutputShape.Height * OutputShape.Width;

    /// <inheritdoc/>
    /// <remarks>C·k·k·F weights and F biases; per sample the patches and their gradients (H′·W′·C·k·k each), Z, A and δ (F·H′·W′ each) and ∂L/∂X (C·H·W).</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        FeatureShape output = OutputShapeOf(input, settings.GetSize("filters"), settings.GetSize("kernel"), settings.GetSize("stride"), settings.GetSize("padding", 0));
        IActivation activation = settings.GetConcept("activation", Registries.Activations);
        if (!activation.IsElementwise)
        {
            throw new ArgumentException($"conv2d: the activation {activation.Spec} normalises a whole row; a convolution takes one that acts on each value alone (relu, sigmoid, tanh, …).", nameof(settings));
        }

        _ = (InitializerSetting(settings, "init"), InitializerSetting(settings, "bias_init"));
        long patch = (long)input.Channels * settings.GetSize("kernel") * settings.GetSize("kernel");
        long patches = checked(output.Pixels * patch);
        return new LayerPlan(output, checked((patch * output.Channels) + (settings.GetBoolean("bias") ? output.Channels : 0)), checked((2 * patches) + (3 * output.Size) + input.Size));
    }

    /// <inheritdoc/>
    public static Conv2D<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new Conv2D<T>(
            input,
            settings.GetSize("filters"),
            settings.GetSize("kernel"),
            settings.GetConcept("activation", Registries.Activations),
            settings.GetSize("stride"),
            settings.GetSize("padding", 0),
            InitializerSetting(settings, "init"),
            InitializerSetting(settings, "bias_init"),
            random,
            settings.GetBoolean("bias"));
    }

    /// <summary>
    /// Writes <c>Conv(X, W, b)</c> with W as [F, C, k, k] (its storage as it is), after a Reshape of the m×(C·H·W) rows to
    /// [m, C, H, W] when the value before is not an image yet; then the activation's node.
    /// </summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.ToImage(InputShape);
        string w = graph.AddInitializer<T>("conv_W", [Filters, InputShape.Channels, KernelSize, KernelSize], _weights.Values);
        string[] inputs = _bias is null ? [graph.Current, w] : [graph.Current, w, graph.AddInitializer<T>("conv_b", [Filters], _bias.Values)];
        graph.Apply("Conv", inputs, "conv", ("kernel_shape", new long[] { KernelSize, KernelSize }), ("strides", new long[] { Stride, Stride }), ("pads", new long[] { Padding, Padding, Padding, Padding }));
        Activation.ExportOnnx(graph);
    }

    /// <summary><c>Conv2d(C, F, k, stride=s, padding=p)</c> holding W as [F, C, k, k] (and b), then the activation's module.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        string options = (Stride == 1 ? string.Empty : $", stride={Stride}") + (Padding == 0 ? string.Empty : $", padding={Padding}") + (_bias is null ? ", bias=False" : string.Empty);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"Conv2d({InputShape.Channels}, {Filters}, {KernelSize}{options})"), [.. Parameters]);
        if (Activation.PyTorchModule is { } module)
        {
            sequence.Add(module);
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        int m = input.Rows, rows = checked(m * Positions);
        Tensor<T> patches = Buffer(Patches, rows, PatchSize), z = Buffer(Z, rows, Filters), a = Buffer(A, rows, Filters);
        Im2Col(input, patches);

        // Z = P·W + 1·bᵀ: every patch times every filter, then b[f] added to filter f's column.
        MatrixProduct.Multiply(patches.Matrix, Weights, z.Matrix);
        if (_bias is not null)
        {
            Span<T> b = _bias.Values;
            for (int f = 0; f < Filters; f++)
            {
                Span<T> column = z.ColumnSpan(f);
                TensorPrimitives.Add<T>(column, b[f], column);
            }
        }

        Activation.Forward(z, a);
        return View(OutputView, a, m, OutputSize); // the same storage: sample i's filter f at position q is row i, column f·H′W′ + q
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        int m = input.Rows, rows = checked(m * Positions);
        Tensor<T> g = ViewOf(outputGradient, rows);
        Tensor<T> delta = Buffer(Delta, rows, Filters), patches = Buffer(Patches, rows, PatchSize);
        Activation.Backward(Buffer(Z, rows, Filters), Buffer(A, rows, Filters), g, delta);

        // ∂L/∂W = Pᵀ·δ ((C·k·k)×(m·H′W′) · (m·H′W′)×F), ∂L/∂b = the column sums of δ.
        MatrixProduct.TransposeFirstAndMultiply(patches.Matrix, delta.Matrix, WeightGradient);
        if (_bias is not null)
        {
            Span<T> biasGradient = _bias.Gradients;
            for (int f = 0; f < Filters; f++)
            {
                biasGradient[f] = TensorPrimitives.Sum<T>(delta.ColumnSpan(f));
            }
        }

        if (!computeInputGradient)
        {
            return null;
        }

        // ∂L/∂P = δ·Wᵀ, then each patch value's gradient is added to the pixel it was read from.
        Tensor<T> patchGradient = Buffer(PatchGradient, rows, PatchSize), inputGradient = Buffer(InputGradient, m, InputSize);
        MatrixProduct.MultiplyByTransposeOfSecond(delta.Matrix, Weights, patchGradient.Matrix);
        Col2Im(patchGradient, inputGradient);
        return inputGradient;
    }

    /// <summary>∂L/∂A seen as (m·H′W′)×F, without a copy when it is a tensor of its own storage (a copy otherwise).</summary>
    private Tensor<T> ViewOf(Tensor<T> outputGradient, int rows)
    {
        try
        {
            return View(GradientView, outputGradient, rows, Filters);
        }
        catch (NotSupportedException)
        {
            return View(GradientView, outputGradient.Clone(), rows, Filters); // a slice of a larger storage
        }
    }

    /// <summary>
    /// P[(q·m + i), c·k·k + u·k + v] = X[i, c·H·W + (y·s + u − p)·W + (x·s + v − p)] for position q = y·W′ + x, zero outside
    /// the image. X and P are stored column by column, so each copy moves the m samples of one pixel at once. Each column
    /// of P is written by one thread: the same numbers on any thread count.
    /// </summary>
    private void Im2Col(Tensor<T> input, Tensor<T> patches)
    {
        (_image, _patches) = (input, patches);
        _gather.Run(PatchSize, (long)patches.Rows * patches.Columns);
        (_image, _patches) = (null, null);
    }

    /// <summary>The reverse of <see cref="Im2Col"/>: ∂L/∂X[i, pixel] is the sum of ∂L/∂P over every patch entry read from that pixel, channel by channel (one thread per channel, the same order of sums on any thread count).</summary>
    private void Col2Im(Tensor<T> patchGradient, Tensor<T> inputGradient)
    {
        (_image, _patches) = (inputGradient, patchGradient);
        _scatter.Run(InputShape.Channels, (long)patchGradient.Rows * patchGradient.Columns);
        (_image, _patches) = (null, null);
    }

    /// <summary>Columns [first, last) of P from X.</summary>
    private void Gather(Span<T> x, Span<T> p, int m, int first, int last)
    {
        int k = KernelSize, height = InputShape.Height, width = InputShape.Width, outWidth = OutputShape.Width, rows = m * Positions;
        if (m == 1)
        {
            GatherOneSample(x, p, first, last);
            return;
        }

        int outHeight = OutputShape.Height;
        for (int column = first; column < last; column++)
        {
            int c = column / (k * k), u = column / k % k, v = column % k;
            Span<T> target = p.Slice(column * rows, rows);
            (int start, int end) = InsideRow(v, width, outWidth); // the same on every row of positions
            for (int oy = 0; oy < outHeight; oy++)
            {
                // One row of positions: the cells inside the image are ox in [start, end), the rest padding.
                Span<T> line = target.Slice(oy * outWidth * m, outWidth * m);
                int row = (oy * Stride) + u - Padding;
                if ((uint)row >= (uint)height || start >= end)
                {
                    line.Clear();
                    continue;
                }

                line[..(start * m)].Clear();
                line[(end * m)..].Clear();
                int source = (((c * height) + row) * width) + (start * Stride) + v - Padding;
                if (Stride == 1)
                {
                    x.Slice(source * m, (end - start) * m).CopyTo(line[(start * m)..]); // neighbouring pixels: one run
                    continue;
                }

                for (int ox = start; ox < end; ox++, source += Stride)
                {
                    x.Slice(source * m, m).CopyTo(line.Slice(ox * m, m));
                }
            }
        }
    }

    /// <summary>The output columns [start, end) whose filter cell <paramref name="v"/> falls inside a row of <paramref name="width"/> pixels.</summary>
    private (int Start, int End) InsideRow(int v, int width, int outWidth)
    {
        // col = ox·s + v − p must be in [0, width): ox ≥ (p − v)/s rounded up, ox ≤ (width − 1 + p − v)/s rounded down.
        int start = Math.Clamp(CeilingDivide(Padding - v, Stride), 0, outWidth);
        int end = Math.Min(outWidth, FloorDivide(width - 1 + Padding - v, Stride) + 1);
        return (start, Math.Max(start, end));

        static int FloorDivide(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
        static int CeilingDivide(int a, int b) => -FloorDivide(-a, b);
    }

    /// <summary>
    /// The same for one image (<c>predict</c>, the playground): a column of P is the image's values under one cell of the
    /// filter at every position, copied value by value — no slice of m samples to copy per position.
    /// </summary>
    private void GatherOneSample(ReadOnlySpan<T> x, Span<T> p, int first, int last)
    {
        int k = KernelSize, height = InputShape.Height, width = InputShape.Width;
        int outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        for (int column = first; column < last; column++)
        {
            int c = column / (k * k), u = column / k % k, v = column % k;
            Span<T> target = p.Slice(column * Positions, Positions);
            (int start, int end) = InsideRow(v, width, outWidth);
            int q = 0;
            for (int oy = 0; oy < outHeight; oy++)
            {
                int row = (oy * Stride) + u - Padding;
                if ((uint)row >= (uint)height)
                {
                    target.Slice(q, outWidth).Clear();
                    q += outWidth;
                    continue;
                }

                int plane = ((c * height) + row) * width;
                Span<T> line = target.Slice(q, outWidth);
                q += outWidth;
                for (int ox = 0; ox < start; ox++)
                {
                    line[ox] = T.Zero;
                }

                for (int ox = start, col = (start * Stride) + v - Padding; ox < end; ox++, col += Stride)
                {
                    line[ox] = x[plane + col]; // value by value: a row of an image is a few values, too short to pay for a copy call
                }

                for (int ox = end; ox < outWidth; ox++)
                {
                    line[ox] = T.Zero;
                }
            }
        }
    }

    /// <summary>Channels [first, last) of ∂L/∂X from ∂L/∂P.</summary>
    private void Scatter(Span<T> dx, Span<T> dp, int m, int first, int last)
    {
        int k = KernelSize, height = InputShape.Height, width = InputShape.Width, outWidth = OutputShape.Width, rows = m * Positions;
        dx.Slice(first * height * width * m, (last - first) * height * width * m).Clear();
        for (int c = first; c < last; c++)
        {
            for (int u = 0; u < k; u++)
            {
                for (int v = 0; v < k; v++)
                {
                    Span<T> column = dp.Slice(((((c * k) + u) * k) + v) * rows, rows);
                    (int start, int end) = InsideRow(v, width, outWidth);
                    for (int oy = 0; oy < OutputShape.Height; oy++)
                    {
                        int row = (oy * Stride) + u - Padding;
                        if ((uint)row >= (uint)height || start >= end)
                        {
                            continue;
                        }

                        // The same sums in the same order as position by position: each pixel's values get their
                        // contributions in the order of (u, v, position).
                        int pixel = (((c * height) + row) * width) + (start * Stride) + v - Padding, q = (oy * outWidth) + start;
                        if (Stride == 1)
                        {
                            Span<T> target = dx.Slice(pixel * m, (end - start) * m);
                            TensorPrimitives.Add<T>(target, column.Slice(q * m, (end - start) * m), target);
                            continue;
                        }

                        for (int ox = start; ox < end; ox++, q++, pixel += Stride)
                        {
                            Span<T> target = dx.Slice(pixel * m, m);
                            TensorPrimitives.Add<T>(target, column.Slice(q * m, m), target);
                        }
                    }
                }
            }
        }
    }

    /// <summary>F×H′×W′, or one line saying which size does not fit.</summary>
    private static FeatureShape OutputShapeOf(FeatureShape input, int filters, int kernel, int stride, int padding)
    {
        Preconditions.CheckPositive(filters, nameof(filters));
        Preconditions.CheckPositive(kernel, nameof(kernel));
        Preconditions.CheckPositive(stride, nameof(stride));
        if (padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"padding must be at least 0, but was {padding}.");
        }

        if (input.IsFlat && input.Channels > 1)
        {
            throw new ArgumentException($"conv2d needs an image (C×H×W) but the layer before gives {input.Size} flat values; start the network from an image shape such as 1×28×28.", nameof(input));
        }

        long paddedHeight = input.Height + (2L * padding), paddedWidth = input.Width + (2L * padding);
        if (kernel > paddedHeight || kernel > paddedWidth)
        {
            throw new ArgumentException($"conv2d: the {kernel}×{kernel} kernel is larger than the {input} image{(padding == 0 ? string.Empty : $" padded by {padding}")}; use a smaller kernel or more padding.", nameof(kernel));
        }

        long patch = checked((long)input.Channels * kernel * kernel);
        if (patch > Array.MaxLength || checked(patch * filters) > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(filters), string.Create(CultureInfo.InvariantCulture, $"conv2d: the weight matrix would be {patch:N0}×{filters:N0}, more than the {Array.MaxLength:N0} values an array holds; use fewer channels, filters or a smaller kernel."));
        }

        // Checked: a large padding makes an output that no row can hold, said here rather than wrapped into a small one.
        long height = ((paddedHeight - kernel) / stride) + 1, width = ((paddedWidth - kernel) / stride) + 1;
        if ((double)filters * height * width > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), string.Create(CultureInfo.InvariantCulture, $"conv2d: the output would be {filters:N0}×{height:N0}×{width:N0} values per image, more than the {Array.MaxLength:N0} a row holds; use less padding, a larger stride or fewer filters."));
        }

        return new FeatureShape(filters, (int)height, (int)width);
    }

    private static IInitializer? InitializerSetting(Arguments settings, string key)
        => settings.Get(key).Equals("auto", StringComparison.OrdinalIgnoreCase) ? null : settings.GetConcept(key, Registries.Initializers);
}
