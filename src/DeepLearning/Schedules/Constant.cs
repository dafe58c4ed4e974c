namespace DeepLearning.Schedules;

/// <summary>The constant schedule: every step uses the optimizer's learning rate ε. What training does without a schedule.</summary>
/// <remarks>Registry name <c>constant</c>. PyTorch: no scheduler (or <c>ConstantLR(factor=1)</c>).</remarks>
public sealed class Constant : ISchedule
{
    /// <inheritdoc/>
    public string Name => "Constant";

    /// <inheritdoc/>
    public string Spec => "constant";

    /// <inheritdoc/>
    public double LearningRate(double baseRate, ScheduleProgress progress) => baseRate;

    /// <summary>Returns <c>Constant</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
