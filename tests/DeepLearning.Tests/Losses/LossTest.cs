namespace DeepLearning.Tests.Losses;

/// <summary>Loss values and gradients against hand-computed numbers and finite differences.</summary>
public class LossTest
{
    public static TheoryData<string, double[][], double[][], double> Values => new()
    {
        // The one-weight example: prediction 10, label 6, L = ½·4² = 8; after one step, prediction 8.4 gives 2.88.
        { "quadratic", [[10]], [[6]], 8 },
        { "quadratic", [[8.4]], [[6]], 2.88 },
        // Batch of two: mean over samples of ½‖a − y‖² = (½·(1 + 4) + ½·9) / 2.
        { "quadratic", [[1, 2], [3, 0]], [[0, 0], [0, 0]], ((0.5 * 5) + (0.5 * 9)) / 2 },
        // MSE <example>: mean of (a − y)² = (1 + 9) / 2.
        { "mse", [[1, 3]], [[0, 0]], 5 },
        { "mse", [[1, 2], [3, 0]], [[0, 0], [0, 0]], 14.0 / 4 },
        // Cross-entropy <example>, on logits: [0, ln 3] are the probabilities [0.25, 0.75], so ℓ = −log 0.75.
        { "cross-entropy", [[0, Math.Log(3)]], [[0, 1]], -Math.Log(0.75) },
        { "cross-entropy", [[0, Math.Log(3)], [7, 7]], [[0, 1], [1, 0]], (-Math.Log(0.75) - Math.Log(0.5)) / 2 },
        // Extreme logits are exact: the true class 2000 below the other costs 2000; 1000 above it costs e^(−2000) ≈ 0.
        { "cross-entropy", [[-1000, 1000]], [[1, 0]], 2000 },
        { "cross-entropy", [[1000, -1000]], [[1, 0]], 0 },
        { "cross-entropy", [[20, 0]], [[0, 1]], 20 + Math.Log(1 + Math.Exp(-20)) },
        // Binary cross-entropy <example>, on logits: ln 4 is p = 0.8, so −log 0.8 for label 1, −log 0.2 for label 0.
        { "binary-cross-entropy", [[Math.Log(4)]], [[1]], -Math.Log(0.8) },
        { "binary-cross-entropy", [[Math.Log(4)]], [[0]], -Math.Log(0.2) },
        { "binary-cross-entropy", [[1000]], [[0]], 1000 },
        { "binary-cross-entropy", [[-1000]], [[0]], 0 },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_HandComputed(string name, double[][] predictions, double[][] targets, double expected)
    {
        double value = Loss.FromName(name).Value(Tensor<double>.FromRows(predictions), Tensor<double>.FromRows(targets));

        value.Should().BeApproximately(expected, 1e-12 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void BinaryCrossEntropy_LargeLogit_KeepsEveryDigit()
    {
        // z = 25, label 1: ℓ = log(1 + e^(−25)) = e^(−25) − e^(−50)/2 + … ≈ 1.3887943864771144e-11. Computed from σ(z) in
        // double, 1 − σ(25) has only a few correct digits (the issue measured a relative error of 8e-8).
        double value = Loss.BinaryCrossEntropy.Value(Tensor<double>.FromRow(25.0), Tensor<double>.FromRow(1.0));

        double expected = Math.Exp(-25) - (Math.Exp(-50) / 2);
        Math.Abs((value - expected) / expected).Should().BeLessThan(1e-15);
    }

    [Theory]
    [InlineData("cross-entropy")]
    [InlineData("binary-cross-entropy")]
    public void Float_ExtremeLogits_ExactValueAndFiniteGradient(string name)
    {
        ILoss loss = Loss.FromName(name);
        var z = Tensor<float>.FromRow(-1000f, 1000f);
        var y = Tensor<float>.FromRow(1f, 0f);
        var g = new Tensor<float>(1, 2);

        float value = loss.Value(z, y);
        loss.Gradient(z, y, g);

        value.Should().Be(2000f, "cross-entropy: log-sum-exp 1000 minus the true logit −1000; binary: softplus(1000) + softplus(1000)");
        g.GetRow(0).Should().Equal(name == "cross-entropy" ? [-1f, 1f] : [-1f, 1f]);
    }

    [SkippableFact]
    public void Values_MatchPyTorch_InFloatAndDouble()
    {
        PyTorch.SkipUnlessInstalled();
        double[][] logits = [[-1000, 1000, 3], [20, 0, -5], [0.5, -0.25, 1e-3], [1000, -1000, 999]];
        double[][] onehot = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]];
        double[][] targets01 = [[1, 0, 1], [0, 1, 0], [1, 1, 0], [0, 0, 1]];
        string Rows(double[][] rows) => "[" + string.Join(", ", rows.Select(r => "[" + string.Join(", ", r.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]")) + "]";
        string script = $$"""
            import torch, torch.nn.functional as F
            for dtype in (torch.float32, torch.float64):
                z = torch.tensor({{Rows(logits)}}, dtype=dtype)
                y = torch.tensor({{Rows(onehot)}}, dtype=dtype)
                b = torch.tensor({{Rows(targets01)}}, dtype=dtype)
                ce = F.cross_entropy(z, y)
                bce = torch.nn.BCEWithLogitsLoss(reduction="sum")(z, b) / z.shape[0]
                mse = torch.nn.MSELoss()(z, b)
                print(repr(float(ce)), repr(float(bce)), repr(float(mse)))
            """;
        (int code, string output) = PyTorch.Run("-c", script);
        code.Should().Be(0, output);
        string[] lines = output.Split('\n');
        foreach ((string line, bool isFloat) in new[] { (lines[0], true), (lines[1], false) })
        {
            double[] torch = [.. line.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture))];
            double[] ours = isFloat
                ? [Loss.CrossEntropy.Value(F(logits), F(onehot)), Loss.BinaryCrossEntropy.Value(F(logits), F(targets01)), Loss.MeanSquaredError.Value(F(logits), F(targets01))]
                : [Loss.CrossEntropy.Value(Tensor<double>.FromRows(logits), Tensor<double>.FromRows(onehot)), Loss.BinaryCrossEntropy.Value(Tensor<double>.FromRows(logits), Tensor<double>.FromRows(targets01)), Loss.MeanSquaredError.Value(Tensor<double>.FromRows(logits), Tensor<double>.FromRows(targets01))];
            double tolerance = isFloat ? 1e-6 : 1e-12;
            for (int k = 0; k < 3; k++)
            {
                Math.Abs((ours[k] - torch[k]) / torch[k]).Should().BeLessThan(tolerance, $"{(isFloat ? "float" : "double")} loss {k} ({ours[k]} against PyTorch's {torch[k]})");
            }
        }

        static Tensor<float> F(double[][] rows) => Tensor<float>.FromRows([.. rows.Select(r => r.Select(v => (float)v).ToArray())]);
    }

    [Fact]
    public void Quadratic_Gradient_IsPredictionMinusLabelOverBatchSize()
    {
        var g = new Tensor<double>(1, 1);

        Loss.Quadratic.Gradient(Tensor<double>.FromRow(10.0), Tensor<double>.FromRow(6.0), g);

        g[0, 0].Should().Be(4); // ∂L/∂a = a − y
    }

    [Fact]
    public void MeanSquaredError_Gradient_MatchesExample()
    {
        var g = new Tensor<double>(1, 2);

        Loss.MeanSquaredError.Gradient(Tensor<double>.FromRow(1.0, 3.0), Tensor<double>.FromRow(0.0, 0.0), g);

        g.GetRow(0).Should().Equal(1, 3); // 2(a − y)/(m·n)
    }

    [Theory]
    [InlineData("quadratic")]
    [InlineData("mse")]
    [InlineData("cross-entropy")]
    [InlineData("binary-cross-entropy")]
    public void Gradient_MatchesFiniteDifferencesOfValue(string name)
    {
        ILoss loss = Loss.FromName(name);
        var a = Tensor<double>.FromRows([0.2, 0.7, 0.1], [0.6, 0.3, 0.1]);
        var y = Tensor<double>.FromRows([0, 1, 0], [1, 0, 0]);
        var g = new Tensor<double>(2, 3);
        loss.Gradient(a, y, g);

        const double h = 1e-7;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double original = a[i, j];
                a[i, j] = original + h;
                double plus = loss.Value(a, y);
                a[i, j] = original - h;
                double minus = loss.Value(a, y);
                a[i, j] = original;

                g[i, j].Should().BeApproximately((plus - minus) / (2 * h), 1e-6, $"{name} at ({i}, {j})");
            }
        }
    }

    [Fact]
    public void Value_TargetsWithOtherRowCount_NamesLossShapesAndCause()
    {
        Action act = () => Loss.CrossEntropy.Value(new Tensor<double>(32, 10), new Tensor<double>(31, 10));

        act.Should().Throw<ArgumentException>()
            .WithMessage("CrossEntropy.Value: targets have shape 31×10, expected 32×10 (the shape of the predictions). There must be one target row per prediction row*");
    }

    [Fact]
    public void Gradient_TargetsNotOneHot_SuggestsOneHot()
    {
        Action act = () => Loss.Quadratic.Gradient(new Tensor<double>(4, 10), new Tensor<double>(4, 1), new Tensor<double>(4, 10));

        act.Should().Throw<ArgumentException>()
            .WithMessage("Quadratic.Gradient: targets have shape 4×1, expected 4×10*one-hot*");
    }

    [Theory]
    [InlineData("cross_entropy")]
    [InlineData("binary_cross_entropy")]
    [InlineData("quadratic")]
    [InlineData("mse")]
    public void ValueAndGradient_GradientBitForBitAndValueWithinRounding_FloatAndDouble(string name)
    {
        ILoss loss = Loss.FromName(name);
        var random = new Random(7);
        double[][] z = [.. Enumerable.Range(0, 9).Select(i => Enumerable.Range(0, 4).Select(_ => i == 8 ? 1000 * ((random.NextDouble() * 2) - 1) : (random.NextDouble() * 8) - 4).ToArray())];
        double[][] y = [.. Enumerable.Range(0, 9).Select(i => Enumerable.Range(0, 4).Select(k => k == i % 4 ? 1.0 : 0.0).ToArray())];
        Check<double>(1e-12);
        Check<float>(1e-6);

        void Check<T>(double tolerance)
            where T : struct, System.Numerics.IFloatingPointIeee754<T>
        {
            var logits = Tensor<T>.FromRows([.. z.Select(r => r.Select(T.CreateChecked).ToArray())]);
            var targets = Tensor<T>.FromRows([.. y.Select(r => r.Select(T.CreateChecked).ToArray())]);
            Tensor<T> separate = new(9, 4), together = new(9, 4);

            loss.Gradient(logits, targets, separate);
            double value = double.CreateChecked(loss.ValueAndGradient(logits, targets, together));

            together.AsSpan().ToArray().Should().Equal(separate.AsSpan().ToArray(), "the training step's gradient is the same as before");
            value.Should().BeApproximately(double.CreateChecked(loss.Value(logits, targets)), tolerance * Math.Max(1, Math.Abs(value)));
        }
    }

    [Theory]
    [InlineData("cross_entropy", "softmax")]
    [InlineData("binary_cross_entropy", "sigmoid")]
    [InlineData("quadratic", null)]
    [InlineData("mse", null)]
    public void Head_IsWhatPredictionsApplies(string name, string? head)
    {
        ILoss loss = Loss.FromName(name);
        var z = Tensor<double>.FromRows([0, Math.Log(3)], [2, -1]);
        var predictions = new Tensor<double>(2, 2);

        loss.Predictions(z, predictions);

        loss.Head?.Spec.Should().Be(head);
        var expected = new Tensor<double>(2, 2);
        (loss.Head ?? Activation.Identity).Forward(z, expected);
        predictions.ToArray().Should().BeEquivalentTo(expected.ToArray());
    }
}
