namespace DeepLearning.Schedules;

/// <summary>Where a training run stands, as a schedule sees it.</summary>
/// <param name="Step">The optimizer steps taken so far: 0 before the first step.</param>
/// <param name="StepsPerEpoch">The steps of one epoch (its mini-batches).</param>
/// <param name="TotalSteps">The steps of the whole run: epochs × steps per epoch.</param>
public readonly record struct ScheduleProgress(long Step, long StepsPerEpoch, long TotalSteps)
{
    /// <summary>The epoch the next step belongs to, from 0.</summary>
    public long Epoch => StepsPerEpoch == 0 ? 0 : Step / StepsPerEpoch;
}
