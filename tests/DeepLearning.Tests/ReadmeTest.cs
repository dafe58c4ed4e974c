namespace DeepLearning.Tests;

/// <summary>The README's quick start, verbatim, so that it cannot rot.</summary>
public class ReadmeTest
{
    [Fact]
    public void QuickStart_Xor_PredictsZeroOneOneZero()
    {
        var x = Tensor<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
        var y = Tensor<double>.FromRows([0], [1], [1], [0]);
        Network<double> network = new NetworkBuilder<double>(inputs: 2, seed: 3)
            .Dense(8, Activation.Tanh)
            .Dense(1)                 // a logit; the loss applies the sigmoid
            .Build();
        network.Fit(x, y, Loss.BinaryCrossEntropy, new GradientDescent(learningRate: 0.5),
            new TrainingOptions { Epochs = 1000, BatchSize = 4 });

        Console.WriteLine(network.Predict(x, Loss.BinaryCrossEntropy)); // σ(logit) ≈ 0, 1, 1, 0
        Console.WriteLine(network.Summary());

        double[] predictions = [.. network.Predict(x, Loss.BinaryCrossEntropy).Matrix.Column(0)];
        predictions[0].Should().BeLessThan(0.1);
        predictions[1].Should().BeGreaterThan(0.9);
        predictions[2].Should().BeGreaterThan(0.9);
        predictions[3].Should().BeLessThan(0.1);
        network.Summary().Should().Contain("Total parameters: 33");
    }
}
