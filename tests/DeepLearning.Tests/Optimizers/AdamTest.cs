using System.Globalization;

namespace DeepLearning.Tests.Optimizers;

public class AdamTest
{
    [Fact]
    public void FirstStep_MovesEveryWeightByAboutTheLearningRate()
    {
        // The doc example: w = 5, gradient 8, ε = 0.1 → m̂ = 8, v̂ = 64, w = 5 − 0.1·8/(8 + 1e-8).
        var layer = new Dense<double>(1, 1, useBias: false);
        layer.Weights[0, 0] = 5;
        layer.WeightGradient[0, 0] = 8;

        new Adam(0.1).Step(layer.Parameters);

        layer.Weights[0, 0].Should().BeApproximately(5 - (0.1 * 8 / (8 + 1e-8)), 1e-15);
    }

    [Fact]
    public void FiveSteps_MatchTheFormulaInDouble()
    {
        // An independent evaluation of Kingma and Ba's algorithm, one weight at a time, for changing gradients.
        double[] gradients = [0.5, -1.5, 2.0, 0.25, -0.75];
        var layer = new Dense<double>(1, 1, useBias: false);
        layer.Weights[0, 0] = 1;
        var adam = new Adam(0.01, 0.8, 0.99, 1e-6);
        double w = 1, m = 0, v = 0;
        for (int t = 1; t <= 5; t++)
        {
            double g = gradients[t - 1];
            layer.WeightGradient[0, 0] = g;
            adam.Step(layer.Parameters);
            m = (0.8 * m) + (0.2 * g);
            v = (0.99 * v) + (0.01 * g * g);
            w -= 0.01 * (m / (1 - Math.Pow(0.8, t))) / (Math.Sqrt(v / (1 - Math.Pow(0.99, t))) + 1e-6);
            layer.Weights[0, 0].Should().BeApproximately(w, 1e-14, $"step {t}");
        }

        adam.Steps.Should().Be(5);
    }

    [SkippableFact]
    public void FiveSteps_MatchTorchOptimAdam_InFloat()
    {
        PyTorch.SkipUnlessInstalled();
        float[] start = [0.5f, -1.25f, 2f, 0.1f, -0.3f, 0.7f];
        float[][] gradients = [.. Enumerable.Range(1, 5).Select(t => start.Select((x, i) => MathF.Sin((t * 7) + i) * (i + 1)).ToArray())];
        string script = string.Create(CultureInfo.InvariantCulture, $$"""
            import torch
            w = torch.nn.Parameter(torch.tensor([{{string.Join(", ", start.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}}], dtype=torch.float32))
            opt = torch.optim.Adam([w], lr=0.01, betas=(0.9, 0.999), eps=1e-8)
            for g in [{{string.Join(", ", gradients.Select(g => "[" + string.Join(", ", g.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]"))}}]:
                w.grad = torch.tensor(g, dtype=torch.float32)
                opt.step()
            print(" ".join(repr(float(x)) for x in w.detach()))
            """);
        (int code, string output) = PyTorch.Run("-c", script);
        code.Should().Be(0, output);
        double[] torch = [.. output.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture))];

        var layer = new Dense<float>(1, start.Length, useBias: false);
        for (int j = 0; j < start.Length; j++)
        {
            layer.Weights[0, j] = start[j];
        }

        var adam = new Adam(0.01);
        foreach (float[] g in gradients)
        {
            for (int j = 0; j < g.Length; j++)
            {
                layer.WeightGradient[0, j] = g[j];
            }

            adam.Step(layer.Parameters);
        }

        for (int j = 0; j < start.Length; j++)
        {
            Math.Abs((layer.Weights[0, j] - torch[j]) / torch[j]).Should().BeLessThan(1e-6, $"weight {j}");
        }
    }

    [Fact]
    public void TrainsXor_AndItsNetworkSavesAndReloads()
    {
        var x = Tensor<double>.FromRows([0, 0], [0, 1], [1, 0], [1, 1]);
        var y = Tensor<double>.FromRows([0], [1], [1], [0]);
        Network<double> network = new NetworkBuilder<double>(2, seed: 3).Dense(8, new LeakyReLU(0.1)).Dense(1).Build();

        network.Fit(x, y, Loss.BinaryCrossEntropy, Registries.Optimizers.Create("adam(0.05)"), new TrainingOptions { Epochs = 300, BatchSize = 4 });

        network.Evaluate(x, y, Loss.BinaryCrossEntropy).Accuracy.Should().Be(1);
        using var dir = new TempDirectory();
        DeepLearning.Serialization.ModelFile.Save(network, dir.File("xor.dlnn"));
        Network<double> loaded = DeepLearning.Serialization.ModelFile.Load<double>(dir.File("xor.dlnn"));
        ((Dense<double>)loaded.Layers[0]).Activation.Spec.Should().Be("leaky_relu(0.1)");
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
    }
}
