using System.Numerics;
using System.Text.Json;
using DeepLearning.Diagnostics;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Layers;

/// <summary>BatchNorm and LayerNorm: numbers by hand, PyTorch parity in both modes, gradient checks, and their state through every file format.</summary>
public class NormalizationTest
{
    [Fact]
    public void BatchNorm_TwoFeaturesThreeSamples_NormalizesByHandAndUpdatesTheRunningAverages()
    {
        // Feature 0 holds 1, 3, 5: μ = 3, σ² = (4 + 0 + 4)/3 = 8/3; feature 1 holds 2, 4, 9: μ = 5, σ² = (9 + 1 + 16)/3 = 26/3.
        var layer = new BatchNorm<double>(FeatureShape.Flat(2));
        var x = Tensor<double>.FromRows([1, 2], [3, 4], [5, 9]);

        Tensor<double> y = layer.Forward(x, training: true);

        double s0 = Math.Sqrt((8.0 / 3) + 1e-5), s1 = Math.Sqrt((26.0 / 3) + 1e-5);
        y.ToArray().Should().BeEquivalentTo(new[,] { { -2 / s0, -3 / s1 }, { 0, -1 / s1 }, { 2 / s0, 4 / s1 } }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
        layer.RunningMean.ToArray().Should().Equal(0.30000000000000004, 0.5); // 0.9·0 + 0.1·μ
        layer.RunningVariance[0].Should().BeApproximately((0.9 * 1) + (0.1 * 8.0 / 3 * 3 / 2), 1e-15); // the unbiased σ²·N/(N − 1) = 4
        layer.RunningVariance[1].Should().BeApproximately((0.9 * 1) + (0.1 * 26.0 / 3 * 3 / 2), 1e-15);
        layer.BatchesTracked.Should().Be(1);

        Tensor<double> inference = layer.Forward(Tensor<double>.FromRows([3, 5]));
        inference[0, 0].Should().BeApproximately((3 - 0.3) / Math.Sqrt(layer.RunningVariance[0] + 1e-5), 1e-12, "at inference the running averages are used");
    }

    [Fact]
    public void LayerNorm_OneRow_NormalizesItsFeaturesByHand()
    {
        // [1, 2, 3]: μ = 2, σ² = 2/3, so x̂ = (x − 2)/√(2/3 + ε) ≈ [−1.2247, 0, 1.2247]; with γ = [1, 2, 1] and β = [0, 0, 1].
        var layer = new LayerNorm<double>(FeatureShape.Flat(3));
        layer.Scale[1] = 2;
        layer.Shift[2] = 1;

        Tensor<double> y = layer.Forward(Tensor<double>.FromRows([1, 2, 3]));

        double s = Math.Sqrt((2.0 / 3) + 1e-5);
        y.GetRow(0).Should().BeEquivalentTo(new[] { -1 / s, 0, (1 / s) + 1 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
    }

    [Fact]
    public void LayerNorm_Sequence_NormalizesEachPositionOverItsFeatures()
    {
        // One sample of 2 positions × 3 features, stored feature by feature: position 0 is [1, 2, 3], position 1 is [10, 10, 40].
        var layer = new LayerNorm<double>(FeatureShape.Sequence(2, 3));
        var x = Tensor<double>.FromRows([1, 10, 2, 10, 3, 40]);

        Tensor<double> y = layer.Forward(x);

        double s0 = Math.Sqrt((2.0 / 3) + 1e-5), s1 = Math.Sqrt(200 + 1e-5);
        y.GetRow(0).Should().BeEquivalentTo(new[] { -1 / s0, -10 / s1, 0, -10 / s1, 1 / s0, 20 / s1 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
        layer.Parameters.Select(p => p.Count).Should().Equal(3, 3);
    }

    public static TheoryData<string, bool, bool> BatchNormConfigurations => new()
    {
        { "5", false, true },
        { "5", true, true },
        { "3×4×4", false, true },
        { "3×4×4", true, true },
        { "3×4×4", false, false },
        { "5", true, false },
    };

    [SkippableTheory]
    [MemberData(nameof(BatchNormConfigurations))]
    public void BatchNorm_MatchesPyTorch_OutputEveryGradientAndTheRunningAverages(string shape, bool useFloat, bool training)
    {
        PyTorch.SkipUnlessInstalled();
        FeatureShape input = FeatureShape.TryParse(shape, out FeatureShape parsed) ? parsed : throw new ArgumentException(shape);
        if (useFloat)
        {
            CompareBatchNorm<float>(input, training, 1e-5);
        }
        else
        {
            CompareBatchNorm<double>(input, training, 1e-12);
        }
    }

    public static TheoryData<string, bool> LayerNormConfigurations => new()
    {
        { "6", false },
        { "6", true },
        { "4×5", false },
        { "4×5", true },
        { "2×3×3", false },
        { "2×3×3", true },
    };

    [SkippableTheory]
    [MemberData(nameof(LayerNormConfigurations))]
    public void LayerNorm_MatchesPyTorch_OutputAndEveryGradient(string shape, bool useFloat)
    {
        PyTorch.SkipUnlessInstalled();
        FeatureShape input = FeatureShape.TryParse(shape, out FeatureShape parsed) ? parsed : throw new ArgumentException(shape);
        if (useFloat)
        {
            CompareLayerNorm<float>(input, 2e-5);
        }
        else
        {
            CompareLayerNorm<double>(input, 1e-12);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GradientCheck_NetworksWithBatchAndLayerNormalization_PassInBothModes(bool training)
    {
        Network<double> network = new NetworkBuilder<double>(new FeatureShape(2, 5, 5), seed: 5)
            .Add("conv2d(3, 3)").Add("batch_norm").Add("tanh").Add("dense(6)").Add("batch_norm(momentum=0.3)").Add("relu").Add("layer_norm").Add("dense(4)")
            .Build();
        Tensor<double> x = TorchParity.Random<double>(6, 50, 8);
        if (!training)
        {
            network.Forward(x, training: true); // running averages that are not the initial 0 and 1
        }

        GradientCheckResult check = GradientCheck.Run(network, x, Tensor<double>.OneHot([0, 3, 1, 2, 3, 0], 4), Loss.CrossEntropy, training: training);

        check.Passed(1e-6).Should().BeTrue(check.ToString());
    }

    [Fact]
    public void GradientCheck_BiasBeforeABatchNorm_PassesThanksToTheFloor()
    {
        // The bias is subtracted again with the batch's mean: its true gradient is 0, its numerical one rounding noise.
        Network<double> network = new NetworkBuilder<double>(4, seed: 2).Add("dense(3)").Add("batch_norm").Add("dense(2)").Build();
        Tensor<double> x = TorchParity.Random<double>(5, 4, 3);

        GradientCheckResult check = GradientCheck.Run(network, x, Tensor<double>.OneHot([0, 1, 1, 0, 1], 2), Loss.CrossEntropy, training: true);
        GradientCheckResult noFloor = GradientCheck.Run(network, x, Tensor<double>.OneHot([0, 1, 1, 0, 1], 2), Loss.CrossEntropy, training: true, floor: 1e-300);

        check.Passed(1e-6).Should().BeTrue(check.ToString());
        noFloor.Parameters[1].RelativeError.Should().BeGreaterThan(1e-3, "without a floor, noise over noise is a large relative error");
    }

    [Fact]
    public void GradientCheck_TrainingMode_LeavesTheStateAsItWas()
    {
        Network<double> network = new NetworkBuilder<double>(4, seed: 2).Add("dense(3)").Add("batch_norm").Add("dropout(0.5)").Add("dense(2)").Build();
        Tensor<double> x = TorchParity.Random<double>(5, 4, 3);
        double[] before = [.. network.State.SelectMany(s => s.Values.ToArray())];

        GradientCheckResult check = GradientCheck.Run(network, x, Tensor<double>.OneHot([0, 1, 1, 0, 1], 2), Loss.CrossEntropy, training: true);

        check.Passed(1e-6).Should().BeTrue("every pass drops the same neurons: " + check);
        network.State.SelectMany(s => s.Values.ToArray()).Should().Equal(before);
    }

    [Fact]
    public void ModelFile_TrainedBatchNormNetwork_LoadsWithItsRunningAverages_AndPredictsTheSame()
    {
        using var dir = new TempDirectory();
        Network<float> network = TrainedNormalizedNetwork();
        Tensor<float> x = TorchParity.Random<float>(7, 2 * 6 * 6, 9);

        ModelFile.Save(network, dir.File("bn.dlnn"));
        Network<float> loaded = ModelFile.Load<float>(dir.File("bn.dlnn"));

        loaded.State.Select(s => s.Name).Should().Equal(network.State.Select(s => s.Name));
        loaded.State.SelectMany(s => s.Values.ToArray()).Should().Equal(network.State.SelectMany(s => s.Values.ToArray()));
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering(), "bit for bit: the running averages came back");
    }

    [Fact]
    public void SafeTensors_BatchNorm_WritesPyTorchsBuffers_CountAsInt64_AndReadsThemBack()
    {
        using var dir = new TempDirectory();
        Network<float> network = TrainedNormalizedNetwork();
        Tensor<float> x = TorchParity.Random<float>(7, 2 * 6 * 6, 9);

        SafeTensors.Save(network, dir.File("bn.safetensors"));
        Network<float> loaded = SafeTensors.Load<float>(dir.File("bn.safetensors"));

        JsonElement header = SafeTensorsHeader(dir.File("bn.safetensors"));
        header.GetProperty("1.num_batches_tracked").GetProperty("dtype").GetString().Should().Be("I64");
        header.GetProperty("1.num_batches_tracked").GetProperty("shape").GetArrayLength().Should().Be(0, "PyTorch's count is a scalar");
        header.GetProperty("1.running_var").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(3);
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        ((BatchNorm<float>)loaded.Layers[1]).BatchesTracked.Should().Be(((BatchNorm<float>)network.Layers[1]).BatchesTracked).And.BeGreaterThan(0);
    }

    [SkippableFact]
    public void SafeTensors_NormalizedNetwork_LoadsInPyTorch_AndPredictsTheSame()
    {
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        Network<float> network = TrainedNormalizedNetwork();
        Tensor<float> x = TorchParity.Random<float>(7, 2 * 6 * 6, 9);
        SafeTensors.Save(network, dir.File("bn.safetensors"));
        File.WriteAllText(dir.File("x.json"), JsonSerializer.Serialize(TorchParity.Rows(x)));

        string script = $$"""
            import json, sys, torch
            sys.path.insert(0, sys.argv[3])
            import deeplearning_torch as dl
            model, _ = dl.load(sys.argv[1])
            model.eval()
            x = torch.tensor(json.load(open(sys.argv[2])), dtype=torch.float32).view(7, 2, 6, 6)
            print(json.dumps(torch.softmax(model(x), dim=-1).detach().flatten().tolist()))
            """;
        (int code, string output) = PyTorch.Run("-c", script, dir.File("bn.safetensors"), dir.File("x.json"), PythonHelpers);

        code.Should().Be(0, output);
        TorchParity.AssertClose(TorchParity.Rows(network.Predict(x)), JsonDocument.Parse(output).RootElement, 1e-5, "probabilities");
    }

    [SkippableFact]
    public void SafeTensors_WrittenByPyTorchWithItsInt64Count_LoadsInto()
    {
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        string script = """
            import json, sys, torch
            sys.path.insert(0, sys.argv[2])
            import deeplearning_torch as dl
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
            model.train()
            for _ in range(3):
                model(torch.randn(8, 4))
            model.eval()
            dl.save(sys.argv[1], model)
            x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.0, 2.0]])
            print(json.dumps(model(x).detach().flatten().tolist()))
            """;
        (int code, string output) = PyTorch.Run("-c", script, dir.File("torch.safetensors"), PythonHelpers);
        code.Should().Be(0, output);

        Network<float> network = new NetworkBuilder<float>(4).Add("dense(3)").Add("batch_norm").Add("relu").Add("dense(2)").Build();
        SafeTensors.LoadInto(network, dir.File("torch.safetensors"));

        ((BatchNorm<float>)network.Layers[1]).BatchesTracked.Should().Be(3);
        TorchParity.AssertClose(TorchParity.Rows(network.Outputs(Tensor<float>.FromRows([1, 2, 3, 4], [-1, 0.5f, 0, 2]))), JsonDocument.Parse(output).RootElement, 1e-5, "outputs");
    }

    [Fact]
    public void Onnx_BatchAndLayerNormalization_RunInOnnxRuntime_AsPredictDoes()
    {
        using var dir = new TempDirectory();
        Network<float> network = TrainedNormalizedNetwork();
        Tensor<float> x = TorchParity.Random<float>(7, 2 * 6 * 6, 9);

        OnnxExport.Save(network, dir.File("bn.onnx"));
        float[,] onnx = Serialization.OnnxExportTest.RunOnnx(dir.File("bn.onnx"), x, "probabilities");

        Tensor<float> ours = network.Predict(x);
        for (int i = 0; i < 7; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                onnx[i, j].Should().BeApproximately(ours[i, j], 1e-5f);
            }
        }
    }

    [Theory]
    [InlineData("batch_norm(momentum=0)", "*momentum must be in (0, 1]*")]
    [InlineData("batch_norm(eps=-1)", "*eps must be a positive finite number*")]
    [InlineData("layer_norm(eps=0)", "*eps must be a positive finite number*")]
    public void Plan_BadSettings_OneLine(string spec, string message)
    {
        Action act = () => Registries.Layers.Plan(spec, FeatureShape.Flat(4));

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void BatchNorm_OnASequence_SaysToUseLayerNorm()
    {
        Action act = () => Registries.Layers.Plan("batch_norm", FeatureShape.Sequence(4, 8));

        act.Should().Throw<ArgumentException>().WithMessage("*4×8 is a sequence; normalize a sequence with layer_norm*");
    }

    [Fact]
    public void BatchNorm_TrainingBatchOfOne_OneLine()
    {
        var layer = new BatchNorm<float>(FeatureShape.Flat(3));

        Action act = () => layer.Forward(Tensor<float>.FromRows([1, 2, 3]), training: true);

        act.Should().Throw<ArgumentException>().WithMessage("*a training batch needs more than one value per channel*");
    }

    /// <summary>tests/python, where deeplearning_torch.py lives.</summary>
    internal static string PythonHelpers => Path.Combine(Docs.PageCodeTest.FindRoot(), "tests", "python");

    internal static JsonElement SafeTensorsHeader(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return JsonDocument.Parse(bytes.AsMemory(8, length)).RootElement.Clone();
    }

    /// <summary>conv → batch norm → relu → dense → layer norm → dense, trained a few steps so the running averages moved.</summary>
    private static Network<float> TrainedNormalizedNetwork()
    {
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(2, 6, 6), seed: 4)
            .Add("conv2d(3, 3)").Add("batch_norm").Add("relu").Add("dense(8)").Add("layer_norm").Add("tanh").Add("dense(3)")
            .Build(Loss.CrossEntropy);
        Tensor<float> x = TorchParity.Random<float>(40, 72, 5);
        Tensor<float> y = Tensor<float>.OneHot([.. Enumerable.Range(0, 40).Select(i => i % 3)], 3);
        network.Fit(x, y, Loss.CrossEntropy, new GradientDescent(0.1, 0.9), new TrainingOptions { Epochs = 3, BatchSize = 8 });
        return network;
    }

    private static void CompareBatchNorm<T>(FeatureShape shape, bool training, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        var layer = new BatchNorm<T>(shape, momentum: 0.2, epsilon: 1e-4);
        Tensor<T> warm = TorchParity.Random<T>(4, (int)shape.Size, 30);
        layer.Forward(warm, training: true); // running averages that are not 0 and 1
        var random = new Random(31);
        for (int c = 0; c < shape.Channels; c++)
        {
            layer.Scale[c] = T.CreateChecked(1 + random.NextDouble());
            layer.Shift[c] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        double[] mean = [.. TorchParity.Values<T>(layer.RunningMean)], variance = [.. TorchParity.Values<T>(layer.RunningVariance)];
        Tensor<T> x = TorchParity.Random<T>(5, (int)shape.Size, 32), g = TorchParity.Random<T>(5, (int)shape.Size, 33);
        Tensor<T> y = layer.Forward(x, training).Clone();
        Tensor<T> dx = layer.Backward(g)!.Clone();

        string view = shape.IsFlat ? "5, -1" : $"5, {shape.Channels}, {shape.Height}, {shape.Width}";
        JsonElement torch = TorchParity.Run(
            $$"""
            rm = torch.tensor({{JsonSerializer.Serialize(mean)}}, dtype=torch.float64)
            rv = torch.tensor({{JsonSerializer.Serialize(variance)}}, dtype=torch.float64)
            y = F.batch_norm(x.view({{view}}), rm, rv, gamma, beta, training={{(training ? "True" : "False")}}, momentum=0.2, eps=1e-4)
            y.backward(g.view(y.shape))
            extra['running_mean'] = rm
            extra['running_var'] = rv
            """,
            ("x", TorchParity.Rows(x)),
            ("gamma", TorchParity.Values<T>(layer.Scale)),
            ("beta", TorchParity.Values<T>(layer.Shift)),
            ("g", TorchParity.Rows(g)));

        TorchParity.AssertClose(TorchParity.Rows(y), torch.GetProperty("y"), tolerance, "output");
        TorchParity.AssertClose(TorchParity.Rows(dx), torch.GetProperty("x.grad"), tolerance, "∂L/∂X");
        TorchParity.AssertClose(TorchParity.Values<T>(layer.Parameters[0].Gradients), torch.GetProperty("gamma.grad"), tolerance, "∂L/∂γ");
        TorchParity.AssertClose(TorchParity.Values<T>(layer.Parameters[1].Gradients), torch.GetProperty("beta.grad"), tolerance, "∂L/∂β");
        TorchParity.AssertClose(TorchParity.Values<T>(layer.RunningMean), torch.GetProperty("running_mean"), tolerance, "running mean");
        TorchParity.AssertClose(TorchParity.Values<T>(layer.RunningVariance), torch.GetProperty("running_var"), tolerance, "running variance");
    }

    private static void CompareLayerNorm<T>(FeatureShape shape, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        var layer = new LayerNorm<T>(shape, epsilon: 1e-5);
        var random = new Random(41);
        for (int f = 0; f < shape.Features; f++)
        {
            layer.Scale[f] = T.CreateChecked(1 + random.NextDouble());
            layer.Shift[f] = T.CreateChecked(random.NextDouble() - 0.5);
        }

        Tensor<T> x = TorchParity.Random<T>(3, (int)shape.Size, 42), g = TorchParity.Random<T>(3, (int)shape.Size, 43);
        Tensor<T> y = layer.Forward(x, training: true).Clone();
        Tensor<T> dx = layer.Backward(g)!.Clone();

        // PyTorch's layouts: [m, n], [m, T, D] (the library's rows hold a sequence feature by feature), [m, C, H, W].
        (string input, string normalized, string back) = shape.IsSequence
            ? ($"x.view(3, {shape.Features}, {shape.Positions}).transpose(1, 2)", $"[{shape.Features}]", ".transpose(1, 2)")
            : shape.IsFlat ? ("x.view(3, -1)", $"[{shape.Features}]", string.Empty) : ($"x.view(3, {shape.Channels}, {shape.Height}, {shape.Width})", $"[{shape.Channels}, {shape.Height}, {shape.Width}]", string.Empty);
        string weights = shape.IsFlat || shape.IsSequence ? string.Empty : $".view({shape.Channels}, {shape.Height}, {shape.Width})";
        JsonElement torch = TorchParity.Run(
            $"""
            y = F.layer_norm({input}, {normalized}, gamma{weights}, beta{weights}, eps=1e-5){back}.contiguous()
            y.backward(g.view(y.shape))
            """,
            ("x", TorchParity.Rows(x)),
            ("gamma", TorchParity.Values<T>(layer.Scale)),
            ("beta", TorchParity.Values<T>(layer.Shift)),
            ("g", TorchParity.Rows(g)));

        TorchParity.AssertClose(TorchParity.Rows(y), torch.GetProperty("y"), tolerance, "output");
        TorchParity.AssertClose(TorchParity.Rows(dx), torch.GetProperty("x.grad"), tolerance, "∂L/∂X");
        TorchParity.AssertClose(TorchParity.Values<T>(layer.Parameters[0].Gradients), torch.GetProperty("gamma.grad"), tolerance, "∂L/∂γ");
        TorchParity.AssertClose(TorchParity.Values<T>(layer.Parameters[1].Gradients), torch.GetProperty("beta.grad"), tolerance, "∂L/∂β");
    }
}
