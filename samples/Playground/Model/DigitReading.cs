using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Playground.Model;

/// <summary>
/// One digit through a convolutional network, every number kept: the 28×28 input as the network sees it, the output of
/// every layer (a convolution's or a pooling's feature maps, a dense layer's activations), the ten probabilities — and,
/// for any pixel of any feature map, where it looks in the input and how its value was computed.
/// </summary>
/// <remarks>
/// Images stay rows (the library's convention): a layer's output for one sample is C·H·W values, channel by channel, so
/// feature map c, pixel (y, x) is value <c>c·H·W + y·W + x</c>. The reading runs the network once, with
/// <see cref="Network{T}.Predict(Tensor{T})"/>, and reads each layer's <see cref="ILayer{T}.Output"/>.
/// </remarks>
public sealed class DigitReading
{
    /// <summary>Reads one 28×28 digit, MNIST's bytes (0 = paper, 255 = full ink), as the trainer's <c>predict</c> does: pixel/255.</summary>
    /// <param name="network">A network from 1×28×28 (or 784) inputs to 10 outputs.</param>
    /// <param name="pixels">784 bytes, row by row.</param>
    public DigitReading(Network<float> network, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != 784 || network.InputSize != 784 || network.OutputSize != 10)
        {
            throw new ArgumentException($"A digit is 784 pixels read by a network from 784 inputs to 10 outputs; got {pixels.Length} pixels and a network from {network.InputSize} to {network.OutputSize}.");
        }

        Network = network;
        Pixels = pixels;
        var x = new Tensor<float>(1, 784);
        for (int j = 0; j < 784; j++)
        {
            x[0, j] = pixels[j] / 255f;
        }

        Input = x.GetRow(0);
        float[] predictions = network.Predict(x).GetRow(0);
        Outputs = [.. network.Layers.Select(l => l.Output!.GetRow(0))];
        double sum = predictions.Sum(p => (double)p);
        Probabilities = [.. predictions.Select(p => p / sum)]; // a softmax head sums to 1 already; sigmoid outputs read as shares, as predict does
        Digit = Array.IndexOf(Probabilities, Probabilities.Max());
    }

    /// <summary>The network read with.</summary>
    public Network<float> Network { get; }

    /// <summary>The 784 bytes read.</summary>
    public byte[] Pixels { get; }

    /// <summary>X: the 784 inputs, pixel/255, as the network sees them.</summary>
    public float[] Input { get; }

    /// <summary>Each layer's output for this digit, in the order of <see cref="Network{T}.Layers"/>.</summary>
    public IReadOnlyList<float[]> Outputs { get; }

    /// <summary>The ten probabilities, digit 0 to 9.</summary>
    public double[] Probabilities { get; }

    /// <summary>The predicted digit: the most probable.</summary>
    public int Digit { get; }

    /// <summary>The shape of the values at <paramref name="stage"/>: 0 the input image, k the output of layer k − 1.</summary>
    /// <param name="stage">0 for the input, k for the output of layer k − 1.</param>
    public FeatureShape ShapeAt(int stage) => stage == 0 ? Network.InputShape : Network.Layers[stage - 1].OutputShape;

    /// <summary>The values at <paramref name="stage"/>: 0 the input, k the output of layer k − 1.</summary>
    public float[] ValuesAt(int stage) => stage == 0 ? Input : Outputs[stage - 1];

    /// <summary>
    /// Where a pixel of a feature map looks in the input: the square of input pixels its value depends on — one window
    /// of the first layer, widened by every convolution and pooling below it (a 5×5 convolution of a 2×2 pooling of a
    /// 5×5 convolution sees 14×14) — cut to the image.
    /// </summary>
    /// <param name="layer">The layer whose output the pixel is in.</param>
    /// <param name="y">The pixel's row.</param>
    /// <param name="x">The pixel's column.</param>
    /// <returns>The first row and column and the last (inclusive) in the 28×28 input.</returns>
    public (int Top, int Left, int Bottom, int Right) ReceptiveField(int layer, int y, int x)
    {
        int top = y, bottom = y, left = x, right = x;
        for (int l = layer; l >= 0; l--)
        {
            if (Window(Network.Layers[l]) is not { } w)
            {
                if (!Network.Layers[l].InputShape.IsFlat && Network.Layers[l].InputShape == Network.Layers[l].OutputShape)
                {
                    continue; // a layer that keeps every value where it is (dropout): the same pixels
                }

                FeatureShape all = Network.Layers[l].InputShape;
                return (0, 0, all.Height - 1, all.Width - 1); // a dense layer sees every input
            }

            top = (top * w.Stride) - w.Padding;
            left = (left * w.Stride) - w.Padding;
            bottom = (bottom * w.Stride) - w.Padding + w.Kernel - 1;
            right = (right * w.Stride) - w.Padding + w.Kernel - 1;
        }

        FeatureShape input = Network.InputShape;
        return (Math.Max(0, top), Math.Max(0, left), Math.Min(input.Height - 1, bottom), Math.Min(input.Width - 1, right));
    }

    /// <summary>
    /// For a max-pooling layer, which values of its input won: true at each value that is the largest of its window (the
    /// first in reading order on a tie, as <see cref="MaxPool2D{T}"/> picks it) — the only ones a gradient flows back to.
    /// </summary>
    /// <param name="layer">A <see cref="MaxPool2D{T}"/> layer of the network.</param>
    /// <returns>One flag per value of the layer's input, in its C·H·W order.</returns>
    public bool[] PoolWinners(int layer)
    {
        var pool = (MaxPool2D<float>)Network.Layers[layer];
        FeatureShape from = pool.InputShape, to = pool.OutputShape;
        float[] values = ValuesAt(layer);
        var won = new bool[values.Length];
        for (int c = 0; c < to.Channels; c++)
        {
            for (int y = 0; y < to.Height; y++)
            {
                for (int x = 0; x < to.Width; x++)
                {
                    won[Winner(pool, values, c, y, x)] = true;
                }
            }
        }

        return won;
    }

    /// <summary>How the value of feature map <paramref name="channel"/>, pixel (<paramref name="y"/>, <paramref name="x"/>), of a layer came about.</summary>
    /// <param name="layer">A <see cref="Conv2D{T}"/> or <see cref="MaxPool2D{T}"/> layer of the network.</param>
    /// <param name="channel">The feature map (filter).</param>
    /// <param name="y">The row.</param>
    /// <param name="x">The column.</param>
    /// <returns>The patch, the weights, the sums and the result; null for a layer of another kind.</returns>
    public PixelExplanation? Explain(int layer, int channel, int y, int x)
    {
        ILayer<float> l = Network.Layers[layer];
        FeatureShape from = l.InputShape, to = l.OutputShape;
        if (channel < 0 || channel >= to.Channels || y < 0 || y >= to.Height || x < 0 || x >= to.Width || Window(l) is not { } w)
        {
            return null;
        }

        float[] input = ValuesAt(layer);
        float value = Outputs[layer][(((channel * to.Height) + y) * to.Width) + x];
        int channels = l is Conv2D<float> ? from.Channels : 1;
        var patch = new float[channels, w.Kernel, w.Kernel];
        var weights = new float[channels, w.Kernel, w.Kernel];
        for (int c = 0; c < channels; c++)
        {
            int source = l is Conv2D<float> ? c : channel; // a pooling window stays in its own channel
            for (int i = 0; i < w.Kernel; i++)
            {
                for (int j = 0; j < w.Kernel; j++)
                {
                    int row = (y * w.Stride) - w.Padding + i, column = (x * w.Stride) - w.Padding + j;
                    bool inside = row >= 0 && row < from.Height && column >= 0 && column < from.Width;
                    patch[c, i, j] = inside ? input[(((source * from.Height) + row) * from.Width) + column] : 0; // zero padding
                }
            }
        }

        if (l is MaxPool2D<float> pool)
        {
            int winner = Winner(pool, input, channel, y, x) - (channel * from.Height * from.Width);
            int wi = (winner / from.Width) - ((y * w.Stride) - w.Padding), wj = (winner % from.Width) - ((x * w.Stride) - w.Padding);
            return new PixelExplanation(layer, channel, y, x, patch, null, 0, 0, value, null, (wi, wj), value);
        }

        var conv = (Conv2D<float>)l;
        double dot = 0;
        for (int c = 0; c < channels; c++)
        {
            for (int i = 0; i < w.Kernel; i++)
            {
                for (int j = 0; j < w.Kernel; j++)
                {
                    weights[c, i, j] = conv.Weights[(((c * w.Kernel) + i) * w.Kernel) + j, channel]; // row c·k·k + i·k + j, column f
                    dot += (double)patch[c, i, j] * weights[c, i, j];
                }
            }
        }

        double bias = conv.Bias.IsEmpty ? 0 : conv.Bias[channel];
        double z = dot + bias;
        return new PixelExplanation(layer, channel, y, x, patch, weights, dot, bias, z, conv.Activation, null, value);
    }

    /// <summary>The window of a convolution or pooling layer; null for any other kind.</summary>
    private static (int Kernel, int Stride, int Padding)? Window(ILayer<float> layer) => layer switch
    {
        Conv2D<float> c => (c.KernelSize, c.Stride, c.Padding),
        MaxPool2D<float> p => (p.KernelSize, p.Stride, p.Padding),
        _ => null,
    };

    /// <summary>The index, in the pool's input, of the value that won output (c, y, x): the first largest in reading order.</summary>
    private static int Winner(MaxPool2D<float> pool, float[] values, int c, int y, int x)
    {
        FeatureShape from = pool.InputShape;
        int best = -1;
        for (int i = 0; i < pool.KernelSize; i++)
        {
            for (int j = 0; j < pool.KernelSize; j++)
            {
                int row = (y * pool.Stride) - pool.Padding + i, column = (x * pool.Stride) - pool.Padding + j;
                if (row < 0 || row >= from.Height || column < 0 || column >= from.Width)
                {
                    continue;
                }

                int at = (((c * from.Height) + row) * from.Width) + column;
                if (best < 0 || values[at] > values[best])
                {
                    best = at;
                }
            }
        }

        return best;
    }
}

/// <summary>
/// How one feature-map value was computed. For a convolution: the patch of its input under the filter (channels × k × k),
/// the filter's weights (column f of W, row c·k·k + i·k + j for channel c, offset (i, j)), their dot product, the bias,
/// z = dot + b and a = σ(z). For a max-pooling: the window and which of its values won.
/// </summary>
/// <param name="Layer">The layer.</param>
/// <param name="Channel">The feature map.</param>
/// <param name="Y">The row.</param>
/// <param name="X">The column.</param>
/// <param name="Patch">The input values under the window, [channel, i, j] (zero where the window is over the padding).</param>
/// <param name="Weights">The filter, [channel, i, j]; null for a pooling.</param>
/// <param name="Dot">Σ patch·weights.</param>
/// <param name="Bias">b of the filter.</param>
/// <param name="Z">z = dot + b (for a pooling, the largest value).</param>
/// <param name="Activation">σ; null for a pooling.</param>
/// <param name="Winner">For a pooling, the winner's place (i, j) in the window.</param>
/// <param name="Value">The value the layer computed.</param>
public sealed record PixelExplanation(
    int Layer, int Channel, int Y, int X, float[,,] Patch, float[,,]? Weights, double Dot, double Bias, double Z,
    IActivation? Activation, (int I, int J)? Winner, float Value)
{
    /// <summary>σ(z), computed again here from z with the layer's own activation (the page shows both it and <see cref="Value"/>).</summary>
    public double Activated
    {
        get
        {
            if (Activation is null)
            {
                return Z;
            }

            var t = new Tensor<double>(1, 1);
            t[0, 0] = Z;
            Activation.Forward(t, t);
            return t[0, 0];
        }
    }
}
