using System.Globalization;
using System.Text;
using SkiaSharp;

namespace DigitTrainer;

/// <summary>
/// Turns a picture of one digit — a scan, a photo of paper, a drawing — into an MNIST-style 28×28 image: the paper removed
/// whatever its grey, the contrast stretched, white ink on black, the digit scaled so its longer side is 20 pixels and
/// placed so that its centre of mass is at the centre, as LeCun et al. prepared MNIST (see <see cref="ToMnist"/>).
/// </summary>
internal static class DigitImage
{
    public const int Size = 28;
    private const int Box = 20;

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
    /// Otsu's threshold: the value that splits <paramref name="values"/> (in [0, 1]) into two groups with the largest
    /// between-group variance — here paper (with its noise) and strokes.
    /// </summary>
    internal static float Otsu(float[] values)
    {
        const int Bins = 256;
        var histogram = new int[Bins];
        foreach (float v in values)
        {
            histogram[Math.Clamp((int)(v * (Bins - 1)), 0, Bins - 1)]++;
        }

        double total = values.Length, sumAll = 0;
        for (int b = 0; b < Bins; b++)
        {
            sumAll += b * (double)histogram[b];
        }

        double sumBelow = 0, countBelow = 0, best = -1;
        int threshold = 0;
        for (int b = 0; b < Bins; b++)
        {
            countBelow += histogram[b];
            sumBelow += b * (double)histogram[b];
            double countAbove = total - countBelow;
            if (countBelow == 0 || countAbove == 0)
            {
                continue;
            }

            double meanBelow = sumBelow / countBelow, meanAbove = (sumAll - sumBelow) / countAbove;
            double between = countBelow * countAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best)
            {
                best = between;
                threshold = b;
            }
        }

        return (threshold + 0.5f) / (Bins - 1);
    }

    /// <summary>
    /// Centres and scales a grey picture (0 = black) into MNIST's 28×28 bytes, white ink on black: (1) the paper's grey is
    /// the median of the border; (2) ink is each pixel's distance from it, towards the digit (a light paper is inverted);
    /// (3) Otsu's threshold separates strokes from paper noise and the ink is stretched from it to the strokes' 99th
    /// percentile; (4) the digit's bounding box is scaled so that its longer side is 20 pixels; (5) its centre of mass is
    /// put at the centre of the 28×28 image — the last two as LeCun et al. prepared MNIST.
    /// </summary>
    public static byte[] ToMnist(float[,] grey, string name)
    {
        int height = grey.GetLength(0), width = grey.GetLength(1);

        // 1. The paper: the median grey of the border (robust to a digit that touches the edge, and to noise).
        var borderValues = new List<float>(2 * (width + height));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1)
                {
                    borderValues.Add(grey[y, x]);
                }
            }
        }

        borderValues.Sort();
        float paper = borderValues[borderValues.Count / 2];

        // 2. Ink is how far a pixel is from the paper, towards the digit's side: MNIST digits are light on dark, photos and
        //    scans are usually dark on light, so a light paper is inverted. The paper itself becomes 0, whatever its grey.
        bool invert = paper > 0.5f;
        var ink = new float[height, width];
        var values = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                ink[y, x] = Math.Max(0, invert ? paper - grey[y, x] : grey[y, x] - paper);
                values[(y * width) + x] = ink[y, x];
            }
        }

        // 3. Otsu's threshold splits the ink values into paper noise and strokes; the strokes' 99th percentile is full ink.
        //    Contrast stretch: below half the threshold is 0 (paper), from there to that percentile 0 to 1.
        float threshold = Otsu(values);
        float[] strokes = [.. values.Where(v => v > threshold).Order()];
        if (strokes.Length == 0 || strokes[^1] < 0.05f)
        {
            throw new InvalidDataException($"{name}: the image is blank (no stroke stands out from the paper); it should show one digit.");
        }

        float full = strokes[Math.Min(strokes.Length - 1, (int)(0.99 * strokes.Length))];
        float floor = threshold / 2; // half-way to the paper: keeps the soft edges of strokes (MNIST is anti-aliased), above the noise
        int top = height, bottom = -1, left = width, right = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                ink[y, x] = Math.Clamp((ink[y, x] - floor) / Math.Max(full - floor, 1e-6f), 0, 1);
                if (ink[y, x] > 0.2f)
                {
                    top = Math.Min(top, y);
                    bottom = Math.Max(bottom, y);
                    left = Math.Min(left, x);
                    right = Math.Max(right, x);
                }
            }
        }

        if (bottom < 0)
        {
            throw new InvalidDataException($"{name}: the image is blank; it should show one digit.");
        }

        int boxHeight = bottom - top + 1, boxWidth = right - left + 1;
        double scale = (double)Box / Math.Max(boxHeight, boxWidth);
        int targetHeight = Math.Max(1, (int)Math.Round(boxHeight * scale)), targetWidth = Math.Max(1, (int)Math.Round(boxWidth * scale));
        float[,] scaled = Resample(ink, top, left, boxHeight, boxWidth, targetHeight, targetWidth);

        // Centre of mass of the scaled digit, moved to the centre of the 28×28 image.
        double mass = 0, cy = 0, cx = 0;
        for (int y = 0; y < targetHeight; y++)
        {
            for (int x = 0; x < targetWidth; x++)
            {
                mass += scaled[y, x];
                cy += y * scaled[y, x];
                cx += x * scaled[y, x];
            }
        }

        int offsetY = Math.Clamp((int)Math.Round((Size / 2.0) - 0.5 - (cy / mass)), 0, Size - targetHeight);
        int offsetX = Math.Clamp((int)Math.Round((Size / 2.0) - 0.5 - (cx / mass)), 0, Size - targetWidth);
        var pixels = new byte[Size * Size];
        float peak = 0;
        foreach (float v in scaled)
        {
            peak = Math.Max(peak, v);
        }

        for (int y = 0; y < targetHeight; y++)
        {
            for (int x = 0; x < targetWidth; x++)
            {
                pixels[((offsetY + y) * Size) + offsetX + x] = (byte)Math.Clamp((int)Math.Round(255 * scaled[y, x] / peak), 0, 255);
            }
        }

        return pixels;
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

    /// <summary>Area-averaging resample of a rectangle of <paramref name="source"/>, good for shrinking and enlarging alike.</summary>
    private static float[,] Resample(float[,] source, int top, int left, int height, int width, int targetHeight, int targetWidth)
    {
        var result = new float[targetHeight, targetWidth];
        double sy = (double)height / targetHeight, sx = (double)width / targetWidth;
        for (int ty = 0; ty < targetHeight; ty++)
        {
            double y0 = ty * sy, y1 = (ty + 1) * sy;
            for (int tx = 0; tx < targetWidth; tx++)
            {
                double x0 = tx * sx, x1 = (tx + 1) * sx;
                double sum = 0, area = 0;
                for (int y = (int)y0; y < Math.Min(height, (int)Math.Ceiling(y1)); y++)
                {
                    double wy = Math.Min(y + 1, y1) - Math.Max(y, y0);
                    for (int x = (int)x0; x < Math.Min(width, (int)Math.Ceiling(x1)); x++)
                    {
                        double wx = Math.Min(x + 1, x1) - Math.Max(x, x0);
                        sum += wy * wx * source[top + y, left + x];
                        area += wy * wx;
                    }
                }

                result[ty, tx] = area > 0 ? (float)(sum / area) : 0;
            }
        }

        return result;
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
