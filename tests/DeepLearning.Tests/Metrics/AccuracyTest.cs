using DeepLearning.Metrics;

namespace DeepLearning.Tests.Metrics;

public class AccuracyTest
{
    [Fact]
    public void Compute_Example_OneOfTwoCorrect()
    {
        // The <example> of Accuracy.
        double accuracy = Accuracy.Compute(Tensor<double>.FromRows([0.9, 0.1], [0.3, 0.7]), Tensor<double>.FromRows([1, 0], [1, 0]));

        accuracy.Should().Be(0.5);
    }

    [Fact]
    public void Compute_SingleOutput_ThresholdAtOneHalf()
    {
        double accuracy = Accuracy.Compute(Tensor<double>.FromRows([0.6], [0.4], [0.5]), Tensor<double>.FromRows([1], [1], [1]));

        accuracy.Should().BeApproximately(2.0 / 3, 1e-15);
    }

    [Fact]
    public void Compute_ShapeMismatch_Throws()
    {
        Action act = () => Accuracy.Compute(new Tensor<double>(2, 3), new Tensor<double>(2, 2));

        act.Should().Throw<ArgumentException>().WithMessage("Accuracy: targets have shape 2×2, expected 2×3*");
    }

    [Fact]
    public void Compute_FromClassLabels_MatchesTheExample()
    {
        Accuracy.Compute([3, 1, 4, 1], [3, 1, 4, 7]).Should().Be(0.75);
        FluentActions.Invoking(() => Accuracy.Compute([1], [1, 2])).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("labels");
    }
}
