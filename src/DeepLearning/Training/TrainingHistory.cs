namespace DeepLearning.Training;

/// <summary>The reports of every epoch of a training run, in order.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochReport> epochs) => Epochs = epochs;

    /// <summary>One report per completed epoch.</summary>
    public IReadOnlyList<EpochReport> Epochs { get; }

    /// <summary>The last epoch's report, or <see langword="null"/> when no epoch ran.</summary>
    public EpochReport? Last => Epochs.Count == 0 ? null : Epochs[^1];
}
