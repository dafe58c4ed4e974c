namespace DeepLearning.Tests.Layers;

public class DropoutTest
{
    [Fact]
    public void Forward_Inference_IsTheIdentity()
    {
        var layer = new Dropout<double>(4, 0.5, seed: 1);
        var x = Tensor<double>.FromRows([2, 4, 6, 8]);

        layer.Forward(x).ToArray().Should().BeEquivalentTo(x.ToArray());
        layer.Backward(Tensor<double>.FromRows([1, 1, 1, 1]))!.ToArray().Should().BeEquivalentTo(new double[,] { { 1, 1, 1, 1 } });
    }

    [Fact]
    public void Forward_Training_DropsAboutRateAndScalesTheRest()
    {
        var layer = new Dropout<double>(1000, 0.3, seed: 2);
        Tensor<double> x = Tensor<double>.FromRows([.. Enumerable.Range(0, 20).Select(_ => Enumerable.Repeat(1.0, 1000).ToArray())]);

        double[] a = [.. layer.Forward(x, training: true).ToArray().Cast<double>()];

        a.Should().OnlyContain(v => v == 0 || Math.Abs(v - (1 / 0.7)) < 1e-12, "kept inputs are scaled by 1/(1 − p)");
        a.Count(v => v == 0).Should().BeInRange(5700, 6300, "about 30% of 20,000");
        a.Average().Should().BeApproximately(1, 0.03, "the expected output equals the input");
    }

    [Fact]
    public void Backward_Training_IsTheGradientOfTheMaskedScaling()
    {
        // A gradient check for dropout: with the mask of the last pass fixed, A = X ⊙ M/(1 − p) is linear in X, so
        // ∂L/∂X = ∂L/∂A ⊙ M/(1 − p) = ∂L/∂A ⊙ A/X element by element; finite differences of Σ g⊙A agree.
        var layer = new Dropout<double>(50, 0.4, seed: 3);
        var random = new Random(5);
        Tensor<double> x = Tensor<double>.FromRows([.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 50).Select(_ => random.NextDouble() + 0.5).ToArray())]);
        Tensor<double> g = Tensor<double>.FromRows([.. Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 50).Select(_ => random.NextDouble() - 0.5).ToArray())]);

        Tensor<double> a = layer.Forward(x, training: true).Clone();
        Tensor<double> dx = layer.Backward(g)!;

        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 50; j++)
            {
                dx[i, j].Should().BeApproximately(g[i, j] * a[i, j] / x[i, j], 1e-12);
            }
        }
    }

    [Fact]
    public void SameSeed_SameMasks()
    {
        Tensor<float> x = Tensor<float>.FromRows([.. Enumerable.Range(0, 8).Select(_ => Enumerable.Repeat(1f, 30).ToArray())]);

        float[,] first = new Dropout<float>(30, 0.5, seed: 9).Forward(x, training: true).ToArray();
        float[,] second = new Dropout<float>(30, 0.5, seed: 9).Forward(x, training: true).ToArray();

        second.Should().BeEquivalentTo(first, o => o.WithStrictOrdering());
    }

    [Fact]
    public void InANetwork_SummaryShowsTheRateAndNoWeights_AndTrainingStillLearns()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 3).Dense(16, Activation.Tanh).Dropout(0.2).Dense(1).Build();
        var x = Tensor<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
        var y = Tensor<double>.FromRows([0], [1], [1], [0]);

        network.Fit(x, y, Loss.BinaryCrossEntropy, new Adam(0.05), new TrainingOptions { Epochs = 400, BatchSize = 4 });

        network.Summary().Should().Contain("Dropout(0.2)").And.Contain("rate 0.2").And.Contain("2 weight matrices");
        network.Evaluate(x, y, Loss.BinaryCrossEntropy).Accuracy.Should().Be(1);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void Constructor_RateOutsideZeroToOne_Throws(double rate)
    {
        Action act = () => _ = new Dropout<float>(3, rate);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("rate must be in [0, 1)*");
    }
}
