namespace DeepLearning.Schedules;

/// <summary>
/// Linear warm-up: the learning rate climbs in a straight line from ε/w to ε over the first w steps, then stays at ε.
/// Large steps at the start, while the weights are random and the gradients large and erratic, can throw a network
/// (a Transformer, a network with Adam) somewhere it never recovers from; warming up avoids that.
/// </summary>
/// <remarks>
/// Step t (from 0) uses ε·(1/w + (1 − 1/w)·t/w) for t &lt; w, then ε. Registry name <c>warmup(steps)</c>. PyTorch:
/// <c>LinearLR(optimizer, start_factor=1/w, end_factor=1, total_iters=w)</c> stepped once per batch.
/// </remarks>
public sealed class Warmup : ISchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="steps">w, the steps of the warm-up, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is less than 1.</exception>
    public Warmup(int steps) => Steps = Preconditions.CheckPositive(steps, nameof(steps));

    /// <summary>w, the steps of the warm-up.</summary>
    public int Steps { get; }

    /// <inheritdoc/>
    public string Name => "Warmup";

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"warmup({Steps})");

    /// <inheritdoc/>
    public double LearningRate(double baseRate, ScheduleProgress progress) => baseRate * Factor(progress.Step, Steps);

    /// <summary>Returns the settings, for example <c>Warmup(500 steps)</c>.</summary>
    /// <returns>The schedule as text.</returns>
    public override string ToString() => FormattableString.Invariant($"Warmup({Steps} steps)");

    /// <summary>The warm-up's factor at step t of w: 1/w + (1 − 1/w)·t/w below w, then 1.</summary>
    internal static double Factor(long step, int steps) => step >= steps ? 1 : (1.0 / steps) + ((1 - (1.0 / steps)) * step / steps);
}
