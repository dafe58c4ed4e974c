using System.Numerics;
using BenchmarkDotNet.Attributes;
using DeepLearning.Activations;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace DeepLearning.Benchmarks;

/// <summary>
/// The hot loop of training a 784-128-10 network (ReLU, softmax, cross-entropy) on one mini-batch:
/// forward propagation alone, forward + backward, and a whole training step with the update.
/// </summary>
[MemoryDiagnoser]
public class DenseNetworkBenchmarks
{
    private Runner<float> _float = null!;
    private Runner<double> _double = null!;

    /// <summary>Samples per mini-batch.</summary>
    [Params(64)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _float = new Runner<float>(BatchSize);
        _double = new Runner<double>(BatchSize);
    }

    [Benchmark]
    public float ForwardFloat() => _float.Forward();

    [Benchmark]
    public float ForwardAndBackwardFloat() => _float.ForwardAndBackward();

    [Benchmark]
    public float TrainingStepFloat() => _float.Step();

    [Benchmark]
    public double ForwardDouble() => _double.Forward();

    [Benchmark]
    public double ForwardAndBackwardDouble() => _double.ForwardAndBackward();

    private sealed class Runner<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        private readonly Network<T> _network;
        private readonly Tensor<T> _x;
        private readonly Tensor<T> _y;
        private readonly GradientDescent _optimizer = new(0.01);

        public Runner(int batchSize)
        {
            _network = new NetworkBuilder<T>(784, seed: 1).Dense(128, Activation.ReLU).Dense(10, Activation.Softmax).Build();
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
            Step(); // sizes every buffer
        }

        public T Forward() => _network.Forward(_x)[0, 0];

        public T ForwardAndBackward() => _network.ComputeGradients(_x, _y, Loss.CrossEntropy);

        public T Step()
        {
            T loss = _network.ComputeGradients(_x, _y, Loss.CrossEntropy);
            _optimizer.Step(_network.Parameters);
            return loss;
        }
    }
}
