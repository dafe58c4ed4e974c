namespace DeepLearning.Training;

/// <summary>How well a network does on a data set: its loss and its classification accuracy.</summary>
/// <param name="Loss">The loss, averaged over the samples.</param>
/// <param name="Accuracy">The fraction of samples classified correctly, in [0, 1] (see <see cref="Metrics.Accuracy"/>).</param>
/// <param name="Samples">The number of samples evaluated.</param>
public sealed record Evaluation(double Loss, double Accuracy, int Samples);
