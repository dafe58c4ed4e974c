using DeepLearning.Regularization;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Regularization;

public class L2Test
{
    [Fact]
    public void OneStep_IsNielsensWeightDecay_AndLeavesBiasesAlone()
    {
        // The doc example: w = 5, ∂C₀/∂w = 8, η = 0.1, λ = 5, n = 50,000 → (1 − 0.1·5/50,000)·5 − 0.1·8 = 4.19995.
        var layer = new Dense<double>(1, 1);
        layer.Weights[0, 0] = 5;
        layer.Bias![0] = 5;
        layer.WeightGradient[0, 0] = 8;
        layer.BiasGradient![0] = 8;

        new L2(5).AddGradient(layer.Parameters, 50_000);
        new GradientDescent(0.1).Step(layer.Parameters);

        layer.Weights[0, 0].Should().BeApproximately(4.19995, 1e-12);
        layer.Bias[0].Should().BeApproximately(4.2, 1e-12, "biases are not regularized");
    }

    [Fact]
    public void AddGradient_IsTheDerivativeOfPenalty()
    {
        Network<double> network = new NetworkBuilder<double>(3, seed: 2).Dense(4, Activation.Tanh).Dense(2).Build();
        var l2 = new L2(3);
        foreach (Parameter<double> p in network.Parameters)
        {
            p.Gradients.Clear();
        }

        l2.AddGradient(network.Parameters, 10);

        foreach (Parameter<double> parameter in network.Parameters)
        {
            for (int k = 0; k < parameter.Count; k++)
            {
                double original = parameter.Values[k];
                parameter.Values[k] = original + 1e-6;
                double plus = l2.Penalty(network.Parameters, 10);
                parameter.Values[k] = original - 1e-6;
                double minus = l2.Penalty(network.Parameters, 10);
                parameter.Values[k] = original;
                parameter.Gradients[k].Should().BeApproximately((plus - minus) / 2e-6, 1e-8, parameter.Name);
            }
        }
    }

    [Fact]
    public void Training_ShrinksTheWeights_AndTheNetworkSavesAndReloads()
    {
        (Tensor<double> x, Tensor<double> y) = DeepLearning.Tests.Training.NetworkTest.Blobs<double>(60, seed: 3);
        double Norm(Network<double> n) => n.Parameters.Where(p => p.IsWeight).Sum(p => p.Values.ToArray().Sum(v => v * v));
        Network<double> plain = new NetworkBuilder<double>(2, seed: 1).Dense(8, Activation.ReLU).Dense(3).Build();
        Network<double> decayed = new NetworkBuilder<double>(2, seed: 1).Dense(8, Activation.ReLU).Dense(3).Build();
        var options = new TrainingOptions { Epochs = 40, BatchSize = 10 };

        plain.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.5), options);
        decayed.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.5), options with { Regularizer = Registries.Regularizers.Create("l2(5)") });

        Norm(decayed).Should().BeLessThan(Norm(plain) * 0.8);
        using var dir = new TempDirectory();
        ModelFile.Save(decayed, dir.File("l2.dlnn"));
        ModelFile.Load<double>(dir.File("l2.dlnn")).Predict(x).ToArray().Should().BeEquivalentTo(decayed.Predict(x).ToArray(), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Registry_RoundTripsAndNeedsLambda()
    {
        Registries.Regularizers.Create("l2(5)").Spec.Should().Be("l2(5)");

        Action act = () => Registries.Regularizers.Create("l2");

        act.Should().Throw<ArgumentException>().WithMessage("regularizer 'l2' needs lambda, for example l2(lambda).*");
    }
}
