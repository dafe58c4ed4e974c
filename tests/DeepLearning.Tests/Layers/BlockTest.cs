using System.Text.Json;
using DeepLearning.Diagnostics;
using DeepLearning.Serialization;

namespace DeepLearning.Tests.Layers;

/// <summary>Layers that hold layers — residual(...) and sequential(...) — and an activation's name as a layer.</summary>
public class BlockTest
{
    [Fact]
    public void Residual_AddsItsInputToItsLayersOutput_ByHand()
    {
        // F(x) = x·W with W = 2I: the block gives x + 2x = 3x, and ∂L/∂x = G + 2G.
        var dense = new Dense<double>(2, 2, useBias: false);
        dense.Weights.SetDiagonal([2, 2]);
        dense.Weights[0, 1] = 0;
        dense.Weights[1, 0] = 0;
        var block = new Residual<double>(FeatureShape.Flat(2), dense);

        Tensor<double> y = block.Forward(Tensor<double>.FromRows([1, -2]));
        Tensor<double> dx = block.Backward(Tensor<double>.FromRows([0.5, 1]))!;

        y.GetRow(0).Should().Equal(3, -6);
        dx.GetRow(0).Should().Equal(1.5, 3);
        block.Parameters.Should().ContainSingle().Which.Should().BeSameAs(dense.Parameters[0]);
    }

    [Fact]
    public void Spec_ResidualAndActivationLayers_BuildTheIssuesNetwork()
    {
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed: 1)
            .Add("dense(128,relu)").Add("residual(dense(128,relu) dense(128))").Add("relu").Add("dense(10)").Build();

        network.Layers.Select(l => l.Kind).Should().Equal("dense", "residual", "activation", "dense");
        network.Layers[1].Children.Select(l => l.Name).Should().Equal("Dense(128→128)", "Dense(128→128)");
        network.ParameterCount.Should().Be((784 * 128) + 128 + (2 * ((128 * 128) + 128)) + (128 * 10) + 10);
        network.Summary().Should().Contain("  Dense(128→128)").And.Contain("Residual(128)").And.Contain("ReLU(128)");
    }

    [Fact]
    public void Sequential_Times_BuildsCopiesWithWeightsOfTheirOwn_AndStoresEveryLayer()
    {
        ILayer<double> stack = Registries.Layers.Create<double>("sequential(residual(layer_norm dense(8, tanh)), times=3)", FeatureShape.Sequence(5, 8), new Random(2));

        stack.Children.Should().HaveCount(3);
        stack.Parameters.Should().HaveCount(3 * 4);
        stack.Parameters[2].Values.ToArray().Should().NotEqual(stack.Parameters[6].Values.ToArray(), "each copy draws its own weights");
        stack.Configuration.Get("times").Should().Be("1");
        LayerRegistry.SplitSpecs(stack.Configuration.Get("layers")).Should().HaveCount(3);
        Registries.Layers.Create<double>(stack.Kind, stack.Configuration, new Random(9)).Parameters.Should().HaveCount(12);
    }

    [Fact]
    public void GradientCheck_ResidualAndSequentialBlocks_Pass()
    {
        Network<double> network = new NetworkBuilder<double>(6, seed: 3)
            .Add("dense(5, tanh)").Add("residual(dense(5, tanh) dense(5))").Add("sequential(dense(4) sigmoid residual(dense(4, tanh)))").Add("dense(3)")
            .Build();

        GradientCheckResult check = GradientCheck.Run(network, TorchParity.Random<double>(4, 6, 1), Tensor<double>.OneHot([0, 2, 1, 2], 3), Loss.CrossEntropy);

        check.Passed(1e-7).Should().BeTrue(check.ToString());
    }

    [Theory]
    [InlineData("residual(dense(64))", "*residual: its layers turn 128 into 64*")]
    [InlineData("residual()", "*residual*")]
    [InlineData("residual(dense(8) dense(8)", "*has no matching*")]
    [InlineData("sequential(dense(8), times=0)", "*times must be a whole number of at least 1*")]
    [InlineData("sequential(dense(8), times=20000)", "*more than the 10,000 a network may hold*")]
    [InlineData("activation(nope)", "*unknown activation 'nope'*")]
    [InlineData("softmax", "*normalizes a row, and a 2×4×4 image*")]
    public void Plan_BadBlocks_OneLine(string spec, string message)
    {
        FeatureShape input = spec == "softmax" ? new FeatureShape(2, 4, 4) : FeatureShape.Flat(128);

        Action act = () => Registries.Layers.Plan(spec, input);

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void ModelFile_Blocks_RoundTrip_AndPredictTheSame()
    {
        using var dir = new TempDirectory();
        Network<double> network = new NetworkBuilder<double>(6, seed: 3)
            .Add("dense(5, relu)").Add("residual(dense(5, relu) dropout(0.2) dense(5))").Add("sequential(tanh dense(4), times=2)").Add("dense(3)").Build(Loss.CrossEntropy);
        Tensor<double> x = TorchParity.Random<double>(4, 6, 1);

        ModelFile.Save(network, dir.File("blocks.dlnn"));
        Network<double> loaded = ModelFile.Load<double>(dir.File("blocks.dlnn"));

        loaded.Layers.Select(LayerRegistry.SpecOf).Should().Equal(network.Layers.Select(LayerRegistry.SpecOf));
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
    }

    [Fact]
    public void SafeTensors_Blocks_NestedNames_DocumentedInTheModuleCode()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(6, seed: 3)
            .Add("dense(5, relu)").Add("residual(dense(5, relu) dense(5))").Add("sequential(dense(4) tanh)").Add("dense(3)").Build(Loss.CrossEntropy);

        SafeTensors.Save(network, dir.File("blocks.safetensors"));

        JsonElement header = NormalizationTest.SafeTensorsHeader(dir.File("blocks.safetensors"));
        header.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").Should().BeEquivalentTo(
            "0.weight", "0.bias", "2.body.0.weight", "2.body.0.bias", "2.body.2.weight", "2.body.2.bias", "3.0.weight", "3.0.bias", "4.weight", "4.bias");
        header.GetProperty("__metadata__").GetProperty("deeplearning.pytorch").GetString().Should().Be(
            "nn.Sequential(nn.Linear(6, 5), nn.ReLU(), dl.Residual(nn.Linear(5, 5), nn.ReLU(), nn.Linear(5, 5)), nn.Sequential(nn.Linear(5, 4), nn.Tanh()), nn.Linear(4, 3))");
        Network<float> loaded = SafeTensors.Load<float>(dir.File("blocks.safetensors"));
        Tensor<float> x = TorchParity.Random<float>(4, 6, 1);
        loaded.Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
    }

    [SkippableFact]
    public void SafeTensors_Blocks_LoadInPyTorch_AndPredictTheSame()
    {
        PyTorch.SkipUnlessInstalled();
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(6, seed: 3)
            .Add("dense(5, relu)").Add("residual(dense(5, relu) dense(5))").Add("sequential(dense(4) tanh)").Add("dense(3)").Build(Loss.CrossEntropy);
        Tensor<float> x = TorchParity.Random<float>(4, 6, 1);
        SafeTensors.Save(network, dir.File("blocks.safetensors"));
        File.WriteAllText(dir.File("x.json"), JsonSerializer.Serialize(TorchParity.Rows(x)));

        (int code, string output) = PyTorch.Run("-c", """
            import json, sys, torch
            sys.path.insert(0, sys.argv[3])
            import deeplearning_torch as dl
            model, _ = dl.load(sys.argv[1])
            x = torch.tensor(json.load(open(sys.argv[2])), dtype=torch.float32).view(4, 6)
            print(json.dumps(model(x).detach().flatten().tolist()))
            """, dir.File("blocks.safetensors"), dir.File("x.json"), NormalizationTest.PythonHelpers);

        code.Should().Be(0, output);
        TorchParity.AssertClose(TorchParity.Rows(network.Outputs(x)), JsonDocument.Parse(output).RootElement, 1e-5, "outputs");
    }

    [Fact]
    public void Onnx_ResidualNetwork_RunsInOnnxRuntime_AsPredictDoes()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(new FeatureShape(2, 6, 6), seed: 3)
            .Add("conv2d(2, 3, padding=1)").Add("residual(conv2d(2, 3, relu, padding=1) conv2d(2, 3, padding=1))").Add("relu").Add("flatten").Add("residual(dense(5, tanh) dense(72))").Add("dense(3)").Build(Loss.CrossEntropy);
        Tensor<float> x = TorchParity.Random<float>(5, 72, 1);

        OnnxExport.Save(network, dir.File("resnet.onnx"));
        float[,] onnx = Serialization.OnnxExportTest.RunOnnx(dir.File("resnet.onnx"), x, "probabilities");

        Tensor<float> ours = network.Predict(x);
        for (int i = 0; i < 5; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                onnx[i, j].Should().BeApproximately(ours[i, j], 1e-5f);
            }
        }
    }

    [Fact]
    public void SplitSpecs_SplitsAtTopLevelSpaces()
    {
        LayerRegistry.SplitSpecs(" dense(100, relu)  residual(dense(8) dense(8)) relu ").Should().Equal("dense(100, relu)", "residual(dense(8) dense(8))", "relu");
    }
}
