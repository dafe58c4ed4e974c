using DeepLearning.Metrics;

namespace DeepLearning.Tests.Metrics;

public class ConfusionMatrixTest
{
    [Fact]
    public void Example_CountsAccuracyAndPerClassAccuracy()
    {
        // The <example> of ConfusionMatrix.
        var matrix = new ConfusionMatrix([0, 1, 1], [0, 1, 0], classes: 2);

        matrix[0, 0].Should().Be(1);
        matrix[1, 0].Should().Be(1);
        matrix[1, 1].Should().Be(1);
        matrix[0, 1].Should().Be(0);
        matrix.Accuracy.Should().BeApproximately(2.0 / 3, 1e-15);
        matrix.PerClassAccuracy().Should().Equal(1, 0.5);
        matrix.ToString().Split(Environment.NewLine).Should().HaveCount(3);
    }

    [Fact]
    public void Constructor_ClassOutOfRange_NamesSample()
    {
        Action act = () => _ = new ConfusionMatrix([0, 3], [0, 1], 3);

        act.Should().Throw<ArgumentException>().WithMessage("Sample 1 has true class 3 and prediction 1; both must be in [0, 2].*");
    }
}
