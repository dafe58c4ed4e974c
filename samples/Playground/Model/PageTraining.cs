using DeepLearning.Data;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;

namespace Playground.Model;

/// <summary>
/// A network learning in a page, one mini-batch per step — the next batch of a seeded shuffle, forward, the loss,
/// backward, the optimizer's step — with the batches' loss smoothed and something measured every few steps. What the
/// Digits and Names pages' "train it here" share.
/// </summary>
public abstract class PageTraining
{
    private readonly IOptimizer _optimizer;
    private readonly ShuffledBatches _batches;
    private readonly int _batchSize, _evaluateEvery;

    /// <summary>Starts the first pass over <paramref name="training"/>.</summary>
    /// <param name="network">The network, built with its loss.</param>
    /// <param name="training">The rows to learn from.</param>
    /// <param name="optimizer">How a step moves the weights.</param>
    /// <param name="batchSize">Rows per step.</param>
    /// <param name="evaluateEvery"><see cref="Evaluate"/> is called every this many steps.</param>
    /// <param name="seed">Seeds the order of the rows.</param>
    protected PageTraining(Network<float> network, DataSet<float> training, IOptimizer optimizer, int batchSize, int evaluateEvery, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(optimizer);
        Network = network;
        Training = training;
        TrainingLoss = network.Loss ?? throw new ArgumentException("The network has no loss.", nameof(network));
        _optimizer = optimizer;
        _batchSize = batchSize;
        _evaluateEvery = evaluateEvery;
        _batches = new ShuffledBatches(training, batchSize, seed);
    }

    /// <summary>The network being trained.</summary>
    public Network<float> Network { get; }

    /// <summary>The rows learned from.</summary>
    public DataSet<float> Training { get; }

    /// <summary>Steps taken.</summary>
    public int Step { get; private set; }

    /// <summary>Passes over the training rows.</summary>
    public double Epochs => (double)Step * _batchSize / Training.Count;

    /// <summary>The mini-batches' loss, smoothed: their mean over the first 20 steps, then a running average weighting each new one 1/20; NaN before the first.</summary>
    public double Loss { get; private set; } = double.NaN;

    /// <summary>The network's loss.</summary>
    protected ILoss TrainingLoss { get; }

    /// <summary>One step: the next mini-batch, forward, loss, backward, the optimizer's update of every weight.</summary>
    public void TakeStep()
    {
        _batches.Next();
        double loss = Network.ComputeGradients(_batches.Inputs, _batches.Targets, TrainingLoss);
        _optimizer.Step(Network.Parameters);
        Loss = double.IsNaN(Loss) ? loss : Loss + ((loss - Loss) / Math.Min(Step + 1, 20));
        Step++;
        if (Step % _evaluateEvery == 0)
        {
            Evaluate();
        }
    }

    /// <summary>Measures the network on held-out data; called every few steps.</summary>
    protected abstract void Evaluate();
}
