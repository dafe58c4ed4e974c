namespace DeepLearning.Training;

/// <summary>What one epoch of training achieved.</summary>
/// <param name="Epoch">The epoch number, starting at 1.</param>
/// <param name="TrainingLoss">The mean loss over the epoch's samples, each batch's loss taken just before its gradient step.</param>
/// <param name="ValidationLoss">The loss on the validation data after the epoch, or <see langword="null"/> without validation data.</param>
/// <param name="ValidationAccuracy">The accuracy (0–1) on the validation data after the epoch, or <see langword="null"/> without validation data.</param>
/// <param name="Elapsed">The time the epoch took, validation included.</param>
public sealed record EpochReport(int Epoch, double TrainingLoss, double? ValidationLoss, double? ValidationAccuracy, TimeSpan Elapsed)
{
    /// <summary>The learning rate of the epoch's last step (a schedule changes it from step to step).</summary>
    public double LearningRate { get; init; }

    /// <summary>Formats the report as one line, for example <c>epoch 3: loss 0.1234, validation accuracy 95.20%, 1.2 s</c>.</summary>
    /// <returns>The report as text.</returns>
    public override string ToString()
    {
        string validation = (ValidationLoss is { } loss ? FormattableString.Invariant($", validation loss {loss:F4}") : string.Empty)
            + (ValidationAccuracy is { } accuracy ? FormattableString.Invariant($", validation accuracy {accuracy:P2}") : string.Empty);
        return FormattableString.Invariant($"epoch {Epoch}: loss {TrainingLoss:F4}{validation}, {Elapsed.TotalSeconds:F1} s");
    }
}
