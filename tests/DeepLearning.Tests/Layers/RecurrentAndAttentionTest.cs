using System.Numerics;
using System.Text.Json;
using DeepLearning.Diagnostics;
using DeepLearning.Serialization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepLearning.Tests.Layers;

/// <summary>The layers that read sequences — position tables, windows, recurrent layers, attention — and GELU.</summary>
public class RecurrentAndAttentionTest
{
    /// <summary>Every sequence layer, on a sequence of 4 positions with 3 features (the attention's 4 with 2 heads).</summary>
    public static TheoryData<string> SequenceLayers => new()
    {
        "position_embedding",
        "position_embedding(7)",
        "context(3)",
        "rnn(5)",
        "rnn(5, relu)",
        "gru(5)",
        "self_attention(2)",
        "self_attention(1, causal=false)",
        "gelu",
        "gelu_tanh",
    };

    [Theory]
    [MemberData(nameof(SequenceLayers))]
    public void GradientCheck_EachSequenceLayer_InANetworkThatScoresEveryPosition(string spec)
    {
        FeatureShape input = FeatureShape.Sequence(4, spec.StartsWith("self_attention", StringComparison.Ordinal) ? 4 : 3);
        Network<double> network = new NetworkBuilder<double>(input, seed: 3).Add(spec).Add("dense(5)").Build(Loss.CrossEntropy);
        Tensor<double> x = TorchParity.Random<double>(3, (int)input.Size, 4);
        var y = Tensor<double>.FromRows([1, 4, 0, -1], [2, 2, 3, 1], [0, 1, -1, -1]);

        GradientCheckResult check = GradientCheck.Run(network, x, y, Loss.CrossEntropy);

        check.Passed(1e-7).Should().BeTrue(check.ToString());
    }

    [SkippableTheory]
    [MemberData(nameof(SequenceLayers))]
    public void EachSequenceLayer_MatchesPyTorch_OutputAndEveryGradient_InFloatAndDouble(string spec)
    {
        PyTorch.SkipUnlessInstalled();
        CompareWithTorch<double>(spec, 1e-12);
        CompareWithTorch<float>(spec, 2e-5);
    }

    [Theory]
    [MemberData(nameof(SequenceLayers))]
    public void Onnx_EachSequenceLayerAfterAnEmbedding_GivesWhatPredictGives(string spec)
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(5, 1), seed: 2)
            .Add("embedding(7, 4)").Add(spec).Add("dense(7)").Build(Loss.CrossEntropy);
        var x = Tensor<float>.FromRows([0, 1, 2, 3, 4], [6, 6, 5, 0, 1], [2, 2, 2, 2, 2]);

        OnnxExport.Save(network, dir.File("m.onnx"));
        using var session = new InferenceSession(dir.File("m.onnx"));
        long[] ids = [.. Enumerable.Range(0, 3).SelectMany(i => Enumerable.Range(0, 5).Select(t => (long)x[i, t]))];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(ids, new[] { 3, 5 }))]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> onnx = results.Single(r => r.Name == "probabilities").AsTensor<float>();

        Tensor<float> ours = network.Predict(x);
        for (int i = 0; i < 3; i++)
        {
            for (int t = 0; t < 5; t++)
            {
                for (int v = 0; v < 7; v++)
                {
                    onnx[i, t, v].Should().BeApproximately(ours[i, (v * 5) + t], 2e-6f, $"{spec}: sample {i}, position {t}, token {v}");
                }
            }
        }
    }

    [Fact]
    public void Rnn_OneUnitOverThreeSteps_ByHand()
    {
        // h_t = tanh(w_x·x_t + b_x + w_h·h_(t−1) + b_h) with w_x = 0.5, w_h = −1, b_x = 0.1, b_h = 0.2, x = 1, 2, 3.
        var rnn = new Rnn<double>(FeatureShape.Sequence(3, 1), hidden: 1);
        rnn.Parameters[0].Values[0] = 0.5;
        rnn.Parameters[1].Values[0] = -1;
        rnn.Parameters[2].Values[0] = 0.1;
        rnn.Parameters[3].Values[0] = 0.2;

        Tensor<double> h = rnn.Forward(Tensor<double>.FromRows([1, 2, 3]));

        double h0 = Math.Tanh(0.5 + 0.3), h1 = Math.Tanh(1 + 0.3 - h0), h2 = Math.Tanh(1.5 + 0.3 - h1);
        h.GetRow(0).Should().Equal(h0, h1, h2);
    }

    [Fact]
    public void SelfAttention_TwoPositionsOneHead_ByHand()
    {
        // W_qkv = [I I I] (q = k = v = x) and W_o = I: position 0 sees itself only; position 1 mixes both by softmax(x₁·x_j/√2).
        var attention = new SelfAttention<double>(FeatureShape.Sequence(2, 2), heads: 1);
        attention.Parameters[0].Matrix.Clear();
        attention.Parameters[2].Matrix.Clear();
        for (int d = 0; d < 2; d++)
        {
            for (int block = 0; block < 3; block++)
            {
                attention.Parameters[0].Matrix[d, (block * 2) + d] = 1;
            }

            attention.Parameters[2].Matrix[d, d] = 1;
        }

        // x_0 = (1, 0), x_1 = (0, 2): stored feature by feature, [x₀₀, x₁₀, x₀₁, x₁₁].
        Tensor<double> y = attention.Forward(Tensor<double>.FromRows([1, 0, 0, 2]));

        double s0 = 0 / Math.Sqrt(2), s1 = 4 / Math.Sqrt(2), w0 = Math.Exp(s0) / (Math.Exp(s0) + Math.Exp(s1)), w1 = 1 - w0;
        y.GetRow(0).Should().BeEquivalentTo(new[] { 1, w0 * 1, 0, w1 * 2 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-14)).WhenTypeIs<double>());
        double[,] weights = attention.Weights(0, 0);
        (weights[0, 0], weights[0, 1]).Should().Be((1, 0), "position 0 sees only itself");
        weights[1, 0].Should().BeApproximately(w0, 1e-15);
        weights[1, 1].Should().BeApproximately(w1, 1e-15);
        attention.Queries(0, 0).Should().BeEquivalentTo(new double[,] { { 1, 0 }, { 0, 2 } }, "q = x");
        attention.Keys(0, 0).Should().BeEquivalentTo(new double[,] { { 1, 0 }, { 0, 2 } }, "k = x");
        attention.Values(0, 0).Should().BeEquivalentTo(new double[,] { { 1, 0 }, { 0, 2 } }, "v = x");
    }

    [Fact]
    public void SelfAttention_QueriesAndKeys_GiveEveryWeightBySoftmaxOfTheMaskedScores()
    {
        // What the playground's Names page shows for a clicked cell: q_t·k_j/√d, −∞ for j > t, a softmax over the row.
        var attention = new SelfAttention<double>(FeatureShape.Sequence(5, 4), heads: 2, random: new Random(3));
        var x = new Tensor<double>(3, 20);
        var random = new Random(4);
        for (int i = 0; i < x.AsSpan().Length; i++)
        {
            x.AsSpan()[i] = random.NextDouble() * 4 - 2;
        }

        attention.Forward(x);

        for (int sample = 0; sample < 3; sample++)
        {
            for (int head = 0; head < 2; head++)
            {
                double[,] q = attention.Queries(sample, head), k = attention.Keys(sample, head), w = attention.Weights(sample, head);
                (q.GetLength(0), q.GetLength(1), attention.Values(sample, head).GetLength(1)).Should().Be((5, 2, 2));
                for (int t = 0; t < 5; t++)
                {
                    double[] scores = [.. Enumerable.Range(0, t + 1).Select(j => ((q[t, 0] * k[j, 0]) + (q[t, 1] * k[j, 1])) / Math.Sqrt(2))];
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int j = 0; j < 5; j++)
                    {
                        w[t, j].Should().BeApproximately(j <= t ? Math.Exp(scores[j] - max) / sum : 0, 1e-12, $"sample {sample}, head {head}, ({t}, {j})");
                    }
                }
            }
        }

        FluentActions.Invoking(() => attention.Keys(3, 0)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*3 samples*");
        FluentActions.Invoking(() => attention.Queries(0, 2)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*2 heads*");
        FluentActions.Invoking(() => new SelfAttention<float>(FeatureShape.Sequence(2, 2), 1).Values(0, 0))
            .Should().Throw<InvalidOperationException>().WithMessage("*Values: no forward pass yet*");
    }

    [Theory]
    [InlineData("self_attention(3)", "*3 heads must share the 4 features equally*")]
    [InlineData("position_embedding(3)", "*the sequences have 5 positions but the table holds 3*")]
    [InlineData("rnn(0)", "*hidden must be a whole number of at least 1*")]
    [InlineData("rnn(4, softmax)", "*normalizes a row*")]
    [InlineData("context(0)", "*size must be a whole number of at least 1*")]
    public void Plan_BadSequenceLayers_OneLine(string spec, string message)
    {
        Action act = () => Registries.Layers.Plan(spec, FeatureShape.Sequence(5, 4));

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Theory]
    [InlineData("rnn(4)")]
    [InlineData("gru(4)")]
    [InlineData("self_attention(2)")]
    [InlineData("position_embedding")]
    [InlineData("context(2)")]
    public void Plan_SequenceLayerAfterAFlatVector_SaysItNeedsASequence(string spec)
    {
        Action act = () => Registries.Layers.Plan(spec, FeatureShape.Flat(8));

        act.Should().Throw<ArgumentException>().WithMessage("*(T×D), but the layer before gives 8*");
    }

    [Fact]
    public void Gelu_ByHand_AndItsTanhApproximation()
    {
        var z = Tensor<double>.FromRows([0, 1, -1, 3]);
        var a = new Tensor<double>(1, 4);

        Activation.Gelu.Forward(z, a);
        double[] exact = a.GetRow(0);
        Activation.GeluTanh.Forward(z, a);

        // z·Φ(z) with Φ(1) = 0.8413447460685429 and Φ(3) = 0.9986501019683699 from the normal table.
        exact.Should().BeEquivalentTo(new[] { 0, 0.8413447460685429, -0.15865525393145707, 3 * 0.9986501019683699 }, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>());
        a.GetRow(0).Zip(exact).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-3);
    }

    /// <summary>The layer alone in a double network (float values, for the float run), saved as safetensors, loaded into PyTorch by its module code; forward and backward there on the same input and gradient.</summary>
    private static void CompareWithTorch<T>(string spec, double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        FeatureShape input = FeatureShape.Sequence(4, spec.StartsWith("self_attention", StringComparison.Ordinal) ? 4 : 3);
        Network<T> network = new NetworkBuilder<T>(input, seed: 6).Add(spec).Build();
        foreach (Parameter<T> parameter in network.Parameters)
        {
            parameter.Values.ToArray().Select((_, i) => T.CreateChecked(Math.Sin((i * 1.7) + parameter.Count) * 0.8)).ToArray().CopyTo(parameter.Values);
        }

        ILayer<T> layer = network.Layers[0];
        Tensor<T> x = TorchParity.Random<T>(3, (int)input.Size, 11), g = TorchParity.Random<T>(3, layer.OutputSize, 12);
        Tensor<T> y = layer.Forward(x, training: true).Clone();
        Tensor<T> dx = layer.Backward(g)!.Clone();
        using var dir = new TempDirectory();
        SafeTensors.Save(network, dir.File("layer.safetensors"));
        File.WriteAllText(dir.File("data.json"), JsonSerializer.Serialize(new { x = TorchParity.Rows(x), g = TorchParity.Rows(g) }));

        (int code, string output) = PyTorch.Run("-c", $$"""
            import json, sys, torch
            sys.path.insert(0, sys.argv[3])
            import deeplearning_torch as dl
            torch.set_num_threads(1)
            model, _ = dl.load(sys.argv[1], dtype=torch.float64)
            d = json.load(open(sys.argv[2]))
            x = dl.rows_to_sequence(torch.tensor(d['x'], dtype=torch.float64).view(3, -1), {{input.Positions}}, {{input.Features}}).detach().requires_grad_()
            y = model(x)
            y.backward(dl.rows_to_sequence(torch.tensor(d['g'], dtype=torch.float64).view(3, -1), y.shape[1], y.shape[2]))
            out = {'y': dl.sequence_to_rows(y).flatten().tolist(), 'x.grad': dl.sequence_to_rows(x.grad).flatten().tolist()}
            for name, p in model.named_parameters():
                out[name] = p.grad.flatten().tolist()
            print(json.dumps(out))
            """, dir.File("layer.safetensors"), dir.File("data.json"), NormalizationTest.PythonHelpers);
        code.Should().Be(0, output);
        JsonElement torch = JsonDocument.Parse(output).RootElement;

        TorchParity.AssertClose(TorchParity.Rows(y), torch.GetProperty("y"), tolerance, $"{spec} ({typeof(T).Name}): output");
        TorchParity.AssertClose(TorchParity.Rows(dx), torch.GetProperty("x.grad"), tolerance, $"{spec} ({typeof(T).Name}): ∂L/∂X");
        foreach ((string name, Parameter<T> parameter) in TorchSequential<T>.Of(network).Tensors)
        {
            T[] gradient = new T[parameter.Count];
            if (parameter.ExportRowByRow)
            {
                StorageOrder.ToRowByRow<T>(parameter.Gradients, parameter.Shape.Rows, parameter.Shape.Columns, gradient);
            }
            else
            {
                parameter.Gradients.CopyTo(gradient);
            }

            TorchParity.AssertClose(TorchParity.Values<T>(gradient), torch.GetProperty(name), tolerance, $"{spec} ({typeof(T).Name}): ∂L/∂{name}");
        }
    }
}
