using System.Globalization;

namespace DeepLearning.Training;

/// <summary>
/// How well a network does on a data set, in the terms its loss and targets call for: the loss always; the accuracy when
/// the targets are classes (one-hot rows, 0/1 labels or class indices); the perplexity for a loss that is a negative
/// log-likelihood (cross-entropy: a language model's per-token loss); the mean squared and absolute errors when the targets
/// are numbers to predict (a regression — which gets no accuracy).
/// </summary>
/// <param name="Loss">The loss, averaged over the predictions scored.</param>
/// <param name="Accuracy">The fraction of predictions that were right, in [0, 1] (see <see cref="Metrics.Accuracy"/>), or null when the targets are not classes.</param>
/// <param name="Samples">The number of samples evaluated.</param>
public sealed record Evaluation(double Loss, double? Accuracy, int Samples)
{
    /// <summary>
    /// The number of predictions scored: one per sample, or for a network whose output is a sequence one per position
    /// (those with a target: padding marked −1 is not scored).
    /// </summary>
    public long Predictions { get; init; }

    /// <summary>e^<see cref="Loss"/> for a negative log-likelihood loss (cross-entropy), else null: 27 for a language model that guesses among 27 characters uniformly.</summary>
    public double? Perplexity { get; init; }

    /// <summary>The mean of (prediction − target)² over every output value, for a regression; else null.</summary>
    public double? MeanSquaredError { get; init; }

    /// <summary>The mean of |prediction − target| over every output value, for a regression; else null.</summary>
    public double? MeanAbsoluteError { get; init; }

    /// <summary>One line with what was measured: <c>loss 0.0712, accuracy 97.84% (10,000 samples)</c>, <c>loss 1.9210 nats per prediction, perplexity 6.83 (…)</c>, <c>loss 0.0341, MSE 0.0682, MAE 0.2013 (…)</c>.</summary>
    /// <returns>The evaluation as text.</returns>
    public override string ToString()
    {
        var parts = new List<string> { FormattableString.Invariant($"loss {Loss:F4}{(Perplexity is null ? string.Empty : " nats per prediction")}") };
        if (Perplexity is { } perplexity)
        {
            parts.Add(FormattableString.Invariant($"perplexity {perplexity:F2}"));
        }

        if (Accuracy is { } accuracy)
        {
            parts.Add(FormattableString.Invariant($"accuracy {accuracy:P2}"));
        }

        if (MeanSquaredError is { } mse)
        {
            parts.Add(FormattableString.Invariant($"MSE {mse:G4}"));
        }

        if (MeanAbsoluteError is { } mae)
        {
            parts.Add(FormattableString.Invariant($"MAE {mae:G4}"));
        }

        string scored = Predictions > Samples ? string.Create(CultureInfo.InvariantCulture, $"{Samples:N0} samples, {Predictions:N0} predictions") : string.Create(CultureInfo.InvariantCulture, $"{Samples:N0} samples");
        return $"{string.Join(", ", parts)} ({scored})";
    }
}
