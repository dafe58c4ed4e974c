namespace DeepLearning.Schedules;

/// <summary>
/// A learning-rate schedule: how the step size changes as training goes on — held constant, cut by a factor every few
/// epochs, warmed up from small to full over the first steps, or lowered along a cosine to the end of the run. The
/// training loop asks it before every optimizer step and hands the optimizer the rate it gives.
/// </summary>
/// <remarks>
/// A schedule is one file and one registration line (<c>Registries.Schedules.Register("name", "parameters", "what", a =&gt; …)</c>),
/// used by <c>TrainingOptions.Schedule</c> and the trainer's <c>--schedule</c>. Implementations are stateless: the rate
/// depends only on the step and the run's length, so a resumed run follows the same schedule from where it stopped.
/// </remarks>
public interface ISchedule : IConcept
{
    /// <summary>The schedule's name as the literature writes it, for example <c>Cosine</c>.</summary>
    string Name { get; }

    /// <summary>The learning rate of the next step.</summary>
    /// <param name="baseRate">ε, the optimizer's own learning rate: the peak of the schedule.</param>
    /// <param name="progress">Where the run stands: the steps taken so far (0 before the first), per epoch and in all.</param>
    /// <returns>The rate, at least 0.</returns>
    double LearningRate(double baseRate, ScheduleProgress progress);
}
