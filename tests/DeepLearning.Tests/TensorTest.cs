namespace DeepLearning.Tests;

public class TensorTest
{
    [Fact]
    public void FromRows_ThreeSamplesTwoFeatures_RowsAreSamples()
    {
        // The <example> of Tensor<T>.
        var x = Tensor<double>.FromRows([1, 2], [3, 4], [5, 6]);

        x.Shape.Should().Be(new TensorShape(3, 2));
        x.Shape.ToString().Should().Be("3×2");
        x[2, 1].Should().Be(6);
        x.GetRow(1).Should().Equal(3, 4);
        x.ToArray().Should().BeEquivalentTo(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
    }

    [Fact]
    public void FromArray_RoundTripsThroughToArray()
    {
        var values = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } };

        Tensor<float> t = Tensor<float>.FromArray(values);

        t.Rows.Should().Be(2);
        t.Columns.Should().Be(3);
        t.ToArray().Should().BeEquivalentTo(values);
        t.Matrix[1, 2].Should().Be(6f);
    }

    [Fact]
    public void FromRows_RaggedRows_NamesTheRow()
    {
        Action act = () => Tensor<double>.FromRows([1, 2], [3]);

        act.Should().Throw<ArgumentException>().WithMessage("rows[1] has 1 values but rows[0] has 2*");
    }

    [Fact]
    public void Indexer_OutsideShape_SaysWhichIndexAndShape()
    {
        var t = new Tensor<double>(2, 3);

        Action act = () => _ = t[2, 0];

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Row 2 is outside the tensor of shape 2×3.*");
    }

    [Fact]
    public void OneHot_Labels_OneInTheLabelColumn()
    {
        Tensor<double> y = Tensor<double>.OneHot([2, 0], 3);

        y.ToArray().Should().BeEquivalentTo(new double[,] { { 0, 0, 1 }, { 1, 0, 0 } });
        y.ArgMaxPerRow().Should().Equal(2, 0);
    }

    [Fact]
    public void OneHot_LabelOutOfRange_NamesTheLabel()
    {
        Action act = () => Tensor<double>.OneHot([1, 10], 10);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("labels[1] is 10, outside the 10 classes [0, 9].*");
    }

    [Fact]
    public void Constructor_UnsupportedElementType_SaysWhichTypesWork()
    {
        Action act = () => _ = new Tensor<Half>(1, 1);

        act.Should().Throw<NotSupportedException>().WithMessage("*use double*or float*");
    }

    [Fact]
    public void Clone_DoesNotShareStorage()
    {
        var t = Tensor<double>.FromRow(1, 2);
        Tensor<double> copy = t.Clone();

        copy[0, 0] = 42;

        t[0, 0].Should().Be(1);
    }

    [Fact]
    public void Constructor_MoreElementsThanAnArrayHolds_Throws()
    {
        Action act = () => _ = new Tensor<float>(100_000, 100_000);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The tensor would be 100,000×100,000 = 10,000,000,000 elements*");
    }

    [Fact]
    public void Slice_CopiesTheRows()
    {
        var x = Tensor<double>.FromRows([1, 2], [3, 4], [5, 6], [7, 8]);

        Tensor<double> middle = x.Slice(1, 2);

        middle.ToArray().Should().BeEquivalentTo(new double[,] { { 3, 4 }, { 5, 6 } });
        FluentActions.Invoking(() => x.Slice(3, 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("Rows 3 to 4 are not all inside the tensor of shape 4×2.*").Which.ParamName.Should().Be("start");
    }
}
