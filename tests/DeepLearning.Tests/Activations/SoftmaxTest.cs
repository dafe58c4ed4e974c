namespace DeepLearning.Tests.Activations;

public class SoftmaxTest
{
    [Fact]
    public void Forward_OneTwoThree_MatchesHandComputedProbabilities()
    {
        // The <example> of Softmax: e^1, e^2, e^3 divided by their sum.
        var a = new Tensor<double>(2, 3);

        Activation.Softmax.Forward(Tensor<double>.FromRows([1, 2, 3], [0, 0, 0]), a);

        double sum = Math.E + (Math.E * Math.E) + Math.Exp(3);
        a.GetRow(0).Should().Equal([Math.E / sum, Math.E * Math.E / sum, Math.Exp(3) / sum], (x, y) => Math.Abs(x - y) < 1e-12);
        a[0, 0].Should().BeApproximately(0.090031, 1e-6);
        a[0, 1].Should().BeApproximately(0.244728, 1e-6);
        a[0, 2].Should().BeApproximately(0.665241, 1e-6);
        a.GetRow(1).Should().AllSatisfy(p => p.Should().BeApproximately(1.0 / 3, 1e-15));
    }

    [Fact]
    public void Forward_InputsOfPlusMinus1000_NoOverflowRowsSumToOne()
    {
        var a = new Tensor<float>(2, 3);

        Activation.Softmax.Forward(Tensor<float>.FromRows([1000, -1000, 0], [1000, 1000, -1000]), a);

        a.GetRow(0).Should().Equal(1f, 0f, 0f);
        a.GetRow(1).Should().Equal(0.5f, 0.5f, 0f);
    }

    [Fact]
    public void Forward_InPlace_SameResultAsSeparateOutput()
    {
        var z = Tensor<double>.FromRows([0.5, -2, 3], [1, 1, 4]);
        var separate = new Tensor<double>(2, 3);
        Activation.Softmax.Forward(z, separate);

        Activation.Softmax.Forward(z, z);

        z.ToArray().Should().BeEquivalentTo(separate.ToArray());
    }
}
