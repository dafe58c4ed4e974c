using Snippets;

namespace DeepLearning.Tests.Samples;

/// <summary>The code and the numbers shown in docs/articles, checked.</summary>
public class SnippetsTest
{
    [Fact]
    public void NeuronsAndWeights_PrintsTheHandComputedLayer()
    {
        using var output = new StringWriter();

        NeuronsAndWeights.Run(output);

        output.ToString().Should().Contain("W is 2×3").And.Contain("b has 3 entries")
            .And.Contain("z = [-0.5, 1, 0.6]").And.Contain("h = [0.3775, 0.7311, 0.6457]");
    }

    [Fact]
    public void ForwardPropagation_PrintsEveryShape()
    {
        using var output = new StringWriter();

        ForwardPropagation.Run(output);

        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Should().Equal(
            "Dense(4→8): W 4×8, z and h 2×8",
            "Dense(8→6): W 8×6, z and h 2×6",
            "Dense(6→5): W 6×5, z and h 2×5",
            "Dense(5→3): W 5×3, z and h 2×3",
            "y is 2×3; each row sums to 1");
    }

    [Fact]
    public void ActivationFunctions_MatchTheCommentsInTheArticle()
    {
        using var output = new StringWriter();

        ActivationFunctions.Run(output);

        string text = output.ToString();
        text.Should().Contain("Sigmoid  σ(z) = [0.1192, 0.5, 0.8808]  σ′(z) = [0.105, 0.25, 0.105]");
        text.Should().Contain("Tanh     σ(z) = [-0.964, 0, 0.964]  σ′(z) = [0.0707, 1, 0.0707]");
        text.Should().Contain("ReLU     σ(z) = [0, 0, 2]  σ′(z) = [0, 0, 1]");
    }

    [Fact]
    public void LossFunctions_MatchTheCommentsInTheArticle()
    {
        IReadOnlyDictionary<string, double> values = LossFunctions.Run(TextWriter.Null);

        values["Quadratic"].Should().BeApproximately(0.07, 1e-12);
        values["MeanSquaredError"].Should().BeApproximately(0.14 / 3, 1e-12);
        values["CrossEntropy"].Should().BeApproximately(-Math.Log(0.7), 1e-12);
    }

    [Fact]
    public void GradientDescent_WalksFrom5To4Point2AndOn()
    {
        using var output = new StringWriter();

        IReadOnlyList<double> weights = GradientDescentSteps.Run(output);

        weights.Take(4).Should().Equal([5, 4.2, 3.72, 3.432], (a, b) => Math.Abs(a - b) < 1e-12);
        output.ToString().Should().Contain("step 1: loss 8, gradient 8, w → 4.2")
            .And.Contain("step 2: loss 2.88, gradient 4.8, w → 3.72")
            .And.Contain("step 3: loss 1.0368, gradient 2.88, w → 3.432");
    }

    [Fact]
    public void DigitClassifier_TwoEpochsOnTheSubset_LearnsDigits()
    {
        (DeepLearning.Training.Evaluation evaluation, DeepLearning.Metrics.ConfusionMatrix confusion) = DigitClassifier.Run(TextWriter.Null, epochs: 2, trainLimit: 5000);

        evaluation.Samples.Should().Be(10000);
        evaluation.Accuracy.Should().BeGreaterThan(0.85, "two epochs on 5,000 images already read most digits (chance is 10%)");
        confusion.Total.Should().Be(10000);
        confusion.Accuracy.Should().BeApproximately(evaluation.Accuracy, 1e-12);
    }

    [Fact]
    public void Backpropagation_TheNumbersOfTheArticle_ComputedByHandAndByTheLibrary()
    {
        using var output = new StringWriter();

        var (loss, delta2, delta1, gradientW2, gradientW1) = Backpropagation.Run(output);

        // By hand, as the article does it: z1 = x·W1 = [1.5, −0.5, 2.25], h = ReLU(z1) = [1.5, 0, 2.25],
        // z2 = h·W2 = [1.5, 0.75], L = ½(0.5² + 0.75²).
        loss.Should().Be(0.40625);
        delta2.Should().Equal(0.5, 0.75);                                   // δ2 = z2 − y
        gradientW2.Should().BeEquivalentTo(new[,] { { 0.75, 1.125 }, { 0, 0 }, { 1.125, 1.6875 } }); // hᵀ·δ2
        delta1.Should().Equal(-0.25, 0, 0.75);                              // (δ2·W2ᵀ) ⊙ ReLU′(z1) = [−0.25, 1.375, 0.75] ⊙ [1, 0, 1]
        gradientW1.Should().BeEquivalentTo(new[,] { { -0.25, 0, 0.75 }, { -0.5, 0, 1.5 } }); // xᵀ·δ1
        output.ToString().Should().Contain("δ1 = [-0.25, 0, 0.75]").And.Contain("∂L/∂W1 = [[-0.25, 0, 0.75], [-0.5, 0, 1.5]]");
    }

    [Fact]
    public void LearnedFeatures_BeatRandomFeaturesByFarOnTheSameNetwork()
    {
        using var output = new StringWriter();

        (double learned, double random) = LearnedFeatures.Run(output);

        learned.Should().BeGreaterThan(0.93, "5 epochs on 10,000 images");
        (learned - random).Should().BeGreaterThan(0.05, "the hidden layer's own features are what make the network good");
        output.ToString().Should().MatchRegex(@"learned features: \d\d\.\d\d% of the test digits right");
    }
}
