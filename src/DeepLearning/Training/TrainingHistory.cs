namespace DeepLearning.Training;

/// <summary>The reports of every epoch of a training run, in order.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochReport> epochs, TrainingProgress progress, string? stopReason)
    {
        Epochs = epochs;
        Progress = progress;
        StopReason = stopReason;
    }

    /// <summary>One report per completed epoch.</summary>
    public IReadOnlyList<EpochReport> Epochs { get; }

    /// <summary>The last epoch's report, or <see langword="null"/> when no epoch ran.</summary>
    public EpochReport? Last => Epochs.Count == 0 ? null : Epochs[^1];

    /// <summary>Where the run stands at its end: what a checkpoint saves so that <see cref="TrainingOptions.Resume"/> can continue it.</summary>
    public TrainingProgress Progress { get; }

    /// <summary>Why a callback stopped the run before its last epoch (<see cref="EarlyStopping"/>), or null when it ran to the end.</summary>
    public string? StopReason { get; }

    /// <summary>One line per epoch (<see cref="EpochReport.ToString"/>), then why the run stopped early, if it did.</summary>
    /// <returns>The history as text.</returns>
    public override string ToString()
        => string.Join(Environment.NewLine, Epochs.Select(e => e.ToString()).Append(StopReason is null ? null : $"stopped early: {StopReason}").OfType<string>());
}
