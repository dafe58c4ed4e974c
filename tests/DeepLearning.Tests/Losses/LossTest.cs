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
        // Cross-entropy <example>: −log 0.75.
        { "cross-entropy", [[0.25, 0.75]], [[0, 1]], -Math.Log(0.75) },
        { "cross-entropy", [[0.25, 0.75], [0.5, 0.5]], [[0, 1], [1, 0]], (-Math.Log(0.75) - Math.Log(0.5)) / 2 },
        // Binary cross-entropy <example>: −log 0.8 for label 1, −log 0.2 for label 0.
        { "binary-cross-entropy", [[0.8]], [[1]], -Math.Log(0.8) },
        { "binary-cross-entropy", [[0.8]], [[0]], -Math.Log(0.2) },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Value_HandComputed(string name, double[][] predictions, double[][] targets, double expected)
    {
        double value = Loss.FromName(name).Value(Tensor<double>.FromRows(predictions), Tensor<double>.FromRows(targets));

        value.Should().BeApproximately(expected, 1e-12);
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

    [Theory]
    [InlineData("cross-entropy")]
    [InlineData("binary-cross-entropy")]
    public void ValueAndGradient_ZeroAndOneProbabilities_StayFinite(string name)
    {
        ILoss loss = Loss.FromName(name);
        var a = Tensor<float>.FromRow(0f, 1f);
        var y = Tensor<float>.FromRow(1f, 0f);
        var g = new Tensor<float>(1, 2);

        float value = loss.Value(a, y);
        loss.Gradient(a, y, g);

        float.IsFinite(value).Should().BeTrue();
        value.Should().BeGreaterThan(10f);
        g.GetRow(0).Should().AllSatisfy(v => float.IsFinite(v).Should().BeTrue());
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
    [InlineData("cross-entropy", "softmax", true)]
    [InlineData("cross-entropy", "sigmoid", false)]
    [InlineData("binary-cross-entropy", "sigmoid", true)]
    [InlineData("quadratic", "identity", true)]
    [InlineData("quadratic", "sigmoid", false)]
    [InlineData("mse", "identity", false)]
    public void SimplifiesWith_OnlyTheMatchingPairs(string loss, string activation, bool expected)
        => Loss.FromName(loss).SimplifiesWith(Activation.FromName(activation)).Should().Be(expected);
}
