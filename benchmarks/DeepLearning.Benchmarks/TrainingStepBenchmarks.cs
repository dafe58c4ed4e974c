using System.Numerics;
using BenchmarkDotNet.Attributes;
using DeepLearning.Activations;
using DeepLearning.Compute;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace DeepLearning.Benchmarks;

/// <summary>
/// The hot loop of training: one step (forward + backward + update), forward alone and backward alone, for
/// 784-128-10 and 784-800-10 networks (ReLU, softmax, cross-entropy, gradient descent with momentum) on one mini-batch.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private IRunner _runner = null!;
    private IDisposable? _scope;

    /// <summary>The hidden layer's size: 784-128-10 or 784-800-10.</summary>
    [Params(128, 800)]
    public int Hidden { get; set; }

    /// <summary>Samples per mini-batch: stochastic (1), usual (64), large (256).</summary>
    [Params(1, 64, 256)]
    public int BatchSize { get; set; }

    [Params(ElementType.Float, ElementType.Double)]
    public ElementType Type { get; set; }

    [Params(BackendChoice.Managed, BackendChoice.Native)]
    public BackendChoice Backend { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scope = Compute.Backend.Use(BackendChoices.Resolve(Backend));
        _runner = Type == ElementType.Float ? new Runner<float>(Hidden, BatchSize) : new Runner<double>(Hidden, BatchSize);
    }

    [GlobalCleanup]
    public void Cleanup() => _scope?.Dispose();

    /// <summary>Forward + backward + the gradient-descent update.</summary>
    [Benchmark]
    public double TrainingStep() => _runner.Step();

    /// <summary>Forward propagation only.</summary>
    [Benchmark]
    public double Forward() => _runner.Forward();

    /// <summary>Backward propagation only (from the stored forward pass: fused softmax/cross-entropy δ, then both layers).</summary>
    [Benchmark]
    public double Backward() => _runner.Backward();

    private interface IRunner
    {
        double Step();

        double Forward();

        double Backward();
    }

    private sealed class Runner<T> : IRunner
        where T : struct, IFloatingPointIeee754<T>
    {
        private readonly Network<T> _network;
        private readonly Tensor<T> _x;
        private readonly Tensor<T> _y;
        private readonly GradientDescent _optimizer = new(0.01, momentum: 0.9);

        public Runner(int hidden, int batchSize)
        {
            _network = new NetworkBuilder<T>(784, seed: 1).Dense(hidden, Activation.ReLU).Dense(10).Build();
            var random = new Random(2);
            _x = new Tensor<T>(batchSize, 784);
            var labels = new int[batchSize];
            for (int i = 0; i < batchSize; i++)
            {
                labels[i] = random.Next(10);
                for (int j = 0; j < 784; j++)
                {
                    _x[i, j] = T.CreateChecked(random.NextDouble());
                }
            }

            _y = Tensor<T>.OneHot(labels, 10);
            Step(); // sizes every buffer and the optimizer's velocities
        }

        public double Step()
        {
            T loss = _network.ComputeGradients(_x, _y, Loss.CrossEntropy);
            _optimizer.Step(_network.Parameters);
            return double.CreateChecked(loss);
        }

        public double Forward() => double.CreateChecked(_network.Forward(_x)[0, 0]);

        public double Backward()
        {
            _network.Backward(_y, Loss.CrossEntropy);
            return double.CreateChecked(_network.Parameters[0].Gradients[0]);
        }
    }
}
