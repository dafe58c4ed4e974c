namespace DeepLearning.Tests;

public class FeatureShapeTest
{
    [Fact]
    public void Image_SizeIsChannelsTimesHeightTimesWidth_WrittenWithTimesSigns()
    {
        var shape = new FeatureShape(20, 24, 24);

        (shape.Size, shape.Pixels, shape.IsFlat, shape.ToString()).Should().Be((11_520L, 576L, false, "20×24×24"));
    }

    [Fact]
    public void Flat_IsNChannelsOfOnePixel_WrittenAsOneNumber()
    {
        FeatureShape shape = FeatureShape.Flat(784);

        (shape.Channels, shape.Height, shape.Width, shape.IsFlat, shape.ToString()).Should().Be((784, 1, 1, true, "784"));
    }

    [Theory]
    [InlineData("784", 784, 1, 1)]
    [InlineData("1×28×28", 1, 28, 28)]
    [InlineData("1x28x28", 1, 28, 28)]
    [InlineData(" 20 X 24 X 24 ", 20, 24, 24)]
    public void TryParse_WhatToStringWritesAndTheAsciiX(string text, int c, int h, int w)
    {
        FeatureShape.TryParse(text, out FeatureShape shape).Should().BeTrue();

        shape.Should().Be(new FeatureShape(c, h, w));
        FeatureShape.TryParse(shape.ToString(), out FeatureShape again).Should().BeTrue();
        again.Should().Be(shape);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1×28×")]
    [InlineData("0×28")]
    [InlineData("1×28×28×3")]
    [InlineData("2147483647×2147483647×2147483647")]
    [InlineData("46341×46341×1")]
    [InlineData("1e3")]
    public void TryParse_NotAShapeOrTooLarge_False(string text) => FeatureShape.TryParse(text, out _).Should().BeFalse();

    [Fact]
    public void Constructor_MoreValuesThanARowHolds_OneClearError()
    {
        Action act = () => _ = new FeatureShape(2_147_483_647, 2_147_483_647, 2_147_483_647);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("A sample of 2,147,483,647×2,147,483,647×2,147,483,647 values is more than the 2,147,483,591 a row can hold.*");
    }

    [Fact]
    public void ChainsTo_SameShape_OrAFlatLayerOfTheSameSize()
    {
        var image = new FeatureShape(20, 4, 4);

        image.ChainsTo(image).Should().BeTrue();
        image.ChainsTo(FeatureShape.Flat(320)).Should().BeTrue("a flat layer reads an image as its C·H·W values");
        image.ChainsTo(FeatureShape.Flat(321)).Should().BeFalse();
        FeatureShape.Flat(320).ChainsTo(image).Should().BeFalse("a layer that needs an image cannot take a flat vector");
        image.ChainsTo(new FeatureShape(5, 8, 8)).Should().BeFalse("same size, other image");
    }
}
