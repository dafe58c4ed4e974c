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
public sealed class DigitTraining
{
    /// <summary>The network trained: six 5×5 filters, 2×2 max-pooling, ten outputs (logits) — 8,710 parameters.</summary>
    public const string Layers = "conv2d(6,5,relu) maxpool2d(2) dense(10)";

    /// <summary>Images per step.</summary>
    public const int BatchSize = 20;

    /// <summary>Test accuracy is measured every this many steps.</summary>
    public const int EvaluateEvery = 50;

    private readonly ILoss _loss = Registries.Losses.Create("cross_entropy");
    private readonly IOptimizer _optimizer = new GradientDescent(0.05, 0.9); // the trainer's default
    private readonly int[] _order;
    private readonly Random _shuffle;
    private readonly Tensor<float> _batchX = new(BatchSize, 784), _batchY = new(BatchSize, 10);
    private readonly int[] _batch = new int[BatchSize];
    private int _cursor;

    /// <summary>Starts a network from seeded random weights.</summary>
    /// <param name="training">The images to learn from.</param>
    /// <param name="test">The images to measure the accuracy on.</param>
    /// <param name="seed">Seeds the weights and the order of the images: the same seed, the same run.</param>
    public DigitTraining(DataSet<float> training, DataSet<float> test, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(test);
        Training = training;
        Test = test;
        var builder = new NetworkBuilder<float>(new FeatureShape(1, 28, 28), seed);
        foreach (string spec in Layers.Split(' '))
        {
            builder.Add(spec);
        }

        Network = builder.Build(_loss);
        Filters = (Conv2D<float>)Network.Layers[0];
        _order = [.. Enumerable.Range(0, training.Count)];
        _shuffle = new Random(seed);
        _shuffle.Shuffle(_order);
        TestAccuracy = Test.Count == 0 ? 0 : Network.Evaluate(Test, _loss).Accuracy!.Value;
    }

    /// <summary>The images learned from.</summary>
    public DataSet<float> Training { get; }

    /// <summary>The images the accuracy is measured on.</summary>
    public DataSet<float> Test { get; }

    /// <summary>The network being trained.</summary>
    public Network<float> Network { get; }

    /// <summary>Its first layer, whose filters the page draws.</summary>
    public Conv2D<float> Filters { get; }

    /// <summary>Steps taken.</summary>
    public int Step { get; private set; }

    /// <summary>Passes over the training images.</summary>
    public double Epochs => (double)Step * BatchSize / Training.Count;

    /// <summary>The mini-batches' loss, smoothed: their mean over the first 20 steps, then a running average weighting each new one 1/20; NaN before the first.</summary>
    public double Loss { get; private set; } = double.NaN;

    /// <summary>The share of <see cref="Test"/> read correctly, measured every <see cref="EvaluateEvery"/> steps.</summary>
    public double TestAccuracy { get; private set; }

    /// <summary>One step: the next mini-batch of a seeded shuffle, forward, loss, backward, w ← w + μ·v − ε·∂L/∂w.</summary>
    public void TakeStep()
    {
        for (int r = 0; r < BatchSize; r++)
        {
            _batch[r] = _order[_cursor];
            if (++_cursor == _order.Length)
            {
                _cursor = 0;
                _shuffle.Shuffle(_order);
            }
        }

        Gather(Training.Inputs, _batchX);
        Gather(Training.Targets, _batchY);
        double loss = Network.ComputeGradients(_batchX, _batchY, _loss);
        _optimizer.Step(Network.Parameters);
        Loss = double.IsNaN(Loss) ? loss : Loss + ((loss - Loss) / Math.Min(Step + 1, 20));
        Step++;
        if (Step % EvaluateEvery == 0)
        {
            TestAccuracy = Network.Evaluate(Test, _loss).Accuracy!.Value;
        }
    }

    /// <summary>The rows of the mini-batch, column by column (a tensor stores its columns contiguously): no indexer per value.</summary>
    private void Gather(Tensor<float> from, Tensor<float> to)
    {
        for (int c = 0; c < from.Columns; c++)
        {
            Span<float> source = from.ColumnSpan(c), target = to.ColumnSpan(c);
            for (int r = 0; r < BatchSize; r++)
            {
                target[r] = source[_batch[r]];
            }
        }
    }
}
