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

    /// <summary>How <see cref="ToMnist"/> prepares a picture, in words, for --help.</summary>
    public const string Preparation = "the paper is estimated around every pixel (after smoothing out sensor noise, a morphological closing over a square a quarter of the picture wide, which follows uneven light and shadows but not strokes); ink is each pixel's darkness relative to the paper around it (dark ink on light paper is inverted); Otsu's threshold separates strokes from paper noise and the ink is stretched from it to the strokes' 99th percentile; specks (pieces under a tenth of the largest stroke's size) are dropped; the digit's box is scaled to 20 pixels on its longer side and its centre of mass put at the centre of 28×28, as MNIST was made.";

    /// <summary>The longest side a picture is worked on at; larger ones are first shrunk to it (the digit ends up 20 pixels tall).</summary>
    private const int WorkingSide = 512;

    /// <summary>
    /// Centres and scales a grey picture (0 = black) into MNIST's 28×28 bytes, white ink on black: (1) the paper's grey is
    /// estimated around every pixel — a grey-level closing (a maximum, then a minimum, over a square a quarter of the
    /// picture wide) erases the strokes and keeps the light: gradients, shadows, a darker corner; (2) ink is each pixel's
    /// darkness relative to that paper, 1 − grey/paper, so a stroke in shadow counts as much as one in light (light ink
    /// on dark paper, as MNIST itself, is the distance above an opening instead); (3) Otsu's threshold separates strokes
    /// from paper noise and the ink is stretched from it to the strokes' 99th percentile; (4) specks — connected pieces
    /// smaller than a tenth of the largest — are removed; (5) the digit's bounding box is scaled so that its longer side
    /// is 20 pixels; (6) its centre of mass is put at the centre of the 28×28 image — the last two as LeCun et al.
    /// prepared MNIST.
    /// </summary>
    public static byte[] ToMnist(float[,] grey, string name)
    {
        grey = Shrink(grey, WorkingSide);
        int height = grey.GetLength(0), width = grey.GetLength(1);

        // 0. Sensor noise averaged out over a few pixels (on a picture much larger than MNIST's; a 28×28 one is left as it
        //    is): the paper estimate below takes maxima, which noise would otherwise bias.
        int smooth = Math.Max(height, width) / 120;
        if (smooth > 0)
        {
            grey = BoxBlur(grey, smooth);
        }

        // 1. The paper around every pixel, strokes erased: for dark ink on light paper (photos, scans) a closing — the
        //    largest grey of the square around, then the smallest of those — and for light ink on dark paper (MNIST) an
        //    opening. Which of the two: the border is mostly paper, and paper is light or a mid grey (even in a shadow)
        //    where the ink is dark, near black where the ink is light (MNIST, chalk): a border median of at least 0.35
        //    means dark ink.
        int radius = Math.Max(3, Math.Max(height, width) / 8); // a square of side 2r + 1 ≈ a quarter of the picture, wider than strokes
        bool darkInk = BorderMedian(grey) >= 0.35f;
        float[,] paper = darkInk
            ? Filter(Filter(grey, radius, Math.Max), radius, Math.Min)
            : Filter(Filter(grey, radius, Math.Min), radius, Math.Max);

        // 2. Ink relative to the paper around it: the paper itself becomes 0, whatever its grey and its light.
        var ink = new float[height, width];
        var values = new float[height * width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                ink[y, x] = darkInk
                    ? Math.Clamp(1 - (grey[y, x] / Math.Max(paper[y, x], 1e-3f)), 0, 1)
                    : Math.Clamp(grey[y, x] - paper[y, x], 0, 1);
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
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                ink[y, x] = Math.Clamp((ink[y, x] - floor) / Math.Max(full - floor, 1e-6f), 0, 1);
            }
        }

        // 4. Specks out: only the pieces of the digit itself decide its box and its centre.
        RemoveSpecks(ink, 0.2f);
        int top = height, bottom = -1, left = width, right = -1;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
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

    /// <summary>The mean of the (2r + 1)×(2r + 1) square around each pixel, the square cut at the edges.</summary>
    private static float[,] BoxBlur(float[,] image, int radius)
    {
        int height = image.GetLength(0), width = image.GetLength(1);
        var sums = new double[height + 1, width + 1]; // summed-area table
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                sums[y + 1, x + 1] = image[y, x] + sums[y, x + 1] + sums[y + 1, x] - sums[y, x];
            }
        }

        var result = new float[height, width];
        for (int y = 0; y < height; y++)
        {
            int y0 = Math.Max(0, y - radius), y1 = Math.Min(height, y + radius + 1);
            for (int x = 0; x < width; x++)
            {
                int x0 = Math.Max(0, x - radius), x1 = Math.Min(width, x + radius + 1);
                result[y, x] = (float)((sums[y1, x1] - sums[y0, x1] - sums[y1, x0] + sums[y0, x0]) / ((y1 - y0) * (x1 - x0)));
            }
        }

        return result;
    }

    /// <summary>The median grey of the picture's outermost pixels.</summary>
    private static float BorderMedian(float[,] grey)
    {
        int height = grey.GetLength(0), width = grey.GetLength(1);
        var border = new List<float>(2 * (width + height));
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1)
                {
                    border.Add(grey[y, x]);
                }
            }
        }

        border.Sort();
        return border[border.Count / 2];
    }

    /// <summary>The picture shrunk (area-averaged) so that its longer side is at most <paramref name="side"/>; as it is when it fits.</summary>
    private static float[,] Shrink(float[,] grey, int side)
    {
        int height = grey.GetLength(0), width = grey.GetLength(1);
        if (Math.Max(height, width) <= side)
        {
            return grey;
        }

        double scale = (double)side / Math.Max(height, width);
        return Resample(grey, 0, 0, height, width, Math.Max(1, (int)Math.Round(height * scale)), Math.Max(1, (int)Math.Round(width * scale)));
    }

    /// <summary>
    /// The largest (or smallest) value of the (2r + 1)×(2r + 1) square around each pixel, the square cut at the edges — a
    /// grey-level dilation (or erosion), done as a row pass then a column pass.
    /// </summary>
    private static float[,] Filter(float[,] image, int radius, Func<float, float, float> pick)
        => Pass(Pass(image, radius, pick, alongRows: true), radius, pick, alongRows: false);

    /// <summary>One pass of <see cref="Filter"/>: the pick of the 2r + 1 values around each pixel along its row or its column.</summary>
    private static float[,] Pass(float[,] image, int radius, Func<float, float, float> pick, bool alongRows)
    {
        int height = image.GetLength(0), width = image.GetLength(1), length = alongRows ? width : height;
        var result = new float[height, width];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int at = alongRows ? x : y;
                float value = image[y, x];
                for (int k = Math.Max(0, at - radius); k <= Math.Min(length - 1, at + radius); k++)
                {
                    value = pick(value, alongRows ? image[y, k] : image[k, x]);
                }

                result[y, x] = value;
            }
        }

        return result;
    }

    /// <summary>
    /// Clears the specks: the 8-connected pieces of ink above <paramref name="level"/> smaller than a tenth of the largest
    /// piece (a digit written in two strokes keeps both; dust, a dot of noise, a stray mark in a corner go), with the
    /// fainter ink that touches them.
    /// </summary>
    internal static void RemoveSpecks(float[,] ink, float level)
    {
        int height = ink.GetLength(0), width = ink.GetLength(1);
        var piece = new int[height, width]; // 0: not ink or not yet seen; k: the k-th piece
        var sizes = new List<int> { 0 };
        var stack = new Stack<(int Y, int X)>();
        for (int y0 = 0; y0 < height; y0++)
        {
            for (int x0 = 0; x0 < width; x0++)
            {
                if (ink[y0, x0] <= level || piece[y0, x0] != 0)
                {
                    continue;
                }

                int label = sizes.Count, size = 0;
                piece[y0, x0] = label;
                stack.Push((y0, x0));
                while (stack.TryPop(out (int Y, int X) p))
                {
                    size++;
                    for (int y = Math.Max(0, p.Y - 1); y <= Math.Min(height - 1, p.Y + 1); y++)
                    {
                        for (int x = Math.Max(0, p.X - 1); x <= Math.Min(width - 1, p.X + 1); x++)
                        {
                            if (ink[y, x] > level && piece[y, x] == 0)
                            {
                                piece[y, x] = label;
                                stack.Push((y, x));
                            }
                        }
                    }
                }

                sizes.Add(size);
            }
        }

        int keep = (sizes.Max() + 9) / 10;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (piece[y, x] != 0 && sizes[piece[y, x]] < keep)
                {
                    ClearAround(ink, y, x, level);
                }
            }
        }
    }

    /// <summary>Clears a speck's pixel and the faint ink (at most <paramref name="level"/>) right next to it.</summary>
    private static void ClearAround(float[,] ink, int y0, int x0, float level)
    {
        for (int y = Math.Max(0, y0 - 1); y <= Math.Min(ink.GetLength(0) - 1, y0 + 1); y++)
        {
            for (int x = Math.Max(0, x0 - 1); x <= Math.Min(ink.GetLength(1) - 1, x0 + 1); x++)
            {
                if (ink[y, x] <= level || (y == y0 && x == x0))
                {
                    ink[y, x] = 0;
                }
            }
        }
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
