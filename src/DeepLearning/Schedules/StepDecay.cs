namespace DeepLearning.Schedules;

/// <summary>
/// Step decay: the learning rate is multiplied by γ every <see cref="Every"/> epochs, ε·γ^⌊epoch/every⌋ — the classic
/// "divide by ten when the loss stops falling", on a fixed timetable.
/// </summary>
/// <remarks>Registry name <c>step(every, gamma = 0.1)</c>. PyTorch: <c>StepLR(optimizer, step_size=every, gamma=γ)</c> stepped once per epoch.</remarks>
/// <example><c>step(2, 0.5)</c> with ε = 0.1: epochs 1–2 at 0.1, 3–4 at 0.05, 5–6 at 0.025.</example>
public sealed class StepDecay : ISchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="every">The epochs between two cuts, at least 1.</param>
    /// <param name="gamma">γ, the factor of each cut, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public StepDecay(int every, double gamma = 0.1)
    {
        Every = Preconditions.CheckPositive(every, nameof(every));
        Gamma = gamma is > 0 and <= 1 ? gamma : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, $"gamma must be in (0, 1], but was {Preconditions.Format(gamma)}.");
    }

    /// <summary>The epochs between two cuts.</summary>
    public int Every { get; }

    /// <summary>γ, the factor of each cut.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public string Name => "StepDecay";

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"step({Every}, {Gamma:R})");

    /// <inheritdoc/>
    public double LearningRate(double baseRate, ScheduleProgress progress) => baseRate * Math.Pow(Gamma, progress.Epoch / Every);

    /// <summary>Returns the settings, for example <c>StepDecay(every 2 epochs, γ=0.5)</c>.</summary>
    /// <returns>The schedule as text.</returns>
    public override string ToString() => FormattableString.Invariant($"StepDecay(every {Every} epochs, γ={Gamma})");
}
