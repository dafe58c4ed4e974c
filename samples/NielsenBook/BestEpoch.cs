using System.Globalization;
using DeepLearning.Data;
using DeepLearning.Serialization;

namespace NielsenBook;

/// <summary>
/// Follows a training run epoch by epoch, as network3.py does: after each epoch (with its validation accuracy from
/// <c>Fit</c>) it measures the test accuracy, and keeps the test accuracy — and, for an ensemble, the test probabilities —
/// of the epoch with the best validation accuracy (the first such epoch on a tie). Once its run ends, <see cref="Finish"/>
/// lets the network go: an ensemble keeps each member's 10,000×10 probabilities, not its network and buffers.
/// </summary>
internal sealed class BestEpoch(Network<float> network, DataSet<float> test, ILoss loss, bool keepPredictions, TextWriter? log, int epochs)
    : IProgress<EpochReport>
{
    private Network<float>? _network = network;

    public double BestValidation { get; private set; } = -1;

    public int BestEpochNumber { get; private set; }

    public double TestAtBest { get; private set; }

    public double FinalValidation { get; private set; }

    public double FinalTest { get; private set; }

    /// <summary>The test probabilities (10,000×10) at the best validation epoch, when kept.</summary>
    public Tensor<float>? PredictionsAtBest { get; private set; }

    /// <summary>Where the network of each new best epoch is saved (<c>--keep</c>), or null.</summary>
    public string? BestPath { get; init; }

    /// <summary>The figures so far, for a checkpoint's settings (<see cref="Restore"/> reads them back).</summary>
    public Arguments Figures => new(
        ("best_validation", Round(BestValidation)),
        ("best_epoch", BestEpochNumber.ToString(CultureInfo.InvariantCulture)),
        ("test_at_best", Round(TestAtBest)),
        ("final_validation", Round(FinalValidation)),
        ("final_test", Round(FinalTest)));

    /// <summary>Takes up the figures of a saved run (<see cref="Figures"/>) to go on from its last epoch.</summary>
    /// <exception cref="ArgumentException">A figure is missing or malformed.</exception>
    public void Restore(Arguments figures)
    {
        (BestValidation, BestEpochNumber, TestAtBest) = (figures.GetNumber("best_validation"), figures.GetSize("best_epoch"), figures.GetNumber("test_at_best"));
        (FinalValidation, FinalTest) = (figures.GetNumber("final_validation"), figures.GetNumber("final_test"));
    }

    /// <summary>Uses the test probabilities of the best epoch's network when that epoch was trained in an earlier sitting.</summary>
    public void UsePredictions(Tensor<float> predictions) => PredictionsAtBest ??= predictions;

    public void Report(EpochReport value)
    {
        double validation = value.ValidationAccuracy!.Value;
        Network<float> trained = _network ?? throw new InvalidOperationException("the run has finished");
        double accuracy = trained.Evaluate(test, loss).Accuracy!.Value;
        (FinalValidation, FinalTest) = (validation, accuracy);
        if (validation > BestValidation)
        {
            (BestValidation, BestEpochNumber, TestAtBest) = (validation, value.Epoch, accuracy);
            PredictionsAtBest = keepPredictions ? trained.Predict(test.Inputs) : null;
            if (BestPath is not null)
            {
                ModelFile.Save(trained, BestPath);
            }
        }

        log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {value.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  loss {value.TrainingLoss:F4}  validation {Table.Percent(validation)}  test {Table.Percent(accuracy)}  {value.Elapsed.TotalSeconds:F1} s"));
    }

    /// <summary>Ends the run: the network (its weights and every buffer) is no longer held, only the figures and the predictions.</summary>
    public void Finish() => _network = null;

    /// <summary>
    /// The ensemble's test accuracy: each image gets the digit most networks chose (each at its best validation epoch); a
    /// tie goes to the tied digit with the largest summed probability.
    /// </summary>
    public static double Vote(IReadOnlyList<BestEpoch> members, DataSet<float> test)
    {
        IReadOnlyList<int> labels = test.Labels ?? throw new InvalidOperationException("the test set has no labels");
        int correct = 0;
        var votes = new int[10];
        var sums = new double[10];
        for (int i = 0; i < test.Count; i++)
        {
            Array.Clear(votes);
            Array.Clear(sums);
            foreach (BestEpoch member in members)
            {
                Tensor<float> p = member.PredictionsAtBest!;
                int digit = 0;
                for (int j = 0; j < 10; j++)
                {
                    sums[j] += p[i, j];
                    digit = p[i, j] > p[i, digit] ? j : digit;
                }

                votes[digit]++;
            }

            int winner = 0;
            for (int j = 1; j < 10; j++)
            {
                winner = votes[j] > votes[winner] || (votes[j] == votes[winner] && sums[j] > sums[winner]) ? j : winner;
            }

            correct += winner == labels[i] ? 1 : 0;
        }

        return (double)correct / test.Count;
    }

    private static string Round(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
