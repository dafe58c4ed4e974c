using DeepLearning.Schedules;

namespace OutsideConcepts;

/// <summary>
/// The original Transformer's schedule (Vaswani et al., 2017), as a factor of ε: a linear warm-up over w steps, then a
/// decay with the inverse square root of the step — ε·min((t + 1)/w, √(w/(t + 1))). A schedule written outside the library.
/// </summary>
public sealed class InverseSqrt(int warmup) : ISchedule
{
    public int Warmup { get; } = warmup >= 1 ? warmup : throw new ArgumentOutOfRangeException(nameof(warmup), "warmup must be at least 1.");

    public string Name => "InverseSqrt";

    public string Spec => FormattableString.Invariant($"inverse_sqrt({Warmup})");

    public double LearningRate(double baseRate, ScheduleProgress progress)
    {
        double t = progress.Step + 1;
        return baseRate * Math.Min(t / Warmup, Math.Sqrt(Warmup / t));
    }
}
