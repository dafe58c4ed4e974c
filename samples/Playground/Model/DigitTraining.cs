using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace Playground.Model;

/// <summary>
/// "Train it here": a small convolutional network learning MNIST in the page, one mini-batch per step — the same
/// library calls as the trainer (forward, cross-entropy on logits, backward, gradient descent with momentum) — so the
/// reader can watch its filters turn from noise into stroke detectors.
/// </summary>
public sealed class DigitTraining : PageTraining
{
    /// <summary>The network trained: six 5×5 filters, 2×2 max-pooling, ten outputs (logits) — 8,710 parameters.</summary>
    public const string Layers = "conv2d(6,5,relu) maxpool2d(2) dense(10)";

    /// <summary>Images per step.</summary>
    public const int BatchSize = 20;

    /// <summary>Test accuracy is measured every this many steps.</summary>
    public const int EvaluateEvery = 50;

    /// <summary>Starts a network from seeded random weights.</summary>
    /// <param name="training">The images to learn from.</param>
    /// <param name="test">The images to measure the accuracy on.</param>
    /// <param name="seed">Seeds the weights and the order of the images: the same seed, the same run.</param>
    public DigitTraining(DataSet<float> training, DataSet<float> test, int seed)
        : base(Build(seed), training, new GradientDescent(0.05, 0.9), BatchSize, EvaluateEvery, seed) // the trainer's default optimizer
    {
        ArgumentNullException.ThrowIfNull(test);
        Test = test;
        Seen = training.Take(test.Count);
        Filters = (Conv2D<float>)Network.Layers[0];
        Evaluate();
    }

    /// <summary>The images the accuracy is measured on.</summary>
    public DataSet<float> Test { get; }

    /// <summary>Its first layer, whose filters the page draws.</summary>
    public Conv2D<float> Filters { get; }

    /// <summary>The share of <see cref="Test"/> read correctly, measured every <see cref="EvaluateEvery"/> steps.</summary>
    public double TestAccuracy { get; private set; }

    /// <summary>The loss on <see cref="Test"/>, measured with <see cref="TestAccuracy"/>.</summary>
    public double TestLoss { get; private set; } = double.NaN;

    /// <summary>As many of the training images as <see cref="Test"/> has, the first ones: what it is measured against.</summary>
    public DataSet<float> Seen { get; }

    /// <summary>The share of <see cref="Seen"/> read correctly, measured with <see cref="TestAccuracy"/>.</summary>
    public double SeenAccuracy { get; private set; }

    /// <summary>The loss on <see cref="Seen"/>, measured with <see cref="TestAccuracy"/>.</summary>
    public double SeenLoss { get; private set; } = double.NaN;

    /// <summary>
    /// Whether the gap between digits it learns from and digits it has never seen has opened: on as many of each, at
    /// least 1.5 points more accuracy and under a third of the loss on its own — it has begun to learn its digits by heart.
    /// </summary>
    public bool Overfits => Step >= EvaluateEvery && SeenAccuracy - TestAccuracy >= 0.015 && SeenLoss * 3 < TestLoss;

    /// <inheritdoc/>
    /// <remarks>The share of the test images read correctly and their loss, and the same for as many training images.</remarks>
    protected override void Evaluate()
    {
        if (Test.Count > 0)
        {
            var test = Network.Evaluate(Test, TrainingLoss);
            (TestAccuracy, TestLoss) = (test.Accuracy!.Value, test.Loss);
            var seen = Network.Evaluate(Seen, TrainingLoss);
            (SeenAccuracy, SeenLoss) = (seen.Accuracy!.Value, seen.Loss);
        }
    }

    private static Network<float> Build(int seed)
    {
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed);
        foreach (string spec in Layers.Split(' '))
        {
            builder.Add(spec);
        }

        return builder.Build(Registries.Losses.Create("cross_entropy"));
    }
}
