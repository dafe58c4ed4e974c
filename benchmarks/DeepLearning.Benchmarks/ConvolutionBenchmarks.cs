using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using DeepLearning.Activations;
using DeepLearning.Layers;

namespace DeepLearning.Benchmarks;

/// <summary>
/// The two convolutions of Nielsen's chapter-6 network, float, forward + backward on one mini-batch: 1→20 filters of 5×5
/// on a 28×28 image (the first layer: no ∂L/∂X, as in training) and 20→40 filters of 5×5 on 12×12 (∂L/∂X included).
/// The GFLOP/s column counts 2·(m·H′·W′)·(C·k·k)·F per product: two products for the first layer, three for the second.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class ConvolutionBenchmarks
{
    private Conv2D<float> _layer = null!;
    private Tensor<float> _x = null!, _gradient = null!;
    private bool _inputGradient;

    /// <summary>C×H×W→F: the input image and the number of 5×5 filters.</summary>
    [Params("1x28x28->20", "20x12x12->40")]
    public string Layer { get; set; } = "";

    /// <summary>Images per mini-batch: Nielsen's 10 and the trainer's default 64.</summary>
    [Params(10, 64)]
    public int BatchSize { get; set; }

    [Params(BackendChoice.Managed, BackendChoice.Native)]
    public BackendChoice Backend { get; set; }

    private IDisposable? _scope;

    [GlobalSetup]
    public void Setup()
    {
        _scope = Compute.Backend.Use(BackendChoices.Resolve(Backend));
        (FeatureShape input, int filters) = Parse(Layer);
        _layer = new Conv2D<float>(input, filters, 5, Activation.ReLU, random: new Random(1));
        _inputGradient = input.Channels > 1;
        var random = new Random(2);
        _x = new Tensor<float>(BatchSize, checked((int)input.Size));
        _gradient = new Tensor<float>(BatchSize, checked((int)_layer.OutputShape.Size));
        foreach (Tensor<float> t in (Tensor<float>[])[_x, _gradient])
        {
            Span<float> values = t.AsSpan();
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(random.NextDouble() - 0.5);
            }
        }

        ForwardBackward(); // sizes every buffer
    }

    [GlobalCleanup]
    public void Cleanup() => _scope?.Dispose();

    /// <summary>Forward, then backward to ∂L/∂W, ∂L/∂b and (for the second layer) ∂L/∂X.</summary>
    [Benchmark]
    public float ForwardBackward()
    {
        _layer.Forward(_x, training: true);
        Tensor<float>? dx = _layer.Backward(_gradient, _inputGradient);
        return _layer.WeightGradient[0, 0] + (dx is null ? 0f : dx[0, 0]);
    }

    internal static (FeatureShape Input, int Filters) Parse(string layer)
    {
        string[] sides = layer.Split("->");
        int[] chw = [.. sides[0].Split('x').Select(int.Parse)];
        return (new FeatureShape(chw[0], chw[1], chw[2]), int.Parse(sides[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn("2·(m·H′W′)·(C·k·k)·F per matrix product (P·W, Pᵀ·δ, and δ·Wᵀ when C > 1), divided by the mean time", Operations));

        private static double Operations(BenchmarkCase benchmarkCase)
        {
            (FeatureShape input, int filters) = Parse((string)benchmarkCase.Parameters["Layer"]);
            int m = (int)benchmarkCase.Parameters["BatchSize"];
            double positions = (input.Height - 4.0) * (input.Width - 4.0);
            double product = 2.0 * m * positions * input.Channels * 25 * filters;
            return product * (input.Channels > 1 ? 3 : 2);
        }
    }
}
