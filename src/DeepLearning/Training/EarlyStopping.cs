using System.Globalization;

namespace DeepLearning.Training;

/// <summary>
/// Early stopping: ends training when the validation loss (or accuracy) has not improved for <see cref="Patience"/>
/// epochs in a row — the network has started to learn its training samples rather than the task, and more epochs only
/// make that worse (see the overfitting article).
/// </summary>
/// <remarks>
/// It needs validation data (<c>Fit(…, validation: …)</c>). <see cref="BestEpoch"/> names the epoch to prefer; to keep its
/// weights, save the network after each epoch that is the best so far (the trainer's <c>--save</c> keeps the last).
/// Keras: <c>EarlyStopping(monitor="val_loss", patience=p, min_delta=d)</c>.
/// </remarks>
/// <example>
/// <code>
/// network.Fit(train, loss, optimizer, new TrainingOptions { Epochs = 100, Callbacks = [new EarlyStopping(patience: 3)] }, validation);
/// </code>
/// </example>
/// <param name="patience">Epochs without improvement before stopping, at least 1.</param>
/// <param name="watchAccuracy">Whether to watch the validation accuracy (higher is better) instead of the loss.</param>
/// <param name="minimumImprovement">The smallest change that counts as an improvement, 0 or more.</param>
public sealed class EarlyStopping(int patience, bool watchAccuracy = false, double minimumImprovement = 0) : ITrainingCallback
{
    private readonly double _minimum = minimumImprovement >= 0 && double.IsFinite(minimumImprovement)
        ? minimumImprovement
        : throw new ArgumentOutOfRangeException(nameof(minimumImprovement), minimumImprovement, "minimumImprovement must be 0 or more and finite.");

    private double _best = double.NaN;

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; } = Preconditions.CheckPositive(patience, nameof(patience));

    /// <summary>Whether the validation accuracy is watched (else the loss).</summary>
    public bool WatchAccuracy { get; } = watchAccuracy;

    /// <summary>The epoch with the best validation figure so far, or 0 before the first.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The epoch has no validation figure (no validation data).</exception>
    public void OnEpochEnd(EpochReport report, TrainingControl control)
    {
        Preconditions.CheckNotNull(report, nameof(report));
        Preconditions.CheckNotNull(control, nameof(control));
        double value = (WatchAccuracy ? report.ValidationAccuracy : report.ValidationLoss)
            ?? throw new InvalidOperationException($"EarlyStopping watches the validation {(WatchAccuracy ? "accuracy" : "loss")}, but epoch {report.Epoch} has none: pass validation data to Fit.");
        double signed = WatchAccuracy ? value : -value; // higher is better
        if (double.IsNaN(_best) || signed > _best + _minimum)
        {
            (_best, BestEpoch) = (signed, report.Epoch);
        }
        else if (report.Epoch - BestEpoch >= Patience)
        {
            control.Stop(string.Create(CultureInfo.InvariantCulture, $"the validation {(WatchAccuracy ? "accuracy" : "loss")} has not improved for {Patience} epoch{(Patience == 1 ? string.Empty : "s")} (best: epoch {BestEpoch})"));
        }
    }
}
