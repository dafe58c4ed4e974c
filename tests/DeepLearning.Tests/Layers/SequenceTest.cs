using System.Numerics;
using System.Text.Json;
using DeepLearning.Data;
using DeepLearning.Diagnostics;
using DeepLearning.Serialization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace DeepLearning.Tests.Layers;

/// <summary>Sequences and tokens: the T×D shape, embeddings, dense layers at every position, a loss that scores every position.</summary>
public class SequenceTest
{
    [Fact]
    public void SequenceShape_WritesAndParsesTimesD_StoredFeatureByFeature()
    {
        FeatureShape shape = FeatureShape.Sequence(16, 64);

        shape.ToString().Should().Be("16×64");
        FeatureShape.TryParse("16×64", out FeatureShape parsed).Should().BeTrue();
        parsed.Should().Be(shape);
        (shape.IsSequence, shape.IsFlat, shape.Positions, shape.Features, shape.Size, shape.Channels).Should().Be((true, false, 16, 64, 1024L, 64));
        FeatureShape.Sequence(1, 8).Should().NotBe(FeatureShape.Flat(8), "a sequence of one position is still a sequence");
        FeatureShape.Sequence(1, 8).IsFlat.Should().BeFalse();
    }

    [Fact]
    public void Embedding_ReadsTheRowOfEachId_OneHotTimesWIsARowOfW()
    {
        var embedding = new Embedding<double>(FeatureShape.Sequence(3, 1), vocabulary: 4, dimension: 2);
        for (int k = 0; k < 4; k++)
        {
            (embedding.Table[k, 0], embedding.Table[k, 1]) = (10 * k, (10 * k) + 1);
        }

        Tensor<double> y = embedding.Forward(Tensor<double>.FromRows([2, 0, 3], [1, 1, 1]));

        // Sample 0 is the sequence of rows 2, 0, 3 of W; its row holds feature 0 of the 3 positions, then feature 1.
        y.GetRow(0).Should().Equal(20, 0, 30, 21, 1, 31);
        y.GetRow(1).Should().Equal(10, 10, 10, 11, 11, 11);
        var oneHot = Tensor<double>.OneHot([2], 4);
        (oneHot.Matrix * embedding.Table).Row(0).ToArray().Should().Equal(20, 21);
    }

    [Theory]
    [InlineData(2.5, "*sample 0, position 1 holds 2.5, which is not a token id (a whole number from 0 to 3)*")]
    [InlineData(4, "*sample 0, position 1 holds 4, which is not a token id*")]
    [InlineData(-1, "*sample 0, position 1 holds -1, which is not a token id*")]
    [InlineData(double.NaN, "*holds NaN, which is not a token id*")]
    public void Embedding_IdThatIsNotOne_OneLineNamingSampleAndPosition(double id, string message)
    {
        var embedding = new Embedding<double>(FeatureShape.Flat(3), vocabulary: 4, dimension: 2);

        Action act = () => embedding.Forward(Tensor<double>.FromRows([1, id, 0]));

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void Embedding_FloatVocabularyBeyondTwoToThe24_Refused_DoubleTakesIt()
    {
        Action huge = () => new Embedding<float>(FeatureShape.Flat(1), vocabulary: (1 << 24) + 1, dimension: 1);

        huge.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*holds token ids exactly only up to 16,777,216*use double*");
        Registries.Layers.Plan($"embedding({(1 << 24) + 1}, 1)", FeatureShape.Flat(1)).Parameters.Should().Be((1 << 24) + 1);
    }

    [Fact]
    public void Embedding_AfterAnythingButIds_SaysWhatItTakes()
    {
        Action act = () => Registries.Layers.Plan("embedding(27, 8)", FeatureShape.Sequence(4, 3));

        act.Should().Throw<ArgumentException>().WithMessage("*embedding takes token ids — a flat row of T ids, or a sequence T×1 — but the layer before gives 4×3*");
    }

    [Fact]
    public void DenseAtEveryPosition_IsTheSameLayerAppliedToEachPositionAlone()
    {
        var dense = new Dense<double>(FeatureShape.Sequence(3, 4), 2, Activation.Tanh, random: new Random(5));
        Tensor<double> x = TorchParity.Random<double>(2, 12, 6);

        Tensor<double> y = dense.Forward(x);

        dense.OutputShape.Should().Be(FeatureShape.Sequence(3, 2));
        dense.Weights.RowCount.Should().Be(4, "one W of D×n_out for every position");
        for (int i = 0; i < 2; i++)
        {
            for (int t = 0; t < 3; t++)
            {
                for (int j = 0; j < 2; j++)
                {
                    double z = dense.Bias![j] + Enumerable.Range(0, 4).Sum(d => x[i, (d * 3) + t] * dense.Weights[d, j]);
                    y[i, (j * 3) + t].Should().BeApproximately(Math.Tanh(z), 1e-14);
                }
            }
        }
    }

    [Fact]
    public void Flatten_Sequence_PositionByPosition_AsNnFlatten()
    {
        var flatten = new Flatten<double>(FeatureShape.Sequence(2, 3));

        // Stored feature by feature: position 0 is [1, 2, 3], position 1 is [4, 5, 6].
        Tensor<double> y = flatten.Forward(Tensor<double>.FromRows([1, 4, 2, 5, 3, 6]));
        Tensor<double> dx = flatten.Backward(Tensor<double>.FromRows([10, 20, 30, 40, 50, 60]))!;

        y.GetRow(0).Should().Equal(1, 2, 3, 4, 5, 6);
        dx.GetRow(0).Should().Equal(10, 40, 20, 50, 30, 60);
    }

    [Fact]
    public void CrossEntropy_ClassIndices_EqualOneHotRows_AndMinusOneIsLeftOutOfTheMean()
    {
        Tensor<double> z = TorchParity.Random<double>(4, 5, 2);
        Tensor<double> ids = Tensor<double>.FromRows([3], [0], [-1], [4]);
        Tensor<double> oneHot = Tensor<double>.OneHot([3, 0, 4], 5);
        Tensor<double> scored = Tensor<double>.FromRows(z.GetRow(0), z.GetRow(1), z.GetRow(3));
        var g = new Tensor<double>(4, 5);
        var gOneHot = new Tensor<double>(3, 5);

        double value = Loss.CrossEntropy.ValueAndGradient(z, ids, g);
        double expected = Loss.CrossEntropy.ValueAndGradient(scored, oneHot, gOneHot);

        value.Should().BeApproximately(expected, 1e-15, "the mean over the 3 rows that have a target");
        Loss.CrossEntropy.Value(z, ids).Should().BeApproximately(expected, 1e-15);
        g.GetRow(2).Should().OnlyContain(v => v == 0, "a row without a target has no gradient");
        g.GetRow(3).Should().BeEquivalentTo(gOneHot.GetRow(2), o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-15)).WhenTypeIs<double>());
    }

    [Theory]
    [InlineData(5, "*target 1 is 5, which is not a class index (a whole number from 0 to 4, or −1 for no target)*")]
    [InlineData(1.5, "*target 1 is 1.5, which is not a class index*")]
    [InlineData(-2, "*target 1 is -2, which is not a class index*")]
    public void CrossEntropy_BadClassIndex_OneLine(double id, string message)
    {
        Action act = () => Loss.CrossEntropy.Value(TorchParity.Random<double>(2, 5, 2), Tensor<double>.FromRows([1], [id]));

        act.Should().Throw<ArgumentException>().WithMessage(message).Which.Message.Should().NotContain("\n");
    }

    [Fact]
    public void LanguageModel_LossScoresEveryPosition_WithPaddingLeftOut()
    {
        // A bigram model: embedding(V, V) gives the next-token logits of every position.
        Network<double> network = new NetworkBuilder<double>(FeatureShape.Sequence(3, 1), seed: 1).Add("embedding(4, 4)").Build(Loss.CrossEntropy);
        var x = Tensor<double>.FromRows([0, 1, 2], [0, 3, 0]);
        var y = Tensor<double>.FromRows([1, 2, 0], [3, 0, -1]);

        Evaluation evaluation = network.Evaluate(x, y, Loss.CrossEntropy);

        // Position by position, by hand: −log softmax(W[x_t])[y_t], over the 5 positions with a target.
        Tensor<double> logits = network.Outputs(x);
        double sum = 0;
        foreach ((int i, int t) in new[] { (0, 0), (0, 1), (0, 2), (1, 0), (1, 1) })
        {
            double[] row = [.. Enumerable.Range(0, 4).Select(v => logits[i, (v * 3) + t])];
            double max = row.Max(), log = Math.Log(row.Sum(v => Math.Exp(v - max))) + max;
            sum += log - row[(int)y[i, t]];
        }

        evaluation.Loss.Should().BeApproximately(sum / 5, 1e-12);
        evaluation.Predictions.Should().Be(5);
        evaluation.Perplexity.Should().BeApproximately(Math.Exp(sum / 5), 1e-9);
        evaluation.Accuracy.Should().NotBeNull();
        evaluation.ToString().Should().Contain("nats per prediction").And.Contain("perplexity").And.Contain("2 samples, 5 predictions");
    }

    [Fact]
    public void GradientCheck_TokensThroughEmbeddingLayerNormAndDenseAtEveryPosition_WithPadding()
    {
        Network<double> network = new NetworkBuilder<double>(FeatureShape.Sequence(4, 1), seed: 2)
            .Add("embedding(5, 3)").Add("layer_norm").Add("dense(6, tanh)").Add("dense(5)").Build(Loss.CrossEntropy);
        var x = Tensor<double>.FromRows([0, 1, 4, 2], [3, 3, 0, 1], [2, 1, 0, 0]);
        var y = Tensor<double>.FromRows([1, 4, 2, -1], [3, 0, 1, 2], [1, 0, -1, -1]);

        GradientCheckResult check = GradientCheck.Run(network, x, y, Loss.CrossEntropy);

        check.Passed(1e-7).Should().BeTrue(check.ToString());
    }

    [Fact]
    public void Fit_LanguageModel_LearnsTheBigrams()
    {
        // The sequence 0 1 2 3 0 1 2 3 …: each token is followed by the next, so a bigram model can reach a loss near 0.
        var x = new Tensor<float>(20, 8);
        var y = new Tensor<float>(20, 8);
        for (int i = 0; i < 20; i++)
        {
            for (int t = 0; t < 8; t++)
            {
                (x[i, t], y[i, t]) = ((i + t) % 4, (i + t + 1) % 4);
            }
        }

        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(8, 1), seed: 3).Add("embedding(4, 4)").Build(Loss.CrossEntropy);
        double before = network.Evaluate(x, y, Loss.CrossEntropy).Loss;

        network.Fit(x, y, Loss.CrossEntropy, new Adam(0.1), new TrainingOptions { Epochs = 60, BatchSize = 5 });

        before.Should().BeGreaterThan(0.5);
        network.Evaluate(x, y, Loss.CrossEntropy).Loss.Should().BeLessThan(0.05);
        network.Evaluate(x, y, Loss.CrossEntropy).Accuracy.Should().Be(1);
    }

    [Fact]
    public void ClassIndexTargets_ForAFlatClassifier_GiveTheOneHotNumbers()
    {
        Tensor<double> x = TorchParity.Random<double>(12, 5, 4);
        int[] labels = [.. Enumerable.Range(0, 12).Select(i => i % 3)];
        Network<double> oneHot = new NetworkBuilder<double>(5, seed: 1).Dense(4, Activation.Tanh).Dense(3).Build();
        Network<double> indices = new NetworkBuilder<double>(5, seed: 1).Dense(4, Activation.Tanh).Dense(3).Build();

        oneHot.Fit(x, Tensor<double>.OneHot(labels, 3), Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 3, BatchSize = 4 });
        indices.Fit(x, Tensor<double>.FromArray(To2D(labels)), Loss.CrossEntropy, new GradientDescent(0.1), new TrainingOptions { Epochs = 3, BatchSize = 4 });

        indices.Parameters.SelectMany(p => p.Values.ToArray()).Zip(oneHot.Parameters.SelectMany(p => p.Values.ToArray()))
            .Should().OnlyContain(pair => Math.Abs(pair.First - pair.Second) < 1e-14);
        indices.Evaluate(x, Tensor<double>.FromArray(To2D(labels)), Loss.CrossEntropy).Accuracy
            .Should().Be(oneHot.Evaluate(x, Tensor<double>.OneHot(labels, 3), Loss.CrossEntropy).Accuracy);
    }

    [Fact]
    public void Evaluate_Regression_ReportsErrorsAndNoAccuracy()
    {
        Network<double> network = new NetworkBuilder<double>(2, seed: 1).Dense(1).Build(Loss.MeanSquaredError);
        var x = Tensor<double>.FromRows([1, 2], [3, 4], [5, 6]);
        var y = Tensor<double>.FromRows([0.3], [2.5], [-1.25]);

        Evaluation evaluation = network.Evaluate(x, y, Loss.MeanSquaredError);

        Tensor<double> p = network.Predict(x);
        evaluation.Accuracy.Should().BeNull("a regression has no accuracy");
        evaluation.MeanSquaredError.Should().BeApproximately(Enumerable.Range(0, 3).Average(i => Math.Pow(p[i, 0] - y[i, 0], 2)), 1e-12);
        evaluation.MeanAbsoluteError.Should().BeApproximately(Enumerable.Range(0, 3).Average(i => Math.Abs(p[i, 0] - y[i, 0])), 1e-12);
        evaluation.ToString().Should().Contain("MSE").And.NotContain("accuracy");
    }

    [Fact]
    public void Targets_NeitherRowsNorIndices_OneLineWithBothShapes()
    {
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(4, 1)).Add("embedding(5, 5)").Build(Loss.CrossEntropy);

        Action act = () => network.Evaluate(new Tensor<float>(2, 4), new Tensor<float>(2, 3), Loss.CrossEntropy);

        act.Should().Throw<ArgumentException>().WithMessage("*targets have shape 2×3, expected 2×20 (one value per output neuron: one-hot rows) or 2×4 (one class index per position)*");
    }

    public static TheoryData<bool> FloatAndDouble => new() { true, false };

    [SkippableTheory]
    [MemberData(nameof(FloatAndDouble))]
    public void EmbeddingAndDenseAtEveryPosition_MatchPyTorch_OutputAndEveryGradient(bool useFloat)
    {
        PyTorch.SkipUnlessInstalled();
        if (useFloat)
        {
            CompareTokens<float>(1e-5);
        }
        else
        {
            CompareTokens<double>(1e-12);
        }
    }

    [Fact]
    public void Onnx_TokenNetwork_TakesInt64Ids_AndGivesEveryPositionsProbabilities()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(5, 1), seed: 4)
            .Add("embedding(7, 6)").Add("layer_norm").Add("residual(dense(8, relu) dense(6))").Add("dense(7)").Build(Loss.CrossEntropy);
        var x = Tensor<float>.FromRows([0, 1, 2, 3, 4], [6, 6, 5, 0, 1], [2, 2, 2, 2, 2]);

        OnnxExport.Save(network, dir.File("tokens.onnx"));
        using var session = new InferenceSession(dir.File("tokens.onnx"));
        session.InputMetadata["input"].ElementDataType.Should().Be(TensorElementType.Int64);
        long[] values = [.. Enumerable.Range(0, 3).SelectMany(i => Enumerable.Range(0, 5).Select(t => (long)x[i, t]))];
        var ids = new DenseTensor<long>(values, new[] { 3, 5 });
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", ids)]);
        DenseTensor<float> onnx = results.Single(r => r.Name == "probabilities").AsTensor<float>().ToDenseTensor();
        onnx.Dimensions.ToArray().Should().Equal(3, 5, 7);
        Tensor<float> probabilities = Tensor<float>.FromArray(Convert(onnx));

        Tensor<float> ours = network.Predict(x);
        for (int i = 0; i < 3; i++)
        {
            for (int t = 0; t < 5; t++)
            {
                for (int v = 0; v < 7; v++)
                {
                    probabilities[i, (t * 7) + v].Should().BeApproximately(ours[i, (v * 5) + t], 1e-6f, "ONNX gives [batch, T, V]; the library's row holds a sequence feature by feature");
                }
            }
        }
    }

    [Fact]
    public void Onnx_WindowOfTokensFlattenedIntoAnMlp_WithASequentialBlock_AsPredictDoes()
    {
        // Bengio's model on 3 characters: embed, flatten position by position, a hidden layer, the next character.
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(3, seed: 5)
            .Add("embedding(6, 4)").Add("flatten").Add("sequential(dense(8) tanh)").Add("dense(6)").Build(Loss.CrossEntropy);
        var x = Tensor<float>.FromRows([0, 1, 2], [5, 5, 0], [3, 2, 1], [4, 0, 0]);

        OnnxExport.Save(network, dir.File("mlp.onnx"));
        using var session = new InferenceSession(dir.File("mlp.onnx"));
        long[] values = [.. Enumerable.Range(0, 4).SelectMany(i => Enumerable.Range(0, 3).Select(t => (long)x[i, t]))];
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<long>(values, new[] { 4, 3 }))]);
        Microsoft.ML.OnnxRuntime.Tensors.Tensor<float> onnx = results.Single(r => r.Name == "probabilities").AsTensor<float>();

        Tensor<float> ours = network.Predict(x);
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                onnx[i, j].Should().BeApproximately(ours[i, j], 1e-6f);
            }
        }
    }

    [Fact]
    public void ModelFileAndSafeTensors_TokenNetwork_RoundTrip()
    {
        using var dir = new TempDirectory();
        Network<float> network = new NetworkBuilder<float>(FeatureShape.Sequence(5, 1), seed: 4)
            .Add("embedding(7, 6)").Add("layer_norm").Add("dense(7)").Build(Loss.CrossEntropy);
        var x = Tensor<float>.FromRows([0, 1, 2, 3, 4], [6, 6, 5, 0, 1]);

        ModelFile.Save(network, dir.File("t.dlnn"));
        SafeTensors.Save(network, dir.File("t.safetensors"));

        ModelFile.Load<float>(dir.File("t.dlnn")).Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        SafeTensors.Load<float>(dir.File("t.safetensors")).Predict(x).ToArray().Should().BeEquivalentTo(network.Predict(x).ToArray(), o => o.WithStrictOrdering());
        NormalizationTest.SafeTensorsHeader(dir.File("t.safetensors")).GetProperty("0.weight").GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).Should().Equal(7, 6);
    }

    private static void CompareTokens<T>(double tolerance)
        where T : struct, IFloatingPointIeee754<T>
    {
        var embedding = new Embedding<T>(FeatureShape.Sequence(4, 1), 6, 3, random: new Random(1));
        var dense = new Dense<T>(FeatureShape.Sequence(4, 3), 5, Activation.Tanh, random: new Random(2));
        var ids = Tensor<T>.FromRows([T.CreateChecked(0), T.CreateChecked(5), T.CreateChecked(2), T.CreateChecked(2)], [T.CreateChecked(1), T.CreateChecked(3), T.CreateChecked(4), T.CreateChecked(0)]);
        Tensor<T> g = TorchParity.Random<T>(2, 20, 3);
        Tensor<T> y = dense.Forward(embedding.Forward(ids)).Clone();
        embedding.Backward(dense.Backward(g)!, computeInputGradient: false);

        // PyTorch's layouts: W [V, D], Linear's weight [out, in]; ids [2, 4] → [2, 4, 3] → [2, 4, 5], back to feature by feature.
        T[] table = new T[18];
        embedding.Parameters[0].CopyToExportOrder(table);
        JsonElement torch = TorchParity.Run(
            """
            h = F.embedding(torch.tensor([[0, 5, 2, 2], [1, 3, 4, 0]]), E.view(6, 3))
            y = torch.tanh(F.linear(h, W.view(5, 3), b)).transpose(1, 2).contiguous()
            y.backward(g.view(y.shape))
            """,
            ("E", TorchParity.Values<T>(table)),
            ("W", TorchParity.Values<T>(dense.Parameters[0].Values)),
            ("b", TorchParity.Values<T>(dense.Parameters[1].Values)),
            ("g", TorchParity.Rows(g)));

        T[] tableGradient = new T[18];
        StorageOrderForTest.RowByRow(embedding.Parameters[0].Gradients, 6, 3, tableGradient);
        TorchParity.AssertClose(TorchParity.Rows(y), torch.GetProperty("y"), tolerance, "output");
        TorchParity.AssertClose(TorchParity.Values<T>(tableGradient), torch.GetProperty("E.grad"), tolerance, "∂L/∂E");
        TorchParity.AssertClose(TorchParity.Values<T>(dense.Parameters[0].Gradients), torch.GetProperty("W.grad"), tolerance, "∂L/∂W");
        TorchParity.AssertClose(TorchParity.Values<T>(dense.Parameters[1].Gradients), torch.GetProperty("b.grad"), tolerance, "∂L/∂b");
    }

    private static float[,] Convert(DenseTensor<float> onnx)
    {
        var result = new float[onnx.Dimensions[0], onnx.Dimensions[1] * onnx.Dimensions[2]];
        for (int i = 0; i < onnx.Dimensions[0]; i++)
        {
            for (int k = 0; k < result.GetLength(1); k++)
            {
                result[i, k] = onnx.GetValue((i * result.GetLength(1)) + k);
            }
        }

        return result;
    }

    private static double[,] To2D(int[] labels)
    {
        var result = new double[labels.Length, 1];
        for (int i = 0; i < labels.Length; i++)
        {
            result[i, 0] = labels[i];
        }

        return result;
    }

    /// <summary>A column-by-column r×c matrix's values row by row, as PyTorch stores the same matrix.</summary>
    private static class StorageOrderForTest
    {
        public static void RowByRow<T>(ReadOnlySpan<T> columnByColumn, int rows, int columns, Span<T> rowByRow)
        {
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    rowByRow[(i * columns) + j] = columnByColumn[i + (j * rows)];
                }
            }
        }
    }
}
