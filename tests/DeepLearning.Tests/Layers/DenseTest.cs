using DeepLearning.Initialization;

namespace DeepLearning.Tests.Layers;

public class DenseTest
{
    [Fact]
    public void Constructor_TwoInputsThreeOutputs_WeightMatrixIs2x3()
    {
        var layer = new Dense<double>(2, 3, Activation.Sigmoid);

        layer.Weights.RowCount.Should().Be(2);
        layer.Weights.ColumnCount.Should().Be(3);
        layer.Bias!.Count.Should().Be(3);
        layer.ParameterCount.Should().Be(9);
        layer.Name.Should().Be("Dense(2→3)");
        layer.Parameters.Select(p => p.ToString()).Should().Equal("Dense(2→3).Weights 2×3", "Dense(2→3).Bias 1×3");
    }

    [Fact]
    public void Forward_HandComputed_ZIsXTimesWPlusB()
    {
        var layer = new Dense<double>(2, 3, Activation.Identity);
        layer.Weights.SetRow(0, [1.0, 2.0, 3.0]);
        layer.Weights.SetRow(1, [4.0, 5.0, 6.0]);
        layer.Bias!.SetValues([0.5, -0.5, 1.0]);

        Tensor<double> a = layer.Forward(Tensor<double>.FromRows([1, 2], [-1, 0]));

        // Sample 1: [1·1 + 2·4, 1·2 + 2·5, 1·3 + 2·6] + b = [9.5, 11.5, 16]; sample 2: [−1, −2, −3] + b.
        a.ToArray().Should().BeEquivalentTo(new double[,] { { 9.5, 11.5, 16 }, { -0.5, -2.5, -2 } });
        layer.WeightedInput!.ToArray().Should().BeEquivalentTo(a.ToArray());
    }

    [Fact]
    public void Forward_Sigmoid_AppliesActivationToZ()
    {
        var layer = new Dense<double>(1, 1, Activation.Sigmoid, useBias: false);
        layer.Weights[0, 0] = 1;

        Tensor<double> h = layer.Forward(Tensor<double>.FromRow(2.0));

        h[0, 0].Should().BeApproximately(1 / (1 + Math.Exp(-2)), 1e-15);
    }

    [Fact]
    public void Backward_HandComputed_GradientsFollowTheFormulas()
    {
        var layer = new Dense<double>(2, 2, Activation.Identity);
        layer.Weights.SetRow(0, [1.0, 2.0]);
        layer.Weights.SetRow(1, [3.0, 4.0]);
        var x = Tensor<double>.FromRows([1, 2], [3, 4]);
        layer.Forward(x);
        var g = Tensor<double>.FromRows([1, 0], [0, 2]);

        Tensor<double> dx = layer.Backward(g)!;

        // ∂L/∂W = Xᵀ·δ, ∂L/∂b = column sums of δ, ∂L/∂X = δ·Wᵀ (δ = g for the identity).
        layer.WeightGradient.ToArray().Should().BeEquivalentTo(new double[,] { { 1, 6 }, { 2, 8 } });
        layer.BiasGradient!.ToArray().Should().Equal(1, 2);
        dx.ToArray().Should().BeEquivalentTo(new double[,] { { 1, 3 }, { 4, 8 } });
    }

    [Fact]
    public void Backward_WithoutInputGradient_ReturnsNullButComputesWeights()
    {
        var layer = new Dense<double>(2, 1);
        layer.Forward(Tensor<double>.FromRow(1.0, 1.0));

        Tensor<double>? dx = layer.Backward(Tensor<double>.FromRow(1.0), computeInputGradient: false);

        dx.Should().BeNull();
        layer.WeightGradient.ToArray().Should().BeEquivalentTo(new double[,] { { 1 }, { 1 } });
    }

    [Fact]
    public void Forward_WrongNumberOfColumns_NamesLayerExpectedAndActualShape()
    {
        var layer = new Dense<float>(784, 30, Activation.Sigmoid);

        Action act = () => layer.Forward(new Tensor<float>(32, 783));

        act.Should().Throw<ArgumentException>()
            .WithMessage("Dense(784→30).Forward: input has 783 columns, expected 784 (one per input neuron). Input shape 32×783.*");
    }

    [Fact]
    public void Forward_SamplesAsColumns_SuggestsTransposing()
    {
        var layer = new Dense<double>(3, 2);

        Action act = () => layer.Forward(new Tensor<double>(3, 5));

        act.Should().Throw<ArgumentException>().WithMessage("*samples passed as columns?*transpose*");
    }

    [Fact]
    public void Backward_BeforeForward_SaysToCallForward()
    {
        var layer = new Dense<double>(2, 2);

        Action act = () => layer.Backward(new Tensor<double>(1, 2));

        act.Should().Throw<InvalidOperationException>().WithMessage("Dense(2→2).Backward: no forward pass yet*");
    }

    [Fact]
    public void Backward_GradientOfWrongShape_NamesExpectedShape()
    {
        var layer = new Dense<double>(2, 3);
        layer.Forward(new Tensor<double>(4, 2));

        Action act = () => layer.Backward(new Tensor<double>(4, 2));

        act.Should().Throw<ArgumentException>().WithMessage("Dense(2→3).Backward: ∂L/∂A has shape 4×2, expected 4×3*");
    }

    [Theory]
    [InlineData(0, 3, "inputs")]
    [InlineData(2, 0, "outputs")]
    public void Constructor_NonPositiveSize_NamesParameter(int inputs, int outputs, string parameter)
    {
        Action act = () => _ = new Dense<double>(inputs, outputs);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void Constructor_SameRandomSeed_BitIdenticalWeights()
    {
        var first = new Dense<float>(20, 10, Activation.ReLU, random: new Random(7));
        var second = new Dense<float>(20, 10, Activation.ReLU, random: new Random(7));
        var other = new Dense<float>(20, 10, Activation.ReLU, random: new Random(8));

        first.Weights.Should().BeEquivalentTo(second.Weights);
        first.Weights.Equals(other.Weights).Should().BeFalse();
    }

    [Fact]
    public void Constructor_DefaultInitializers_HeForReluGlorotOtherwise()
    {
        var relu = new Dense<double>(200, 100, Activation.ReLU);
        var tanh = new Dense<double>(200, 100, Activation.Tanh);

        double heStd = Math.Sqrt(relu.Weights.Enumerate().Select(w => w * w).Average());
        heStd.Should().BeApproximately(Math.Sqrt(2.0 / 200), 0.005);
        double glorotBound = Math.Sqrt(6.0 / 300);
        tanh.Weights.Enumerate().Should().OnlyContain(w => Math.Abs(w) <= glorotBound);
        tanh.Bias!.Enumerate().Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public void Constructor_GivenInitializers_AreUsed()
    {
        var layer = new Dense<double>(3, 2, Activation.Sigmoid, Initializer.Zeros, new Gaussian(5, 1e-9));

        layer.Weights.Enumerate().Should().OnlyContain(w => w == 0);
        layer.Bias!.Enumerate().Should().OnlyContain(b => Math.Abs(b - 5) < 1e-6);
    }

    [Fact]
    public void Constructor_WeightMatrixOverTheArrayLimit_ThrowsInsteadOfWrapping()
    {
        // 65,536 × 65,537 = 4,295,032,832 wraps to 65,536 in 32 bits: MathNet would allocate 65,536 floats.
        Action act = () => _ = new Dense<float>(65536, 65537);

        act.Should().Throw<ArgumentOutOfRangeException>()
            .WithMessage("The weight matrix of Dense(65536→65537) would be 65,536×65,537 = 4,295,032,832 elements, more than the 2,147,483,591 a .NET array can hold*");
    }

    [Fact]
    public void ParameterCount_IsCountedIn64Bits()
    {
        var layer = new Dense<float>(3, 4);

        layer.ParameterCount.Should().Be(16L);
    }
}
