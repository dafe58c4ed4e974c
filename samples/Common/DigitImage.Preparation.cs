namespace DigitTrainer;

/// <summary>
/// The preparation half of <see cref="DigitImage"/>: a grey picture of one digit to MNIST's 28×28 bytes. A file of its own
/// so that the playground's Digits page, which draws in the browser and has no image decoder, prepares a drawing with
/// exactly the code the trainer's <c>predict --image</c> runs.
/// </summary>
internal static partial class DigitImage
{
    public const int Size = 28;
    private const int Box = 20;

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
}
