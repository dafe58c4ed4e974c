namespace DeepLearning.Schedules;

/// <summary>
/// Cosine decay (Loshchilov and Hutter, 2017) with an optional linear warm-up: after w warm-up steps the learning rate
/// falls from ε to min·ε along half a cosine, reaching it at the end of the run —
/// <c>ε_t = min·ε + (ε − min·ε)·(1 + cos(π·k/K))/2</c>, k the steps since the warm-up, K the steps after it. Fast at first,
/// gentle at the end, where small steps settle the weights; the usual schedule of Transformers.
/// </summary>
/// <remarks>
/// The warm-up is <see cref="Warmup"/>'s. Registry name <c>cosine(warmup = 0, min = 0)</c>. PyTorch:
/// <c>CosineAnnealingLR(optimizer, T_max=K, eta_min=min·ε)</c> stepped once per batch — after
/// <c>LinearLR(start_factor=1/w, total_iters=w)</c> in a <c>SequentialLR</c> with the milestone w when warming up. The
/// length of the run is the epochs it is given: a run resumed with more epochs stretches the rest of its cosine.
/// </remarks>
/// <example><c>cosine(warmup=100)</c>: steps 0–99 climb to ε, then the rate falls to 0 at the last step.</example>
public sealed class Cosine : ISchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="warmup">w, the steps of linear warm-up first; 0 for none.</param>
    /// <param name="minimum">The floor as a fraction of ε, in [0, 1]; 0 by default.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public Cosine(int warmup = 0, double minimum = 0)
    {
        WarmupSteps = Preconditions.CheckNonNegative(warmup, nameof(warmup));
        Minimum = minimum is >= 0 and <= 1 ? minimum : throw new ArgumentOutOfRangeException(nameof(minimum), minimum, $"min must be in [0, 1], but was {Preconditions.Format(minimum)}.");
    }

    /// <summary>w, the steps of linear warm-up.</summary>
    public int WarmupSteps { get; }

    /// <summary>The floor, as a fraction of ε.</summary>
    public double Minimum { get; }

    /// <inheritdoc/>
    public string Name => "Cosine";

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"cosine({WarmupSteps}, {Minimum:R})");

    /// <inheritdoc/>
    public double LearningRate(double baseRate, ScheduleProgress progress)
    {
        if (progress.Step < WarmupSteps)
        {
            return baseRate * Warmup.Factor(progress.Step, WarmupSteps);
        }

        long length = Math.Max(1, progress.TotalSteps - WarmupSteps), k = Math.Min(progress.Step - WarmupSteps, length);
        double floor = Minimum * baseRate;
        return floor + ((baseRate - floor) * (1 + Math.Cos(Math.PI * k / length)) / 2);
    }

    /// <summary>Returns the settings, for example <c>Cosine(warm-up 100 steps, min 0)</c>.</summary>
    /// <returns>The schedule as text.</returns>
    public override string ToString() => FormattableString.Invariant($"Cosine(warm-up {WarmupSteps} steps, min {Minimum})");
}
