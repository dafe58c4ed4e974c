namespace DeepLearning.Training;

/// <summary>What a <see cref="ITrainingCallback"/> may do to the run it watches: stop it, saying why.</summary>
public sealed class TrainingControl
{
    /// <summary>Whether a callback asked the run to stop; it stops after the current epoch (or batch) ends.</summary>
    public bool StopRequested => Reason is not null;

    /// <summary>Why the run was asked to stop, or null.</summary>
    public string? Reason { get; private set; }

    /// <summary>Asks the run to stop once the current batch's work is done (the epoch's report is still made).</summary>
    /// <param name="reason">Why, in a few words: <c>validation loss did not improve for 3 epochs</c>.</param>
    public void Stop(string reason) => Reason ??= Preconditions.CheckNotNull(reason, nameof(reason));
}
