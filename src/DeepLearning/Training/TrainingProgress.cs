namespace DeepLearning.Training;

/// <summary>
/// Where a training run stands: the epochs done, the optimizer steps taken, and L₀, the loss the network had before the
/// run (the divergence check's reference). Saved in a checkpoint with the optimizer's state, it lets
/// <see cref="TrainingOptions.Resume"/> continue the run as if it had never stopped.
/// </summary>
/// <param name="Epoch">The epochs done.</param>
/// <param name="Step">The optimizer steps taken.</param>
/// <param name="InitialLoss">L₀, or NaN when it was not measured (the divergence check off).</param>
public sealed record TrainingProgress(int Epoch, long Step, double InitialLoss);
