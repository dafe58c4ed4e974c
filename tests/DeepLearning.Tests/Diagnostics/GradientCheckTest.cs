using DeepLearning.Compute;
using DeepLearning.Diagnostics;

namespace DeepLearning.Tests.Diagnostics;

/// <summary>Backpropagation against central finite differences, for every activation × loss × depth.</summary>
public class GradientCheckTest
{
    public static TheoryData<string, string, int, BackendKind> Combinations()
    {
        var data = new TheoryData<string, string, int, BackendKind>();
        foreach (string activation in new[] { "sigmoid", "tanh", "relu", "leaky_relu(0.1)", "identity", "softmax" })
        {
            foreach (string loss in new[] { "quadratic", "mse", "cross-entropy", "binary-cross-entropy" })
            {
                for (int depth = 1; depth <= 5; depth++)
                {
                    foreach (BackendKind backend in Backend.Native is null ? [BackendKind.Managed] : new[] { BackendKind.Managed, BackendKind.Native })
                    {
                        data.Add(activation, loss, depth, backend);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Run_EveryActivationLossAndDepth_RelativeErrorBelow1e6(string activation, string lossName, int depth, BackendKind backendKind)
    {
        using IDisposable scope = Backend.Use(backendKind == BackendKind.Managed ? Backend.Managed : Backend.Native!);
        ILoss loss = Loss.FromName(lossName);
        IActivation hidden = Activation.FromName(activation);

        // Cross-entropy losses take logits (a linear output layer); squared-error losses use the activation under test.
        IActivation output = lossName is "cross-entropy" or "binary-cross-entropy" ? Activation.Identity : hidden;
        var builder = new NetworkBuilder<double>(inputs: 3, seed: depth);
        for (int layer = 1; layer < depth; layer++)
        {
            builder.Dense(4, hidden, biasInitializer: new DeepLearning.Initialization.Gaussian(0, 0.5));
        }

        Network<double> network = builder.Dense(3, output, biasInitializer: new DeepLearning.Initialization.Gaussian(0, 0.5)).Build();
        var x = Tensor<double>.FromRows([0.5, -1.2, 0.8], [1.5, 0.3, -0.4], [-0.9, 0.7, 1.1], [0.2, -0.6, -1.3]);
        Tensor<double> y = lossName == "binary-cross-entropy"
            ? Tensor<double>.FromRows([1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0])
            : Tensor<double>.OneHot([0, 2, 1, 2], 3);

        GradientCheckResult result = GradientCheck.Run(network, x, y, loss);

        result.Parameters.Should().HaveCount(2 * depth);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
        result.Passed().Should().BeTrue();
    }

    [Fact]
    public void Run_BrokenBackpropagation_IsCaught()
    {
        // A layer whose Backward lies (it doubles the weight gradient) must fail the check.
        var layer = new Dense<double>(2, 2, Activation.Tanh, random: new Random(1));
        var network = new Network<double>(new LyingLayer(layer));
        var x = Tensor<double>.FromRows([0.3, -0.2], [0.5, 0.9]);

        GradientCheckResult result = GradientCheck.Run(network, x, Tensor<double>.OneHot([0, 1], 2), Loss.Quadratic);

        result.Passed().Should().BeFalse();
        result.Parameters[0].RelativeError.Should().BeApproximately(1.0 / 3, 1e-6);
        result.ToString().Should().Contain("Dense(2→2).Weights 2×2: relative error");
    }

    [Fact]
    public void Run_RestoresParametersExactly()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 4).Dense(3, Activation.Sigmoid).Build();
        double[] before = network.Parameters.SelectMany(p => p.Values.ToArray()).ToArray();

        GradientCheck.Run(network, Tensor<double>.FromRow(1.0, 2.0), Tensor<double>.FromRow(0.0, 1.0, 0.0), Loss.MeanSquaredError);

        network.Parameters.SelectMany(p => p.Values.ToArray()).Should().Equal(before);
    }

    private sealed class LyingLayer(Dense<double> inner) : ILayer<double>
    {
        public string Name => inner.Name;

        public FeatureShape InputShape => inner.InputShape;

        public FeatureShape OutputShape => inner.OutputShape;

        public string Kind => inner.Kind;

        public Arguments Configuration => inner.Configuration;

        public Tensor<double>? Output => inner.Output;

        public LayerSummary Summary => inner.Summary;

        public IReadOnlyList<Parameter<double>> Parameters => inner.Parameters;

        public Tensor<double> Forward(Tensor<double> input, bool training = false) => inner.Forward(input, training);

        public Tensor<double>? Backward(Tensor<double> outputGradient, bool computeInputGradient = true)
        {
            Tensor<double>? result = inner.Backward(outputGradient, computeInputGradient);
            Span<double> g = inner.Parameters[0].Gradients;
            for (int i = 0; i < g.Length; i++)
            {
                g[i] *= 2;
            }

            return result;
        }

        public void ExportOnnx(DeepLearning.Serialization.OnnxGraph graph) => inner.ExportOnnx(graph);

        public void ExportTorch(DeepLearning.Serialization.TorchSequential<double> sequence) => inner.ExportTorch(sequence);
    }
}
