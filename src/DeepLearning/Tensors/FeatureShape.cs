using System.Globalization;

namespace DeepLearning;

/// <summary>
/// The shape of one sample as a layer sees it: <see cref="Channels"/>×<see cref="Height"/>×<see cref="Width"/> for an
/// image (a grey 28×28 digit is 1×28×28, twenty feature maps of 24×24 are 20×24×24), T×D for a sequence of T positions
/// with D features each (16×64: sixteen characters of a name, each a vector of 64), or n for a flat vector of n features.
/// A sample is always stored as one row of <see cref="Size"/> values, so a batch stays an m×<see cref="Size"/>
/// <see cref="Tensor{T}"/>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Images</b> are stored channel-major: value (c, h, w) in column c·H·W + h·W + w, which is PyTorch's <c>flatten</c>
/// order. A flat vector of n features is the shape n×1×1 (n channels of one pixel): the two are stored the same way, and
/// <see cref="IsFlat"/> tells them apart only for display.
/// </para>
/// <para>
/// <b>Sequences</b> are stored feature-major, like a 1-D image of D channels and T pixels: feature d of position t in
/// column d·T + t (PyTorch's <c>x.transpose(1, 2).flatten(1)</c> of a <c>batch_first</c> [m, T, D] tensor, or the layout of
/// <c>nn.Conv1d</c>'s [m, D, T] input). Why: the library's tensors are stored column by column, so an m×(D·T) batch in
/// this order is, without a copy, the (m·T)×D matrix of every position of every sample (row t·m + i is position t of
/// sample i). A layer applied at every position — a dense layer, a layer normalization — is then one matrix operation
/// over all positions, and a loss that scores every position is the ordinary loss of that matrix's rows.
/// Internally a sequence is D×1×T with <see cref="IsSequence"/> set.
/// </para>
/// <para>Every size is at least 1 and <see cref="Size"/> is computed with checked 64-bit arithmetic.</para>
/// </remarks>
/// <example>
/// <code>
/// var digit = new FeatureShape(1, 28, 28);         // digit.Size is 784, digit.ToString() is "1×28×28"
/// var hidden = FeatureShape.Flat(100);             // hidden.ToString() is "100"
/// var name = FeatureShape.Sequence(16, 64);        // 16 positions of 64 features: "16×64", Size 1,024
/// var ids = FeatureShape.Sequence(16, 1);          // 16 token ids, the input of an embedding: "16×1"
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

    /// <summary>The shape of a sequence of <paramref name="positions"/> positions with <paramref name="features"/> features each (T×D), stored feature-major.</summary>
    /// <param name="positions">T, at least 1.</param>
    /// <param name="features">D, at least 1; 1 for a sequence of token ids.</param>
    /// <returns>The shape T×D.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1, or T·D is more than a row can hold.</exception>
    public static FeatureShape Sequence(int positions, int features)
        => new FeatureShape(Preconditions.CheckPositive(features, nameof(features)), 1, Preconditions.CheckPositive(positions, nameof(positions))) { IsSequence = true };

    /// <summary>Whether this is a sequence T×D (see <see cref="Sequence"/>) rather than an image or a flat vector.</summary>
    public bool IsSequence { get; private init; }

    /// <summary>T, the positions of a sequence; 1 for an image or a flat vector.</summary>
    public int Positions => IsSequence ? Width : 1;

    /// <summary>D, the features of each position of a sequence; for an image or a flat vector, all its values (C·H·W).</summary>
    public int Features => IsSequence ? Channels : (int)Size;

    /// <summary>C, the number of channels (feature maps); for a flat vector, its number of features; for a sequence, D.</summary>
    public int Channels { get; }

    /// <summary>H, the height of each channel in pixels; 1 for a flat vector.</summary>
    public int Height { get; }

    /// <summary>W, the width of each channel in pixels; 1 for a flat vector.</summary>
    public int Width { get; }

    /// <summary>Whether this is a flat vector of features (H = W = 1) rather than an image or a sequence.</summary>
    public bool IsFlat => !IsSequence && Height == 1 && Width == 1;

    /// <summary>C·H·W, the number of values of one sample (the columns of a batch): at most <see cref="Array.MaxLength"/>, in 64 bits so that products with it do not wrap.</summary>
    public long Size => (long)Channels * Height * Width;

    /// <summary>H·W, the number of pixels of one channel; for a sequence, T (its positions, the values of one feature).</summary>
    public long Pixels => (long)Height * Width;

    /// <summary>The shape of a flat vector of <paramref name="features"/> values.</summary>
    /// <param name="features">n, at least 1.</param>
    /// <returns>The shape n (stored as n×1×1).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> is less than 1.</exception>
    public static FeatureShape Flat(int features) => new(Preconditions.CheckPositive(features, nameof(features)), 1, 1);

    /// <summary>
    /// Parses a shape as <see cref="ToString"/> writes it: <c>784</c> for a flat vector, <c>16×64</c> for a sequence (T×D),
    /// <c>1×28×28</c> (or <c>1x28x28</c>) for an image.
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
            case 2 when (long)sizes[0] * sizes[1] <= Array.MaxLength:
                shape = Sequence(sizes[0], sizes[1]);
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

    /// <summary>Writes <c>784</c> for a flat vector, <c>16×64</c> for a sequence (T×D), <c>20×24×24</c> for an image.</summary>
    /// <returns>The shape as text.</returns>
    public override string ToString()
        => IsSequence
            ? string.Create(CultureInfo.InvariantCulture, $"{Positions}×{Features}")
            : IsFlat
                ? Channels.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{Channels}×{Height}×{Width}");
}
