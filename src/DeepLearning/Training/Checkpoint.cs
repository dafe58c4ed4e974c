using DeepLearning.Optimizers;

namespace DeepLearning.Training;

/// <summary>
/// What a model file keeps of a training run besides the network, so that the run can be continued as if it had never
/// stopped: the optimizer with its state (velocities, Adam's averages and step count), where the run stands
/// (<see cref="TrainingProgress"/>), and the settings the caller needs to go on the same way (batch size, seed, schedule —
/// whatever its program chose; the digit trainer stores its options).
/// </summary>
/// <example>
/// <code>
/// TrainingHistory history = network.Fit(train, loss, optimizer, options);
/// ModelFile.Save(network, "run.dlnn", new Checkpoint(optimizer, history.Progress, new Arguments(("batch_size", "64"))));
/// (Network&lt;float&gt; again, Checkpoint? saved) = ModelFile.LoadCheckpoint&lt;float&gt;("run.dlnn");
/// again.Fit(train, loss, saved!.Optimizer, options with { Epochs = 4, Resume = saved.Progress });
/// </code>
/// </example>
/// <param name="optimizer">The optimizer of the run, whose state is saved with it (it must be registered, to be built again).</param>
/// <param name="progress">Where the run stands.</param>
/// <param name="settings">Other settings of the run; none when null.</param>
public sealed class Checkpoint(IOptimizer optimizer, TrainingProgress progress, Arguments? settings = null)
{
    /// <summary>The optimizer; after loading, built again from its spec with its state restored.</summary>
    public IOptimizer Optimizer { get; } = Preconditions.CheckNotNull(optimizer, nameof(optimizer));

    /// <summary>Where the run stands.</summary>
    public TrainingProgress Progress { get; } = Preconditions.CheckNotNull(progress, nameof(progress));

    /// <summary>Other settings of the run, as the caller stored them.</summary>
    public Arguments Settings { get; } = settings ?? Arguments.Empty;
}
