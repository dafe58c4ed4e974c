using System.Globalization;

namespace DeepLearning;

/// <summary>
/// The shape of one sample as a layer sees it: <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> for an
/// image (a grey 28×28 digit is 1×28×28, twenty feature maps of 24×24 are 20×24×24), or n for a flat vector of n features.
/// A sample is always stored as one row of <see cref="Size"/> = C·H·W values in channel-major order — value (c, h, w) in
/// column c·H·W + h·W + w, which is PyTorch's <c>flatten</c> order — so a batch stays an m×(C·H·W) <see cref="Tensor{T}"/>.
/// </summary>
/// <remarks>
/// A flat vector of n features is the shape n×1×1 (n channels of one pixel): the two are stored the same way, and
/// <see cref="IsFlat"/> tells them apart only for display. Every size is at least 1 and <see cref="Size"/> is computed
/// with checked 64-bit arithmetic.
/// </remarks>
/// <example>
/// <code>
/// var digit = new FeatureShape(1, 28, 28);   // digit.Size is 784, digit.ToString() is "1×28×28"
/// var hidden = FeatureShape.Flat(100);       // hidden.ToString() is "100"
/// </code>
/// </example>
public readonly record struct FeatureShape
{
    /// <summary>Creates the shape C×H×W.</summary>
    /// <param name="channels">C, at least 1.</param>
    /// <param name="height">H, at least 1.</param>
    /// <param name="width">W, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or C·H·W (computed in 64 bits) is more than a row can hold, <see cref="Array.MaxLength"/>.</exception>
    public FeatureShape(int channels, int height, int width)
    {
        Channels = Preconditions.CheckPositive(channels, nameof(channels));
        Height = Preconditions.CheckPositive(height, nameof(height));
        Width = Preconditions.CheckPositive(width, nameof(width));
        long size = (long)channels * height; // below 2⁶², so times another int below 2³¹ would wrap: check the first product first
        if (size > Array.MaxLength || size * width > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width),
                string.Create(CultureInfo.InvariantCulture, $"A sample of {channels:N0}×{height:N0}×{width:N0} values is more than the {Array.MaxLength:N0} a row can hold."));
        }
    }

    /// <summary>C, the number of channels (feature maps); for a flat vector, its number of features.</summary>
    public int Channels { get; }

    /// <summary>H, the height of each channel in pixels; 1 for a flat vector.</summary>
    public int Height { get; }

    /// <summary>W, the width of each channel in pixels; 1 for a flat vector.</summary>
    public int Width { get; }

    /// <summary>Whether this is a flat vector of features (H = W = 1) rather than an image.</summary>
    public bool IsFlat => Height == 1 && Width == 1;

    /// <summary>C·H·W, the number of values of one sample (the columns of a batch): at most <see cref="Array.MaxLength"/>, in 64 bits so that products with it do not wrap.</summary>
    public long Size => (long)Channels * Height * Width;

    /// <summary>H·W, the number of pixels of one channel.</summary>
    public long Pixels => (long)Height * Width;

    /// <summary>The shape of a flat vector of <paramref name="features"/> values.</summary>
    /// <param name="features">n, at least 1.</param>
    /// <returns>The shape n (stored as n×1×1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is less than 1.</exception>
    public static FeatureShape Flat(int features) => new(Preconditions.CheckPositive(features, nameof(features)), 1, 1);

    /// <summary>
    /// Parses a shape as <see cref="ToString"/> writes it: <c>784</c> for a flat vector, <c>1×28×28</c> (or <c>1x28x28</c>)
    /// for an image.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="shape">The shape, or the default.</param>
    /// <returns>Whether the text is a shape whose sizes are whole numbers of at least 1 with C·H·W at most <see cref="Array.MaxLength"/>.</returns>
    public static bool TryParse(string? text, out FeatureShape shape)
    {
        shape = default;
        string[] parts = (text ?? string.Empty).Split('×', 'x', 'X');
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out sizes[i]) || sizes[i] < 1)
            {
                return false;
            }
        }

        switch (sizes.Length)
        {
            case 1 when sizes[0] <= Array.MaxLength:
                shape = Flat(sizes[0]);
                return true;
            case 3 when (long)sizes[0] * sizes[1] <= Array.MaxLength && (long)sizes[0] * sizes[1] * sizes[2] <= Array.MaxLength:
                shape = new FeatureShape(sizes[0], sizes[1], sizes[2]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether a layer that expects <paramref name="expected"/> can take this shape: the same shape, or the same number of values when it expects a flat vector (a flat layer reads any sample as its C·H·W values).</summary>
    /// <param name="expected">The shape a layer expects.</param>
    /// <returns>Whether the shapes chain.</returns>
    public bool ChainsTo(FeatureShape expected) => this == expected || (expected.IsFlat && Size == expected.Size);

    /// <summary>Writes <c>784</c> for a flat vector, <c>20×24×24</c> for an image.</summary>
    /// <returns>The shape as text.</returns>
    public override string ToString()
        => IsFlat
            ? Channels.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{Channels}×{Height}×{Width}");
}
