namespace DeepLearning.Training;

/// <summary>Progress within an epoch: reported after every mini-batch's gradient step when <see cref="TrainingOptions.BatchProgress"/> is set.</summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The mini-batch just finished, from 1.</param>
/// <param name="Batches">The number of mini-batches in an epoch.</param>
/// <param name="Loss">The mini-batch's loss before its step.</param>
public readonly record struct BatchReport(int Epoch, int Batch, int Batches, double Loss);
