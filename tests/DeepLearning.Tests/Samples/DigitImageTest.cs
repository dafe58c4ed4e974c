using DigitTrainer;

namespace DeepLearning.Tests.Samples;

public class DigitImageTest
{
    [Fact]
    public void ToMnist_DarkInkOffCentre_WhiteOnBlackScaledTo20AndCentred()
    {
        // A 10×40 bar of black ink near the top-left of a white 100×80 page.
        var grey = new float[80, 100];
        for (int y = 0; y < 80; y++)
        {
            for (int x = 0; x < 100; x++)
            {
                grey[y, x] = x is >= 5 and < 15 && y is >= 2 and < 42 ? 0f : 1f;
            }
        }

        byte[] pixels = DigitImage.ToMnist(grey, "bar");

        (int top, int bottom, int left, int right) = Bounds(pixels);
        (bottom - top + 1).Should().Be(20, "the longer side is scaled to 20 pixels");
        (right - left + 1).Should().Be(5);
        pixels.Max().Should().Be(255);
        pixels[0].Should().Be(0, "the paper becomes black");
        double cy = 0, cx = 0, mass = 0;
        for (int i = 0; i < 784; i++)
        {
            mass += pixels[i];
            cy += i / 28 * pixels[i];
            cx += i % 28 * pixels[i];
        }

        (cy / mass).Should().BeApproximately(13.5, 0.6);
        (cx / mass).Should().BeApproximately(13.5, 0.6);
    }

    [Fact]
    public void ToMnist_BlankImage_SaysBlank()
    {
        Action act = () => DigitImage.ToMnist(new float[10, 10], "empty.png");

        act.Should().Throw<InvalidDataException>().WithMessage("empty.png: the image is blank*; it should show one digit.");
    }

    [Fact]
    public void ParsePgm_PlainAndRaw_SameGreyLevels()
    {
        byte[] plain = "P2\n# comment\n3 2\n255\n0 128 255\n255 0 64\n"u8.ToArray();
        byte[] raw = DigitTrainerTest.Pgm(3, 2, (x, y) => (byte)(y == 0 ? new[] { 0, 128, 255 }[x] : new[] { 255, 0, 64 }[x]));

        float[,] a = DigitImage.ParsePgm(plain, "plain.pgm");
        float[,] b = DigitImage.ParsePgm(raw, "raw.pgm");

        a.Should().BeEquivalentTo(b);
        a[0, 1].Should().BeApproximately(128 / 255f, 1e-6f);
    }

    [Fact]
    public void ParsePgm_Truncated_SaysSo()
    {
        byte[] raw = DigitTrainerTest.Pgm(10, 10, (_, _) => 0)[..30];

        Action act = () => DigitImage.ParsePgm(raw, "cut.pgm");

        act.Should().Throw<InvalidDataException>().WithMessage("cut.pgm: truncated PGM*");
    }

    private static (int Top, int Bottom, int Left, int Right) Bounds(byte[] pixels)
    {
        int top = 28, bottom = -1, left = 28, right = -1;
        for (int i = 0; i < 784; i++)
        {
            if (pixels[i] > 50)
            {
                top = Math.Min(top, i / 28);
                bottom = Math.Max(bottom, i / 28);
                left = Math.Min(left, i % 28);
                right = Math.Max(right, i % 28);
            }
        }

        return (top, bottom, left, right);
    }

    [Theory]
    [InlineData(80, 2)]
    [InlineData(120, 3)]
    [InlineData(20, 1)]
    public void Draw_PutsAsManyWholeDigitsPerRowAsFit(int width, int perRow)
    {
        var images = Enumerable.Range(0, 5).Select(_ => (ReadOnlyMemory<byte>)new byte[784]).ToList();

        string text = DigitImage.Draw(images, [.. Enumerable.Range(0, 5).Select(i => $"#{i}")], width);

        string[] rows = text.Split(Environment.NewLine).Where(l => l.StartsWith('|')).ToArray();
        rows[0].Length.Should().Be((perRow * 31) - 1);
        rows.Should().HaveCount(14 * ((5 + perRow - 1) / perRow));
    }
}
