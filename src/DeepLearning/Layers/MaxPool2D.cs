using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DeepLearning.Compute;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// Max-pooling: each channel of a C×H×W image is cut into k×k windows (a step of s between them, k by default) and each
/// window gives its largest value — a smaller image that keeps where a feature was strongly found, roughly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> Input C×H×W, output C×H′×W′ with H′ = (H + 2p − k)/s + 1 (rounded down; padding p counts as −∞), each
/// sample a row in channel-major order. No parameters.
/// </para>
/// <para>
/// <b>Backward</b>: each window's gradient goes to its winner, the largest value — on a tie, the first in row-major
/// order, as PyTorch does; every other input gets 0 from that window (overlapping windows add up).
/// </para>
/// <para>
/// PyTorch: <c>nn.MaxPool2d(k, stride=s, padding=p)</c>; ONNX: <c>MaxPool</c>. Registry name <c>maxpool2d(kernel,
/// stride = 0, padding = 0)</c>, where stride 0 means k: <c>maxpool2d(2)</c> halves 24×24 to 12×12. Not thread-safe.
/// </para>
/// </remarks>
public sealed class MaxPool2D<T> : Layer<T>, ILayerKind<MaxPool2D<T>, T>
    where T : struct, IFloatingPointIeee754<T>
{
    private const int OutputSlot = 0, InputGradientSlot = 1;
    private readonly PartedWork _forward, _backward;
    private int[] _winners = [];
    private Tensor<T>? _input, _output, _outputGradient, _inputGradient; // while a pass runs on the worker threads

    /// <summary>Creates a max-pooling layer over images of shape <paramref name="input"/>.</summary>
    /// <param name="input">C×H×W, the shape of one input image.</param>
    /// <param name="kernel">k, the side of each square window.</param>
    /// <param name="stride">s, the step between windows; k when 0 (windows side by side).</param>
    /// <param name="padding">p, the −∞ added on each side; at most k/2, as in PyTorch.</param>
    /// <exception cref="ArgumentException">The window is larger than the padded image, a size is not positive, or the padding is more than k/2.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One constructor.")]
    public MaxPool2D(FeatureShape input, int kernel, int stride = 0, int padding = 0)
        : base(input, OutputShapeOf(input, kernel, stride, padding))
    {
        (KernelSize, Stride, Padding) = (kernel, stride == 0 ? kernel : stride, padding);
        _forward = new PartedWork((first, last) => ForwardChannels(_input!, _output!, first, last));
        _backward = new PartedWork((first, last) => BackwardChannels(_outputGradient!, _inputGradient!, first, last));
    }

    /// <summary>k, the side of the windows.</summary>
    public int KernelSize { get; }

    /// <summary>s, the step between windows.</summary>
    public int Stride { get; }

    /// <summary>p, the padding on every side (never chosen: it counts as −∞).</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    /// <remarks><c>MaxPool2D(C×H×W→C×H′×W′)</c>, for example <c>MaxPool2D(20×24×24→20×12×12)</c>.</remarks>
    public override string Name => $"MaxPool2D({InputShape}→{OutputShape})";

    /// <inheritdoc/>
    public override LayerSummary Summary => new(
        string.Create(CultureInfo.InvariantCulture, $"max {KernelSize}×{KernelSize}{(Stride == KernelSize ? string.Empty : $" stride {Stride}")}{(Padding == 0 ? string.Empty : $" pad {Padding}")}"),
        "—");

    /// <inheritdoc/>
    protected override Arguments Settings => new(("kernel", Text(KernelSize)), ("stride", Text(Stride)), ("padding", Text(Padding)));

    /// <inheritdoc/>
    /// <remarks>No parameters; per sample the output and the winners (C·H′·W′ each) and ∂L/∂X (C·H·W).</remarks>
    public static LayerPlan Plan(Arguments settings, FeatureShape input)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        FeatureShape output = OutputShapeOf(input, settings.GetSize("kernel"), settings.GetSize("stride", 0), settings.GetSize("padding", 0));
        return new LayerPlan(output, 0, checked((2 * output.Size) + input.Size));
    }

    /// <inheritdoc/>
    public static MaxPool2D<T> Create(Arguments settings, FeatureShape input, Random random)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        return new MaxPool2D<T>(input, settings.GetSize("kernel"), settings.GetSize("stride", 0), settings.GetSize("padding", 0));
    }

    /// <summary>Writes <c>MaxPool</c> (after a Reshape to [m, C, H, W] when the value before holds rows).</summary>
    /// <param name="graph">The graph being written.</param>
    public override void ExportOnnx(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.ToImage(InputShape);
        graph.Apply("MaxPool", [graph.Current], "pool", ("kernel_shape", new long[] { KernelSize, KernelSize }), ("strides", new long[] { Stride, Stride }), ("pads", new long[] { Padding, Padding, Padding, Padding }));
    }

    /// <summary><c>MaxPool2d(k, stride=s, padding=p)</c>, which holds no tensors.</summary>
    /// <param name="sequence">The sequence being described.</param>
    public override void ExportTorch(TorchSequential<T> sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        sequence.Add(string.Create(CultureInfo.InvariantCulture, $"MaxPool2d({KernelSize}{(Stride == KernelSize ? string.Empty : $", stride={Stride}")}{(Padding == 0 ? string.Empty : $", padding={Padding}")})"));
    }

    /// <inheritdoc/>
    protected override Tensor<T> ForwardCore(Tensor<T> input, bool training)
    {
        int m = input.Rows;
        Tensor<T> output = Buffer(OutputSlot, m, OutputSize);
        if (_winners.Length != checked(m * OutputSize))
        {
            _winners = new int[m * OutputSize];
        }

        // Stored column by column, every (channel, pixel) holds its m samples side by side: a window compares whole columns.
        // Each channel is one unit of work: the threads never write the same values.
        (_input, _output) = (input, output);
        _forward.Run(InputShape.Channels, (long)m * InputSize);
        (_input, _output) = (null, null);
        return output;
    }

    /// <summary>Channels [firstChannel, lastChannel) of the forward pass: the largest value of each window and where it was.</summary>
    private void ForwardChannels(Tensor<T> input, Tensor<T> output, int firstChannel, int lastChannel)
    {
        int m = input.Rows, height = InputShape.Height, width = InputShape.Width, outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        Span<T> x = input.AsSpan(), a = output.AsSpan();
        if (m == 1)
        {
            ForwardOneSample(x, a, firstChannel, lastChannel);
            return;
        }

        if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated && Vector<float>.Count == Vector<int>.Count && m >= Vector<float>.Count)
        {
            unsafe
            {
                fixed (float* xf = MemoryMarshal.Cast<T, float>(x), af = MemoryMarshal.Cast<T, float>(a))
                fixed (int* winners = _winners)
                {
                    ForwardChannelsOfFloats(xf, af, winners, m, firstChannel, lastChannel);
                }
            }

            return;
        }

        for (int c = firstChannel; c < lastChannel; c++)
        {
            for (int y = 0; y < outHeight; y++)
            {
                for (int xo = 0; xo < outWidth; xo++)
                {
                    int column = (((c * outHeight) + y) * outWidth) + xo;
                    Span<T> best = a.Slice(column * m, m);
                    Span<int> winner = _winners.AsSpan(column * m, m);
                    bool first = true;

                    // Only the window's cells inside the image: padding is −∞, never the winner, so a window larger than
                    // the image costs no more than the image (the padding is at most k/2, so y·s − p + k stays in range).
                    int top = (y * Stride) - Padding, left = (xo * Stride) - Padding;
                    int rowEnd = Math.Min(top + KernelSize, height), colEnd = Math.Min(left + KernelSize, width);
                    for (int row = Math.Max(top, 0); row < rowEnd; row++)
                    {
                        for (int col = Math.Max(left, 0); col < colEnd; col++)
                        {
                            int pixel = (c * height * width) + (row * width) + col;
                            ReadOnlySpan<T> candidate = x.Slice(pixel * m, m);
                            if (first)
                            {
                                candidate.CopyTo(best);
                                winner.Fill(pixel);
                                first = false;
                                continue;
                            }

                            for (int i = 0; i < m; i++)
                            {
                                if (candidate[i] > best[i] || (T.IsNaN(candidate[i]) && !T.IsNaN(best[i])))
                                {
                                    best[i] = candidate[i]; // strictly larger: a tie keeps the first in row-major order
                                    winner[i] = pixel;
                                }
                            }
                        }
                    }
                }
            }
        }

    }

    /// <summary>
    /// The same for one sample (one image read, as <c>predict</c> and the playground do): no columns of samples to compare
    /// side by side, so each window is a few scalar comparisons — the same winners, the same rule for ties and NaN.
    /// </summary>
    private void ForwardOneSample(ReadOnlySpan<T> x, Span<T> a, int firstChannel, int lastChannel)
    {
        int height = InputShape.Height, width = InputShape.Width, outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        Span<int> winners = _winners;
        if (typeof(T) == typeof(float) && KernelSize == 2 && Stride == 2 && Padding == 0 && Vector128.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            unsafe
            {
                fixed (float* xf = MemoryMarshal.Cast<T, float>(x), af = MemoryMarshal.Cast<T, float>(a))
                fixed (int* w = winners)
                {
                    ForwardOneSampleTwoByTwo(xf, af, w, firstChannel, lastChannel);
                }
            }

            return;
        }

        for (int c = firstChannel; c < lastChannel; c++)
        {
            int plane = c * height * width;
            for (int y = 0; y < outHeight; y++)
            {
                int top = (y * Stride) - Padding, rowEnd = Math.Min(top + KernelSize, height);
                for (int xo = 0; xo < outWidth; xo++)
                {
                    int left = (xo * Stride) - Padding, colEnd = Math.Min(left + KernelSize, width);
                    int winner = plane + (Math.Max(top, 0) * width) + Math.Max(left, 0);
                    T best = x[winner];
                    for (int row = Math.Max(top, 0); row < rowEnd; row++)
                    {
                        for (int col = Math.Max(left, 0), pixel = plane + (row * width) + col; col < colEnd; col++, pixel++)
                        {
                            T candidate = x[pixel];
                            if (candidate > best || (T.IsNaN(candidate) && !T.IsNaN(best)))
                            {
                                best = candidate; // strictly larger: a tie keeps the first in row-major order
                                winner = pixel;
                            }
                        }
                    }

                    int column = (((c * outHeight) + y) * outWidth) + xo;
                    a[column] = best;
                    winners[column] = winner;
                }
            }
        }
    }

    /// <summary>
    /// One sample through 2×2 windows of stride 2 (Nielsen's pooling): four windows side by side in a 128-bit vector. A
    /// row's eight values are the (left, right) pairs of four windows; the low and high halves of each 64-bit pair are the
    /// windows' left and right cells. The four cells are compared in row-major order by the scalar rule (strictly larger
    /// wins, a NaN wins over a number), so the maxima and winners are the scalar path's, bit for bit.
    /// </summary>
    private unsafe void ForwardOneSampleTwoByTwo(float* x, float* a, int* winners, int firstChannel, int lastChannel)
    {
        int height = InputShape.Height, width = InputShape.Width, outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        Vector128<int> lanes = Vector128.Create(0, 2, 4, 6), right = Vector128<int>.One, below = Vector128.Create(width), belowRight = Vector128.Create(width + 1);
        for (int c = firstChannel; c < lastChannel; c++)
        {
            for (int y = 0; y < outHeight; y++)
            {
                int top = (c * height * width) + (2 * y * width), column = ((c * outHeight) + y) * outWidth, xo = 0;
                for (; xo + 4 <= outWidth; xo += 4)
                {
                    int pixel = top + (2 * xo);
                    (Vector128<float> upperLeft, Vector128<float> upperRight) = Halves(x + pixel);
                    (Vector128<float> lowerLeft, Vector128<float> lowerRight) = Halves(x + pixel + width);
                    Vector128<int> index = Vector128.Create(pixel) + lanes, winner = index;
                    Vector128<float> best = upperLeft;
                    Take(upperRight, index + right, ref best, ref winner);
                    Take(lowerLeft, index + below, ref best, ref winner);
                    Take(lowerRight, index + belowRight, ref best, ref winner);
                    best.Store(a + column + xo);
                    winner.Store(winners + column + xo);
                }

                for (; xo < outWidth; xo++)
                {
                    int pixel = top + (2 * xo), winner = pixel;
                    float best = x[pixel];
                    foreach (int cell in (ReadOnlySpan<int>)[pixel + 1, pixel + width, pixel + width + 1])
                    {
                        if (x[cell] > best || (float.IsNaN(x[cell]) && !float.IsNaN(best)))
                        {
                            (best, winner) = (x[cell], cell);
                        }
                    }

                    a[column + xo] = best;
                    winners[column + xo] = winner;
                }
            }
        }

        static (Vector128<float> Left, Vector128<float> Right) Halves(float* row)
        {
            Vector128<ulong> first = Vector128.Load((ulong*)row), second = Vector128.Load((ulong*)(row + 4));
            return (Vector128.Narrow(first, second).AsSingle(),
                Vector128.Narrow(Vector128.ShiftRightLogical(first, 32), Vector128.ShiftRightLogical(second, 32)).AsSingle());
        }

        static void Take(Vector128<float> candidate, Vector128<int> pixel, ref Vector128<float> best, ref Vector128<int> winner)
        {
            Vector128<float> take = Vector128.GreaterThan(candidate, best) | (~Vector128.Equals(candidate, candidate) & Vector128.Equals(best, best));
            best = Vector128.ConditionalSelect(take, candidate, best);
            winner = Vector128.ConditionalSelect(take.AsInt32(), pixel, winner);
        }
    }

    /// <inheritdoc/>
    protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient)
    {
        if (!computeInputGradient)
        {
            return null;
        }

        int m = input.Rows;
        Tensor<T> inputGradient = Buffer(InputGradientSlot, m, InputSize);
        (_outputGradient, _inputGradient) = (outputGradient, inputGradient);
        _backward.Run(InputShape.Channels, (long)m * InputSize);
        (_outputGradient, _inputGradient) = (null, null);
        return inputGradient;
    }

    /// <summary>Channels [first, last) of the backward pass: each window's gradient to its winner, zero elsewhere.</summary>
    private void BackwardChannels(Tensor<T> outputGradient, Tensor<T> inputGradient, int first, int last)
    {
        int m = inputGradient.Rows, inputPixels = InputShape.Height * InputShape.Width, outputPixels = OutputShape.Height * OutputShape.Width;
        Span<T> dx = inputGradient.AsSpan();
        dx.Slice(first * inputPixels * m, (last - first) * inputPixels * m).Clear();
        Span<T> g = outputGradient.AsSpan();
        for (int column = first * outputPixels; column < last * outputPixels; column++)
        {
            ReadOnlySpan<int> winner = _winners.AsSpan(column * m, m);
            ReadOnlySpan<T> gradient = g.Slice(column * m, m);
            for (int i = 0; i < m; i++)
            {
                dx[(winner[i] * m) + i] += gradient[i];
            }
        }
    }

    /// <summary>
    /// The loop above for floats and at least one vector of samples: a vector of samples at a time goes through the whole
    /// window in registers — the first cell is the best so far, and where a later cell is larger (or is NaN where the best
    /// is not) it becomes the best and its pixel the winner — and is stored once. When m is not a multiple of the vector,
    /// the last vector overlaps the one before and computes the shared samples again, to the same values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void ForwardChannelsOfFloats(float* x, float* a, int* winners, int m, int firstChannel, int lastChannel)
    {
        int height = InputShape.Height, width = InputShape.Width, outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        int w = Vector<float>.Count;
        for (int c = firstChannel; c < lastChannel; c++)
        {
            for (int y = 0; y < outHeight; y++)
            {
                int top = (y * Stride) - Padding, rowStart = Math.Max(top, 0), rowEnd = Math.Min(top + KernelSize, height);
                for (int xo = 0; xo < outWidth; xo++)
                {
                    int left = (xo * Stride) - Padding, colStart = Math.Max(left, 0), colEnd = Math.Min(left + KernelSize, width);
                    long column = ((((long)c * outHeight) + y) * outWidth) + xo;
                    float* best = a + (column * m);
                    int* winner = winners + (column * m);
                    int plane = c * height * width;
                    for (int i = 0; ; i += w)
                    {
                        // One vector of samples through the whole window, the best and the winner kept in registers.
                        i = Math.Min(i, m - w);
                        int firstPixel = plane + (rowStart * width) + colStart;
                        Vector<float> b = Unsafe.ReadUnaligned<Vector<float>>(x + ((long)firstPixel * m) + i);
                        var index = new Vector<int>(firstPixel);
                        for (int row = rowStart; row < rowEnd; row++)
                        {
                            for (int col = row == rowStart ? colStart + 1 : colStart; col < colEnd; col++)
                            {
                                int pixel = plane + (row * width) + col;
                                Vector<float> v = Unsafe.ReadUnaligned<Vector<float>>(x + ((long)pixel * m) + i);
                                Vector<int> take = Vector.GreaterThan(v, b) | Vector.AndNot(Vector.Equals(b, b), Vector.Equals(v, v));
                                b = Vector.ConditionalSelect(take, v, b);
                                index = Vector.ConditionalSelect(take, new Vector<int>(pixel), index);
                            }
                        }

                        Unsafe.WriteUnaligned(best + i, b);
                        Unsafe.WriteUnaligned(winner + i, index);
                        if (i == m - w)
                        {
                            break;
                        }
                    }
                }
            }
        }
    }

    /// <summary>C×H′×W′, or one line saying which size does not fit.</summary>
    private static FeatureShape OutputShapeOf(FeatureShape input, int kernel, int stride, int padding)
    {
        Preconditions.CheckPositive(kernel, nameof(kernel));
        if (stride < 0 || padding < 0)
        {
            throw new ArgumentOutOfRangeException(stride < 0 ? nameof(stride) : nameof(padding), $"maxpool2d: stride and padding must be at least 0, but were {stride} and {padding}.");
        }

        if (padding > kernel / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(padding), padding, $"maxpool2d: padding {padding} is more than half the {kernel}×{kernel} window (PyTorch's limit too).");
        }

        if (input.IsFlat && input.Channels > 1)
        {
            throw new ArgumentException($"maxpool2d needs an image (C×H×W) but the layer before gives {input.Size} flat values; start the network from an image shape such as 1×28×28.", nameof(input));
        }

        int step = stride == 0 ? kernel : stride;
        long paddedHeight = input.Height + (2L * padding), paddedWidth = input.Width + (2L * padding);
        if (kernel > paddedHeight || kernel > paddedWidth)
        {
            throw new ArgumentException($"maxpool2d: the {kernel}×{kernel} window is larger than the {input} image; use a smaller window.", nameof(kernel));
        }

        return new FeatureShape(input.Channels, (int)(((paddedHeight - kernel) / step) + 1), (int)(((paddedWidth - kernel) / step) + 1));
    }
}
