using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace DeepLearning.Benchmarks;

/// <summary>
/// A training step of the name writer's transformer (makemore's: 4 blocks, 4 heads, 64 channels, 204,544 parameters) on a
/// batch of 64 names of 16 positions, float, AdamW: forward, backward and update. The PyTorch side of the same step is
/// <c>benchmarks/compare-pytorch/pytorch_names.py --time-steps</c>; <c>compare-names.sh</c> runs both in turn.
/// </summary>
[MemoryDiagnoser]
public class TransformerStepBenchmarks
{
    /// <summary>The name writer's transformer for 27 tokens and 16 positions, as its --model transformer writes it.</summary>
    public const string Layers = "embedding(27,64) position_embedding sequential(residual(layer_norm self_attention(4) dropout(0.2)) residual(layer_norm dense(256,gelu_tanh) dense(64) dropout(0.2)), times=4) layer_norm dense(27, bias=false)";

    /// <summary>Names per step, as the name writer trains its transformer.</summary>
    public const int Batch = 64;

    private Network<float> _network = null!;
    private Tensor<float> _x = null!;
    private Tensor<float> _y = null!;
    private AdamW _optimizer = null!;

    [GlobalSetup]
    public void Setup() => (_network, _x, _y, _optimizer) = Create();

    /// <summary>Forward + backward + the AdamW update.</summary>
    [Benchmark]
    public float TrainingStep() => Step(_network, _x, _y, _optimizer);

    /// <summary>
    /// The step timed without BenchmarkDotNet, as the PyTorch script times its own: <paramref name="warmup"/> steps, then
    /// <paramref name="rounds"/> rounds of <paramref name="steps"/> steps; prints one JSON line with the median ms per step.
    /// </summary>
    public static void Time(int warmup = 20, int rounds = 5, int steps = 50)
    {
        (Network<float> network, Tensor<float> x, Tensor<float> y, AdamW optimizer) = Create();
        for (int s = 0; s < warmup; s++)
        {
            Step(network, x, y, optimizer);
        }

        var times = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int s = 0; s < steps; s++)
            {
                Step(network, x, y, optimizer);
            }

            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds / steps);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"framework\": \"DeepLearning\", \"msPerStep\": {times[times.Count / 2]:F3}, \"parameters\": {network.ParameterCount}, \"threads\": {Environment.ProcessorCount}}}"));
    }

    private static float Step(Network<float> network, Tensor<float> x, Tensor<float> y, AdamW optimizer)
    {
        float loss = network.ComputeGradients(x, y, Loss.CrossEntropy, training: true);
        optimizer.Step(network.Parameters);
        return loss;
    }

    private static (Network<float>, Tensor<float>, Tensor<float>, AdamW) Create()
    {
        var builder = new NetworkBuilder<float>(FeatureShape.Sequence(16, 1), seed: 1);
        foreach (string spec in LayerRegistry.SplitSpecs(Layers))
        {
            builder.Add(spec);
        }

        Network<float> network = builder.Build(Loss.CrossEntropy);
        var random = new Random(2);
        var x = new Tensor<float>(Batch, 16);
        var y = new Tensor<float>(Batch, 16);
        for (int i = 0; i < Batch; i++)
        {
            for (int t = 0; t < 16; t++)
            {
                (x[i, t], y[i, t]) = (random.Next(27), random.Next(27));
            }
        }

        return (network, x, y, new AdamW(2e-3, 0.9, 0.99, 1e-8, 0.01));
    }
}
