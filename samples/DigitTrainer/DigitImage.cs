using System.Globalization;
using System.Text;
using SkiaSharp;

namespace DigitTrainer;

/// <summary>
/// Turns a picture of one digit — a scan, a photo of paper, a drawing — into an MNIST-style 28×28 image: the paper removed
/// whatever its grey, the contrast stretched, white ink on black, the digit scaled so its longer side is 20 pixels and
/// placed so that its centre of mass is at the centre, as LeCun et al. prepared MNIST (see <see cref="ToMnist"/>).
/// </summary>
internal static partial class DigitImage
{
    /// <summary>The largest picture accepted, in pixels (for example 8000×5000): checked from the header, before decoding.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>The largest image file accepted, in bytes.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Loads a PNG (or any format SkiaSharp decodes) or a PGM (P2 or P5) file as grey levels in [0, 1], 0 = black.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable image, is truncated, or is larger than <see cref="MaxPixels"/>.</exception>
    public static float[,] LoadGrey(string path)
    {
        string name = Path.GetFileName(path);
        byte[] bytes = DeepLearning.IO.BoundedFile.ReadAllBytes(path, MaxFileBytes, "an image"); // a regular file, opened once, its size capped
        if (bytes.Length >= 2 && bytes[0] == 'P' && (bytes[1] == '2' || bytes[1] == '5'))
        {
            return ParsePgm(bytes, name);
        }

        string unreadable = $"{name}: not an image this program can read (PNG, JPEG, BMP, GIF, WebP or PGM).";
        using var data = SKData.CreateCopy(bytes);
        using SKCodec codec = SKCodec.Create(data) ?? throw new InvalidDataException(unreadable); // null for unknown formats
        (int width, int height) = (codec.Info.Width, codec.Info.Height);
        CheckPixels(width, height, name);
        var imageInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(imageInfo);
        SKCodecResult result = codec.GetPixels(imageInfo, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new InvalidDataException(result == SKCodecResult.IncompleteInput
                ? $"{name}: the image is truncated (its data ends before its last row)."
                : $"{name}: the image data is corrupt ({result}).");
        }

        var grey = new float[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                float luminance = ((0.299f * c.Red) + (0.587f * c.Green) + (0.114f * c.Blue)) / 255f;
                float alpha = c.Alpha / 255f;
                grey[y, x] = (luminance * alpha) + (1 - alpha); // transparent areas count as white paper
            }
        }

        return grey;
    }

    private static void CheckPixels(long width, long height, string name)
    {
        if (width < 1 || height < 1 || width * height > MaxPixels)
        {
            throw new InvalidDataException($"{name}: the image is {width:N0}×{height:N0} pixels; this program reads images of 1 to {MaxPixels:N0} pixels. Crop or shrink it around the digit.");
        }
    }

    /// <summary>Parses a plain (P2) or raw (P5) 8-bit PGM.</summary>
    public static float[,] ParsePgm(byte[] bytes, string name)
    {
        int position = 2;
        int[] header = new int[3];
        for (int k = 0; k < 3; k++)
        {
            header[k] = ReadNumber(bytes, ref position, name);
        }

        (int width, int height, int max) = (header[0], header[1], header[2]);
        if (max < 1 || max > 255)
        {
            throw new InvalidDataException($"{name}: unsupported PGM header {width}×{height}, maximum {max} (8-bit grey images only).");
        }

        CheckPixels(width, height, name);

        var grey = new float[height, width];
        bool raw = bytes[1] == '5';
        position++; // the single whitespace after the maximum
        if (raw && bytes.Length - position < (long)width * height)
        {
            throw new InvalidDataException($"{name}: truncated PGM: {width}×{height} pixels announced, {bytes.Length - position} bytes present.");
        }

        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int value = raw ? bytes[position++] : ReadNumber(bytes, ref position, name);
                grey[y, x] = Math.Min(value, max) / (float)max;
            }
        }

        return grey;
    }

    /// <summary>
    /// Draws digits side by side in text, 31 columns each (|28 pixels| and a space), as many per row as fit in
    /// <paramref name="width"/> columns — whole digits only, never a digit cut across lines — with each caption above.
    /// </summary>
    public static string Draw(IReadOnlyList<ReadOnlyMemory<byte>> images, IReadOnlyList<string> captions, int width = 80)
    {
        const string Shades = " .:-=+*#%@";
        const int Column = Size + 3;
        int perRow = Math.Max(1, (width + 1) / Column); // the last digit of a row needs no trailing space
        var text = new StringBuilder();
        for (int first = 0; first < images.Count; first += perRow)
        {
            int last = Math.Min(images.Count, first + perRow);
            for (int i = first; i < last; i++)
            {
                text.Append(captions[i].PadRight(Column)[..(Column - 1)]);
                text.Append(i + 1 < last ? " " : string.Empty);
            }

            text.Append('\n');
            for (int row = 0; row < Size; row += 2)
            {
                for (int i = first; i < last; i++)
                {
                    ReadOnlySpan<byte> pixels = images[i].Span;
                    text.Append('|');
                    for (int x = 0; x < Size; x++)
                    {
                        int value = (pixels[(row * Size) + x] + pixels[((row + 1) * Size) + x]) / 2;
                        text.Append(Shades[value * (Shades.Length - 1) / 255]);
                    }

                    text.Append(i + 1 < last ? "| " : "|");
                }

                text.Append('\n');
            }
        }

        return text.ToString().Replace("\n", Environment.NewLine, StringComparison.Ordinal);
    }

    private static int ReadNumber(byte[] bytes, ref int position, string name)
    {
        while (position < bytes.Length && (char.IsWhiteSpace((char)bytes[position]) || bytes[position] == '#'))
        {
            if (bytes[position] == '#')
            {
                while (position < bytes.Length && bytes[position] != '\n')
                {
                    position++;
                }
            }
            else
            {
                position++;
            }
        }

        int start = position;
        while (position < bytes.Length && char.IsAsciiDigit((char)bytes[position]))
        {
            position++;
        }

        if (start == position || !int.TryParse(bytes.AsSpan(start, position - start), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new InvalidDataException($"{name}: malformed or truncated PGM (a number was expected at byte {start}).");
        }

        return value;
    }
}
