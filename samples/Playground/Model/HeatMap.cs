using System.Buffers.Binary;

namespace Playground.Model;

/// <summary>
/// Small pictures of numbers: a grid of values as a BMP image in a data URL (the browser scales it up), coloured blue
/// for negative or class 0, white for the middle, orange for positive or class 1, as TensorFlow Playground does. One
/// image per map keeps the page light: a 30×30 map is one attribute, not 900 elements.
/// </summary>
public static class HeatMap
{
    private static readonly (byte R, byte G, byte B) Blue = (8, 119, 189);
    private static readonly (byte R, byte G, byte B) Orange = (245, 147, 34);

    /// <summary>The colour of <paramref name="t"/> in [−1, 1]: blue at −1, white at 0, orange at +1, as CSS.</summary>
    public static string Css(double t)
    {
        (byte r, byte g, byte b) = Colour(t);
        return $"rgb({r},{g},{b})";
    }

    /// <summary>A <paramref name="width"/>×<paramref name="height"/> BMP of values in [−1, 1], row by row from the top.</summary>
    public static string DataUrl(IReadOnlyList<double> values, int width, int height)
        => Bmp(width, height, i => Colour(values[i]));

    /// <summary>
    /// As <see cref="DataUrl(IReadOnlyList{double}, int, int)"/>, with the values not <paramref name="kept"/> drawn faint:
    /// a feature map under a max-pooling, its winners bright.
    /// </summary>
    public static string DataUrl(IReadOnlyList<double> values, int width, int height, ReadOnlySpan<bool> kept)
    {
        bool[] bright = kept.ToArray();
        return Bmp(width, height, i => Colour(bright[i] ? values[i] : 0.25 * values[i]));
    }

    /// <summary>A grey picture of values in [0, 1] — 0 black, 1 white — as MNIST's digits are drawn: white ink on black.</summary>
    public static string Grey(IReadOnlyList<float> values, int width, int height)
        => Bmp(width, height, i =>
        {
            byte v = (byte)Math.Round(255 * Math.Clamp(values[i], 0, 1));
            return (v, v, v);
        });

    private static string Bmp(int width, int height, Func<int, (byte R, byte G, byte B)> colourAt)
    {
        int rowBytes = ((width * 3) + 3) & ~3;
        int size = 54 + (rowBytes * height);
        var bmp = new byte[size];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), size);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), -height); // negative: top row first
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                (byte r, byte g, byte b) = colourAt((y * width) + x);
                int at = 54 + (y * rowBytes) + (x * 3);
                bmp[at] = b;
                bmp[at + 1] = g;
                bmp[at + 2] = r;
            }
        }

        return "data:image/bmp;base64," + Convert.ToBase64String(bmp);
    }

    private static (byte R, byte G, byte B) Colour(double t)
    {
        if (!double.IsFinite(t))
        {
            return (128, 128, 128);
        }

        t = Math.Clamp(t, -1, 1);
        (byte R, byte G, byte B) end = t < 0 ? Blue : Orange;
        double a = Math.Abs(t);
        return (Mix(end.R, a), Mix(end.G, a), Mix(end.B, a));
    }

    private static byte Mix(byte channel, double a) => (byte)Math.Round(255 + ((channel - 255) * a));
}
