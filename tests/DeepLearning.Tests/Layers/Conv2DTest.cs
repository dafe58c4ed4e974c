using System.Globalization;
using System.Text.Json;
using DeepLearning.Compute;
using DeepLearning.Diagnostics;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Layers;

/// <summary>Conv2D and MaxPool2D: worked examples, parity with PyTorch, gradient checks, shapes and files.</summary>
public class Conv2DTest
{
    [Fact]
    public void Forward_OneFilterOnA3x3Image_IsThePatchTimesTheFilterAtEveryPosition()
    {
        // Image [[1,2,3],[4,5,6],[7,8,9]], filter [[1,0],[0,-1]] (top-left minus bottom-right), bias 10.
        var layer = new Conv2D<double>(new FeatureShape(1, 3, 3), filters: 1, kernel: 2);
        double[] filter = [1, 0, 0, -1];
        for (int q = 0; q < 4; q++)
        {
            layer.Weights[q, 0] = filter[q]; // row c·k·k + u·k + v: the patch value at (u, v)
        }

        layer.Bias[0] = 10;

        Tensor<double> a = layer.Forward(Tensor<double>.FromRow(1, 2, 3, 4, 5, 6, 7, 8, 9));

        layer.OutputShape.Should().Be(new FeatureShape(1, 2, 2));
        a.GetRow(0).Should().Equal(1 - 5 + 10, 2 - 6 + 10, 4 - 8 + 10, 5 - 9 + 10);
    }

    [Fact]
    public void Forward_TwoSamplesTwoFilters_OutputIsChannelMajorPerSample()
    {
        var layer = new Conv2D<double>(new FeatureShape(1, 2, 2), filters: 2, kernel: 1, useBias: false);
        layer.Weights[0, 0] = 1;
        layer.Weights[0, 1] = -2;

        Tensor<double> a = layer.Forward(Tensor<double>.FromRows([1, 2, 3, 4], [5, 6, 7, 8]));

        a.GetRow(0).Should().Equal(1, 2, 3, 4, -2, -4, -6, -8); // filter 0's 2×2 map, then filter 1's
        a.GetRow(1).Should().Equal(5, 6, 7, 8, -10, -12, -14, -16);
    }

    [Fact]
    public void MaxPool_Ties_GradientGoesToTheFirstInRowMajorOrder()
    {
        var layer = new MaxPool2D<double>(new FeatureShape(1, 2, 4), kernel: 2);

        Tensor<double> a = layer.Forward(Tensor<double>.FromRow(3, 3, 1, 2, 3, 3, 2, 1));
        Tensor<double> dx = layer.Backward(Tensor<double>.FromRow(10, 20))!;

        a.GetRow(0).Should().Equal(3, 2);
        dx.GetRow(0).Should().Equal(10, 0, 0, 20, 0, 0, 0, 0);
    }

    [Theory]
    [InlineData(1, 28, 5, 1, 0)]   // Nielsen's first convolution
    [InlineData(3, 9, 3, 2, 1)]    // stride and padding: patches reaching outside the image
    [InlineData(2, 7, 4, 1, 2)]
    [InlineData(1, 1, 7, 1, 3)]    // padding wider than the image: whole rows of positions outside it
    [InlineData(2, 2, 5, 3, 3)]
    public void Conv2D_OneImage_SameOutputBitForBitAsItsRowInABatch(int channels, int size, int k, int stride, int padding)
    {
        // One image gathers its patches from one image's rows (its own path): the same patches, so the same products.
        var layer = new Conv2D<float>(new FeatureShape(channels, size, size), 4, k, Activation.ReLU, stride, padding, random: new Random(3));
        Tensor<float> x = Random<float>(5, layer.InputSize, 4);
        Tensor<float> batch = layer.Forward(x).Clone();
        for (int row = 0; row < 5; row++)
        {
            layer.Forward(Tensor<float>.FromRow(x.GetRow(row))).GetRow(0).Should().Equal(batch.GetRow(row), $"row {row}");
        }
    }

    [Theory]
    [InlineData(2, 6, 6, 2, 0, 0, 4)]
    [InlineData(3, 7, 5, 3, 2, 1, 4)]
    [InlineData(1, 5, 5, 4, 1, 2, 4)]
    [InlineData(2, 6, 6, 2, 0, 0, 10)] // a batch of at least one vector of floats: vectors of samples, the last overlapping
    [InlineData(3, 7, 5, 3, 2, 1, 21)]
    [InlineData(1, 5, 5, 4, 1, 2, 16)]
    [InlineData(3, 24, 24, 2, 2, 0, 4)] // 2×2 windows, stride 2: one image compares vectors of windows (Nielsen's pooling)
    [InlineData(2, 9, 11, 2, 0, 0, 5)] // odd sides: a vector of windows, then single windows, the last column unused
    [InlineData(2, 8, 16, 2, 2, 0, 10)]
    public void MaxPool_OneImage_SameOutputAndGradientAsItsRowInABatch(int c, int size, int width, int k, int s, int p, int rows)
    {
        // One image takes its own path (no columns of samples to compare side by side), a batch of floats its vectors of
        // samples: same maxima, same winners — ties, NaN, padding and overlapping windows included.
        var layer = new MaxPool2D<float>(new FeatureShape(c, size, width), k, s, p);
        var random = new Random(5);
        var x = new Tensor<float>(rows, layer.InputSize);
        Span<float> values = x.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.Next(10) == 0 ? float.NaN : random.Next(4);
        }

        Tensor<float> g = Random<float>(rows, layer.OutputSize, 6);
        Tensor<float> a = layer.Forward(x, training: true).Clone();
        Tensor<float> dx = layer.Backward(g)!.Clone();
        for (int row = 0; row < rows; row++)
        {
            Tensor<float> one = layer.Forward(Tensor<float>.FromRow(x.GetRow(row)), training: true);
            one.GetRow(0).Should().Equal(a.GetRow(row), (u, v) => u.Equals(v), $"row {row}'s maxima");
            layer.Backward(Tensor<float>.FromRow(g.GetRow(row)))!.GetRow(0).Should().Equal(dx.GetRow(row), $"row {row}'s gradient");
        }
    }

    public static TheoryData<string, bool> ConvConfigurations => new()
    {
        { "1,6,6,3,3,1,0,identity,2", false },
        { "1,6,6,3,3,1,0,identity,2", true },
        { "2,7,5,4,3,2,1,relu,3", false },
        { "2,7,5,4,3,2,1,relu,3", true },
        { "3,8,8,5,5,1,2,tanh,4", true },
        { "3,9,9,2,4,3,0,sigmoid,1", false },
        { "1,2,2,2,5,3,3,identity,3", true }, // padding wider than the image: whole rows of patches read padding
    };

    [SkippableTheory]
    [MemberData(nameof(ConvConfigurations))]
    public void Conv2D_MatchesPyTorch_OutputAndEveryGradient(string configuration, bool useFloat)
    {
        PyTorch.SkipUnlessInstalled();
        int[] n = [.. configuration.Split(',').Where((_, i) => i != 7).Select(int.Parse)];
        (int c, int h, int w, int f, int k, int s, int p, int m) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
        string activation = configuration.Split(',')[7];
        if (useFloat)
        {
            CompareConv<float>(c, h, w, f, k, s, p, m, activation, 1e-6);
        }
        else
        {
            CompareConv<double>(c, h, w, f, k, s, p, m, activation, 1e-12);
        }
    }

    public static TheoryData<string, bool> PoolConfigurations => new()
    {
        { "2,6,6,2,0,0,3", false },
        { "2,6,6,2,0,0,3", true },
        { "1,7,7,3,2,1,2", false },
        { "3,5,8,2,1,1,2", true },
        { "1,9,9,3,3,0,1", false },
    };

    [SkippableTheory]
    [MemberData(nameof(PoolConfigurations))]
    public void MaxPool2D_MatchesPyTorch_WithTiesStridesAndPadding(string configuration, bool useFloat)
    {
        PyTorch.SkipUnlessInstalled();
        int[] n = [.. configuration.Split(',').Select(int.Parse)];
        if (useFloat)
        {
            ComparePool<float>(n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
        }
        else
        {
            ComparePool<double>(n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientCheck_SmallConvolutionalNetwork_Passes(bool strided)
    {
        Network<double> network = new NetworkBuilder<double>(new FeatureShape(2, 8, 8), seed: 3)
            .Add(strided ? "conv2d(3, 3, tanh, stride=2, padding=1)" : "conv2d(3, 3, tanh)")
            .Add("maxpool2d(2)")
            .Add("conv2d(4, 2, sigmoid)")
            .Add("dense(5)")
            .Build();
        var random = new Random(7);
        var x = new Tensor<double>(4, 128);
        Span<double> values = x.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble() - 0.5;
        }

        Tensor<double> y = Tensor<double>.OneHot([0, 3, 1, 4], 5);

        GradientCheckResult result = GradientCheck.Run(network, x, y, Loss.CrossEntropy);

        result.Passed(1e-7).Should().BeTrue(string.Join("; ", result.Parameters.Select(p => $"{p.Name} {p.RelativeError:E2}")));
    }

    [Theory]
    [InlineData("conv2d(20, 29)", "*the 29×29 kernel is larger than the 1×28×28 image*")]
    [InlineData("conv2d(0, 5)", "*filters must be a whole number of at least 1*")]
    [InlineData("conv2d(20, -5)", "*kernel must be a whole number of at least 1*")]
    [InlineData("conv2d(20, 5, softmax)", "*normalises a whole row*")]
    [InlineData("conv2d(2147483647, 5)", "*the weight matrix would be 25×2,147,483,647*")]
    [InlineData("maxpool2d(30)", "*the 30×30 window is larger than the 1×28×28 image*")]
    [InlineData("maxpool2d(2, padding=2)", "*padding 2 is more than half the 2×2 window*")]
    [InlineData("conv2d(4, 5, padding=2147483640)", "*the output would be 4×4,294,967,304×4,294,967,304 values per image*")]
    [InlineData("conv2d(1, 1, padding=1000000)", "*the output would be 1×2,000,028×2,000,028 values per image*")]
    public void Plan_BadSizes_OneClearLine(string spec, string message)
    {
        Action act = () => Registries.Layers.Plan(spec, new FeatureShape(1, 28, 28));

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Conv2D_PaddingSoLargeTheOutputWouldWrap_IsRefused_NotBuiltSmall()
    {
        Action act = () => _ = new Conv2D<float>(new FeatureShape(1, 28, 28), 4, 5, padding: int.MaxValue);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("conv2d: the output would be 4×4,294,967,318×4,294,967,318 values per image*");
        new Conv2D<float>(new FeatureShape(1, 28, 28), 4, 5, padding: 100).OutputShape.Should().Be(new FeatureShape(4, 224, 224));
    }

    [Theory]
    [InlineData(2001, 1000)]
    [InlineData(int.MaxValue, int.MaxValue / 2)]
    public void MaxPool_AWindowFarLargerThanTheImage_IsTheImagesMaximum_ItsGradientToTheFirstWinner(int kernel, int padding)
    {
        // Every window covers the whole 28×28 image (the padding, −∞, is never visited): each output is the image's
        // largest value, and the gradient of all 784 outputs goes to its first winner in row-major order.
        var pool = new MaxPool2D<float>(new FeatureShape(1, 28, 28), kernel, stride: 1, padding: padding);
        float[] image = [.. Enumerable.Range(0, 784).Select(i => (float)((i * 37) % 101))];

        Tensor<float> y = pool.Forward(Tensor<float>.FromRows(image), training: true);
        Tensor<float> dx = pool.Backward(Tensor<float>.FromRows([.. Enumerable.Repeat(1f, 784)]))!;

        pool.OutputShape.Should().Be(new FeatureShape(1, 28, 28));
        y.GetRow(0).Should().OnlyContain(v => v == 100);
        int first = Array.IndexOf(image, 100f);
        dx.GetRow(0).Select((g, i) => (g, i)).Should().OnlyContain(p => p.g == (p.i == first ? 784 : 0));
    }

    [Fact]
    public void Plan_ConvolutionAfterAFlatLayer_SaysItNeedsAnImage()
    {
        Action act = () => new NetworkBuilder<float>(784).Add("conv2d(4, 3)");

        act.Should().Throw<ArgumentException>().WithMessage("*conv2d needs an image (C×H×W) but the layer before gives 784 flat values*");
    }

    [Fact]
    public void NielsensNetwork_ShapesChainAndTheSummaryShowsThem()
    {
        Network<float> network = Nielsen();

        network.Layers.Select(l => l.OutputShape.ToString()).Should().Equal("20×24×24", "20×12×12", "40×8×8", "40×4×4", "100", "10");
        network.ParameterCount.Should().Be((25 * 20) + 20 + (500 * 40) + 40 + (640 * 100) + 100 + (100 * 10) + 10);
    }

    [Fact]
    public void ModelFileAndSafetensors_SaveAndLoad_PredictExactlyTheSame()
    {
        using var dir = new TempDirectory();
        Network<float> network = Nielsen();
        Tensor<float> x = Images(3, seed: 2);
        float[,] expected = network.Outputs(x).ToArray();

        ModelFile.Save(network, dir.File("cnn.dlnn"));
        SafeTensors.Save(network, dir.File("cnn.safetensors"));

        ModelFile.Load<float>(dir.File("cnn.dlnn")).Outputs(x).ToArray().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        SafeTensors.Load<float>(dir.File("cnn.safetensors")).Outputs(x).ToArray().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public void TorchSequential_NamesEveryModuleAsPyTorchWould()
    {
        TorchSequential<float> sequence = TorchSequential<float>.Of(Nielsen());

        sequence.ToString().Should().Be("nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(20, 40, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(640, 100), nn.ReLU(), nn.Linear(100, 10))");
        sequence.Tensors.Select(t => $"{t.Name} [{string.Join(", ", t.Parameter.ExportShape)}]").Should().Equal(
            "0.weight [20, 1, 5, 5]", "0.bias [20]", "3.weight [40, 20, 5, 5]", "3.bias [40]", "7.weight [100, 640]", "7.bias [100]", "9.weight [10, 100]", "9.bias [10]");
    }

    [Fact]
    public void Onnx_ConvolutionalNetwork_RunsInOnnxRuntimeOnTheSameRows()
    {
        using var dir = new TempDirectory();
        Network<float> network = Nielsen();
        network.Loss = Loss.CrossEntropy;
        Tensor<float> x = Images(5, seed: 4);
        OnnxExport.Save(network, dir.File("cnn.onnx"));

        float[,] onnx = Serialization.OnnxExportTest.RunOnnx(dir.File("cnn.onnx"), x);
        float[,] ours = network.Outputs(x).ToArray();

        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 10; j++)
            {
                onnx[i, j].Should().BeApproximately(ours[i, j], 1e-4f);
            }
        }
    }

    [Fact]
    public void TrainingStep_ConvolutionalNetwork_AllocatesNothingAfterTheFirstBatches()
    {
        Network<float> network = Nielsen();
        Tensor<float> x = Images(10, seed: 1);
        Tensor<float> y = Tensor<float>.OneHot([.. Enumerable.Range(0, 10)], 10);
        var optimizer = new GradientDescent(0.01);
        for (int warmUp = 0; warmUp < 50; warmUp++)
        {
            network.ComputeGradients(x, y, Loss.CrossEntropy);
            optimizer.Step(network.Parameters);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 0; step < 5; step++)
        {
            network.ComputeGradients(x, y, Loss.CrossEntropy);
            optimizer.Step(network.Parameters);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [SkippableFact]
    public void TrainingSteps_OneThreadOrAll_BitIdenticalWeights()
    {
        // 64 images: im2col, col2im and every product are large enough to be split over the threads.
        Tensor<float> x = Images(64, seed: 2);
        Tensor<float> y = Tensor<float>.OneHot([.. Enumerable.Range(0, 64).Select(i => i % 10)], 10);
        float[] Train(int threads)
        {
            ManagedBackend backend = ManagedBackend.Instance;
            int saved = backend.MaxThreads;
            backend.MaxThreads = threads;
            try
            {
                using IDisposable scope = Backend.Use(backend);
                Network<float> network = Nielsen(seed: 3);
                var optimizer = new GradientDescent(0.05, momentum: 0.9);
                for (int step = 0; step < 3; step++)
                {
                    network.ComputeGradients(x, y, Loss.CrossEntropy);
                    optimizer.Step(network.Parameters);
                }

                return [.. network.Parameters.SelectMany(p => p.Values.ToArray())];
            }
            finally
            {
                backend.MaxThreads = saved;
            }
        }

        Skipping.If(Environment.ProcessorCount < 2, "one processor: nothing to split");
        Train(1).Should().Equal(Train(Environment.ProcessorCount));
    }

    internal static Network<float> Nielsen(int seed = 1) => new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed)
        .Add("conv2d(20, 5, relu)").Add("maxpool2d(2)").Add("conv2d(40, 5, relu)").Add("maxpool2d(2)").Add("dense(100, relu)").Add("dense(10)").Build();

    internal static Tensor<float> Images(int count, int seed)
    {
        var random = new Random(seed);
        var x = new Tensor<float>(count, 784);
        Span<float> values = x.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)random.NextDouble();
        }

        return x;
    }

    private static void CompareConv<T>(int c, int h, int w, int f, int k, int s, int p, int m, string activation, double tolerance)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var layer = new Conv2D<T>(new FeatureShape(c, h, w), f, k, Registries.Activations.Create(activation), s, p, new Gaussian(0, 0.5), new Gaussian(0, 0.5), new Random(11));
        Tensor<T> x = Random<T>(m, c * h * w, 12), g = Random<T>(m, layer.OutputSize, 13);
        Tensor<T> a = layer.Forward(x, training: true).Clone();
        Tensor<T> dx = layer.Backward(g)!.Clone();

        string torchActivation = activation switch { "relu" => "torch.relu(y)", "tanh" => "torch.tanh(y)", "sigmoid" => "torch.sigmoid(y)", _ => "y" };
        JsonElement torch = Run($$"""
            y = F.conv2d(x.view({{m}}, {{c}}, {{h}}, {{w}}), W.view({{f}}, {{c}}, {{k}}, {{k}}), b, stride={{s}}, padding={{p}})
            y = {{torchActivation}}
            y.backward(g.view(y.shape))
            """, typeof(T) == typeof(float), ("x", Rows(x)), ("W", layer.Parameters[0].Values.ToArray().Select(v => double.CreateChecked(v))), ("b", layer.Parameters[1].Values.ToArray().Select(v => double.CreateChecked(v))), ("g", Rows(g)));

        AssertClose(Rows(a), torch.GetProperty("y"), tolerance, "output");
        AssertClose(Rows(dx), torch.GetProperty("x.grad"), tolerance, "∂L/∂X");
        AssertClose(layer.Parameters[0].Gradients.ToArray().Select(v => double.CreateChecked(v)), torch.GetProperty("W.grad"), tolerance, "∂L/∂W");
        AssertClose(layer.Parameters[1].Gradients.ToArray().Select(v => double.CreateChecked(v)), torch.GetProperty("b.grad"), tolerance, "∂L/∂b");
    }

    private static void ComparePool<T>(int c, int h, int w, int k, int s, int p, int m)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        var layer = new MaxPool2D<T>(new FeatureShape(c, h, w), k, s, p);
        var random = new Random(21);
        var x = new Tensor<T>(m, c * h * w);
        Span<T> values = x.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(random.Next(4)); // few distinct values: many ties
        }

        Tensor<T> g = Random<T>(m, layer.OutputSize, 22);
        Tensor<T> a = layer.Forward(x, training: true).Clone();
        Tensor<T> dx = layer.Backward(g)!.Clone();

        JsonElement torch = Run(
            $"y = F.max_pool2d(x.view({m}, {c}, {h}, {w}), {k}, stride={(s == 0 ? k : s)}, padding={p})\ny.backward(g.view(y.shape))",
            typeof(T) == typeof(float),
            ("x", Rows(x)),
            ("g", Rows(g)));

        // The maxima are copies: exact. Gradients add up where windows overlap (stride < k): rounding only; a gradient
        // sent to the wrong winner would be off by a whole value.
        AssertClose(Rows(a), torch.GetProperty("y"), 0, "output");
        AssertClose(Rows(dx), torch.GetProperty("x.grad"), typeof(T) == typeof(float) ? 1e-6 : 1e-12, "∂L/∂X (ties to the first in row-major order)");
    }

    private static JsonElement Run(string code, bool useFloat, params (string Name, IEnumerable<double> Values)[] tensors)
    {
        _ = useFloat; // float runs compare with PyTorch in double on the same float inputs
        return TorchParity.Run(code, tensors);
    }

    private static void AssertClose(IEnumerable<double> ours, JsonElement theirs, double tolerance, string what) => TorchParity.AssertClose(ours, theirs, tolerance, what);

    private static IEnumerable<double> Rows<T>(Tensor<T> x)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
        => TorchParity.Rows(x);

    [Fact]
    public void NetworkBuilder_Conv2DAndMaxPool2D_BuildWhatTheSpecsBuild()
    {
        var shape = new FeatureShape(1, 28, 28);
        Network<float> methods = new NetworkBuilder<float>(shape, seed: 7).Conv2D(6, 5, Activation.ReLU).MaxPool2D(2).Conv2D(4, 3, stride: 2, padding: 1).Dense(10).Build(Loss.CrossEntropy);
        Network<float> specs = new NetworkBuilder<float>(shape, seed: 7).Add("conv2d(6,5,relu)").Add("maxpool2d(2)").Add("conv2d(4,3,stride=2,padding=1)").Add("dense(10)").Build(Loss.CrossEntropy);

        methods.Layers.Select(LayerRegistry.SpecOf).Should().Equal(specs.Layers.Select(LayerRegistry.SpecOf));
        methods.Layers[2].OutputShape.Should().Be(new FeatureShape(4, 6, 6));
        for (int p = 0; p < methods.Parameters.Count; p++)
        {
            methods.Parameters[p].Values.ToArray().Should().Equal(specs.Parameters[p].Values.ToArray(), "the same seed draws the same initial weights");
        }
    }

    [Fact]
    public void NetworkBuilder_EveryOtherLayerMethod_BuildsWhatItsSpecBuilds()
    {
        Network<float> sequence = new NetworkBuilder<float>(FeatureShape.Sequence(6, 1), seed: 3)
            .Embedding(9, 8).PositionEmbedding().LayerNorm().SelfAttention(2).Rnn(6, Activation.ReLU).Gru(4).Context(2).GlobalMaxPool().Dense(3)
            .Build(Loss.CrossEntropy);
        Network<float> sequenceSpecs = new NetworkBuilder<float>(FeatureShape.Sequence(6, 1), seed: 3)
            .Add("embedding(9,8)").Add("position_embedding").Add("layer_norm").Add("self_attention(2)").Add("rnn(6,relu)").Add("gru(4)").Add("context(2)").Add("global_max_pool").Add("dense(3)")
            .Build(Loss.CrossEntropy);
        Network<float> image = new NetworkBuilder<float>(new FeatureShape(1, 6, 6), seed: 4).Conv2D(2, 3).BatchNorm().Flatten().Dense(2).Build(Loss.CrossEntropy);
        Network<float> imageSpecs = new NetworkBuilder<float>(new FeatureShape(1, 6, 6), seed: 4).Add("conv2d(2,3)").Add("batch_norm").Add("flatten").Add("dense(2)").Build(Loss.CrossEntropy);

        foreach ((Network<float> methods, Network<float> specs) in new[] { (sequence, sequenceSpecs), (image, imageSpecs) })
        {
            methods.Layers.Select(LayerRegistry.SpecOf).Should().Equal(specs.Layers.Select(LayerRegistry.SpecOf));
            methods.Parameters.Count.Should().Be(specs.Parameters.Count);
            for (int p = 0; p < methods.Parameters.Count; p++)
            {
                methods.Parameters[p].Values.ToArray().Should().Equal(specs.Parameters[p].Values.ToArray(), $"parameter {p}: the same seed draws the same initial weights");
            }
        }
    }

    [Fact]
    public void Forward_ABatchWhosePatchesNoArrayCanHold_ClearArgumentException()
    {
        // One pixel padded by 1,000 on each side: 2001×2001 positions, so 1,100 samples have 4.4 billion patches.
        var conv = new Conv2D<float>(new FeatureShape(1, 1, 1), 1, 1, padding: 1000);

        Action act = () => conv.Forward(new Tensor<float>(1_100, 1));

        act.Should().Throw<ArgumentException>().WithMessage("Conv2D(*): a batch of 1,100 samples needs buffers larger than an array can hold; pass fewer rows at a time.")
            .WithInnerException<OverflowException>();
    }

    private static Tensor<T> Random<T>(int rows, int columns, int seed)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
        => TorchParity.Random<T>(rows, columns, seed);
}
