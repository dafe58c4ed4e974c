using System.Numerics;
using System.Text.Json;
using DeepLearning.Diagnostics;
using DeepLearning.Serialization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepLearning.Tests.Layers;

/// <summary>global_max_pool: the largest value of each feature over the positions (or of each channel over its pixels).</summary>
public class GlobalMaxPoolTest
{
    [Fact]
    public void Sequence_ByHand_TheWinnerTakesTheGradient_TheFirstOfATie()
    {
        // Two samples of 3 positions × 2 features, feature by feature: positions (1, 5), (4, 2), (3, 6) and (2, 0), (2, 0), (1, 0).
        var pool = new GlobalMaxPool<double>(FeatureShape.Sequence(3, 2));
        var x = Tensor<double>.FromRows([1, 4, 3, 5, 2, 6], [2, 2, 1, 0, 0, 0]);

        Tensor<double> y = pool.Forward(x, training: true);
        Tensor<double> dx = pool.Backward(Tensor<double>.FromRows([10, 20], [30, 40]))!;

        pool.Name.Should().Be("GlobalMaxPool(3×2→2)");
        y.GetRow(0).Should().Equal(4, 6);
        y.GetRow(1).Should().Equal(2, 0);
        dx.GetRow(0).Should().Equal(0, 10, 0, 0, 0, 20);
        dx.GetRow(1).Should().Equal(30, 0, 0, 40, 0, 0);
    }

    [Fact]
    public void Image_ByHand_EachChannelsLargestPixel()
    {
        var pool = new GlobalMaxPool<float>(new FeatureShape(2, 2, 2));
        Tensor<float> y = pool.Forward(Tensor<float>.FromRows([1, -3, 7, 2, -1, -5, -2, -4]), training: true);
        Tensor<float> dx = pool.Backward(Tensor<float>.FromRows([1, 2]))!;

        y.GetRow(0).Should().Equal(7, -1);
        dx.GetRow(0).Should().Equal(0, 0, 1, 0, 2, 0, 0, 0);
    }

    [Fact]
    public void NaN_Wins_AndTakesTheGradient()
    {
        var pool = new GlobalMaxPool<double>(FeatureShape.Sequence(3, 1));
        Tensor<double> y = pool.Forward(Tensor<double>.FromRows([1, double.NaN, 3]), training: true);
        Tensor<double> dx = pool.Backward(Tensor<double>.FromRows([5]))!;

        double.IsNaN(y[0, 0]).Should().BeTrue();
        dx.GetRow(0).Should().Equal(0, 5, 0);
    }

    [Theory]
    [InlineData("dense(5, tanh) global_max_pool dense(4)", true)]
    [InlineData("conv2d(3, 2, tanh) global_max_pool dense(4)", false)]
    public void GradientCheck_ThroughThePool(string specs, bool sequence)
    {
        FeatureShape input = sequence ? FeatureShape.Sequence(5, 3) : new FeatureShape(2, 4, 4);
        var builder = new NetworkBuilder<double>(input, seed: 4);
        foreach (string spec in LayerRegistry.SplitSpecs(specs))
        {
            builder.Add(spec);
        }

        Network<double> network = builder.Build(Loss.CrossEntropy);
        Tensor<double> x = TorchParity.Random<double>(3, (int)input.Size, 5);
        var y = Tensor<double>.FromRows([1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]);

        GradientCheckResult check = GradientCheck.Run(network, x, y, Loss.CrossEntropy);

        check.Passed(1e-7).Should().BeTrue(check.ToString());
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void MatchesPyTorch_OutputAndInputGradient_InFloatAndDouble(bool sequence)
    {
        PyTorch.SkipUnlessInstalled();
        CompareWithTorch<double>(sequence, 1e-12);
        CompareWithTorch<float>(sequence, 1e-6);
    }

    [Theory]
    [InlineData("embedding(7, 4) dense(5, relu) global_max_pool dense(3)", true)]
    [InlineData("conv2d(4, 3, relu) global_max_pool dense(3)", false)]
    public void Onnx_GivesWhatPredictGives(string specs, bool tokens)
    {
        using var dir = new TempDirectory();
        FeatureShape input = tokens ? FeatureShape.Sequence(5, 1) : new FeatureShape(2, 6, 6);
        var builder = new NetworkBuilder<float>(input, seed: 2);
        foreach (string spec in LayerRegistry.SplitSpecs(specs))
        {
            builder.Add(spec);
        }

        Network<float> network = builder.Build(Loss.CrossEntropy);
        Tensor<float> x = tokens
            ? Tensor<float>.FromRows([0, 1, 2, 3, 4], [6, 6, 5, 0, 1], [2, 2, 2, 2, 2])
            : TorchParity.Random<float>(3, (int)input.Size, 8);

        OnnxExport.Save(network, dir.File("m.onnx"));
        using var session = new InferenceSession(dir.File("m.onnx"));
        NamedOnnxValue value = tokens
            ? NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(Enumerable.Range(0, 15).Select(k => (long)x[k / 5, k % 5]).ToArray(), new[] { 3, 5 }))
            : NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(Enumerable.Range(0, 3 * 72).Select(k => x[k / 72, k % 72]).ToArray(), new[] { 3, 72 }));
        using var results = session.Run([value]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> onnx = results.Single(r => r.Name == "probabilities").AsTensor<float>();

        Tensor<float> ours = network.Predict(x);
        for (int i = 0; i < 3; i++)
        {
            for (int k = 0; k < 3; k++)
            {
                onnx[i, k].Should().BeApproximately(ours[i, k], 2e-6f, $"{specs}: sample {i}, class {k}");
            }
        }
    }

    [Fact]
    public void Plan_AfterAFlatVector_SaysItNeedsPositions()
    {
        Action act = () => Registries.Layers.Plan("global_max_pool", FeatureShape.Flat(8));

        act.Should().Throw<ArgumentException>().WithMessage("*global_max_pool takes a sequence (T×D) or an image (C×H×W), but the layer before gives 8*")
            .Which.Message.Should().NotContain("\n");
    }

    /// <summary>The layer alone, saved as safetensors and loaded into PyTorch by its module code; forward and backward there on the same input and gradient.</summary>
    private static void CompareWithTorch<T>(bool sequence, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        FeatureShape input = sequence ? FeatureShape.Sequence(6, 4) : new FeatureShape(3, 4, 5);
        Network<T> network = new NetworkBuilder<T>(input, seed: 6).Add("global_max_pool").Build();
        ILayer<T> layer = network.Layers[0];
        Tensor<T> x = TorchParity.Random<T>(3, (int)input.Size, 11), g = TorchParity.Random<T>(3, layer.OutputSize, 12);
        Tensor<T> y = layer.Forward(x, training: true).Clone();
        Tensor<T> dx = layer.Backward(g)!.Clone();
        using var dir = new TempDirectory();
        SafeTensors.Save(network, dir.File("layer.safetensors"));
        File.WriteAllText(dir.File("data.json"), JsonSerializer.Serialize(new { x = TorchParity.Rows(x), g = TorchParity.Rows(g) }));
        string shaped = sequence
            ? $"dl.rows_to_sequence(rows, {input.Positions}, {input.Features})"
            : $"rows.view(3, {input.Channels}, {input.Height}, {input.Width})";

        (int code, string output) = PyTorch.Run("-c", $$"""
            import json, sys, torch
            sys.path.insert(0, sys.argv[3])
            import deeplearning_torch as dl
            model, _ = dl.load(sys.argv[1], dtype=torch.float64)
            d = json.load(open(sys.argv[2]))
            rows = torch.tensor(d['x'], dtype=torch.float64).view(3, -1)
            x = {{shaped}}.detach().requires_grad_()
            y = model(x)
            y.backward(torch.tensor(d['g'], dtype=torch.float64).view(3, -1))
            grad = dl.sequence_to_rows(x.grad) if x.grad.dim() == 3 else x.grad.flatten(1)
            print(json.dumps({'y': y.flatten().tolist(), 'x.grad': grad.flatten().tolist()}))
            """, dir.File("layer.safetensors"), dir.File("data.json"), NormalizationTest.PythonHelpers);
        code.Should().Be(0, output);
        JsonElement torch = JsonDocument.Parse(output).RootElement;

        TorchParity.AssertClose(TorchParity.Rows(y), torch.GetProperty("y"), tolerance, $"global_max_pool ({typeof(T).Name}): output");
        TorchParity.AssertClose(TorchParity.Rows(dx), torch.GetProperty("x.grad"), tolerance, $"global_max_pool ({typeof(T).Name}): ∂L/∂X");
    }
}
