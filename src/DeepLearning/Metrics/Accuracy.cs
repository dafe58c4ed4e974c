using System.Numerics;

namespace DeepLearning.Metrics;

/// <summary>
/// Classification accuracy: the fraction of samples whose predicted class is the true class.
/// </summary>
/// <remarks>
/// With several outputs the predicted class is the column of the largest output (arg max) and the true class the column of
/// the largest target (the one of a one-hot row). With a single output (a yes/no classifier) the prediction is "yes"
/// when the output is at least 0.5, and so is the target.
/// </remarks>
/// <example>Predictions [[0.9, 0.1], [0.3, 0.7]] against labels [[1, 0], [1, 0]]: accuracy 0.5.</example>
public static class Accuracy
{
    /// <summary>Computes the accuracy of a batch of predictions.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="predictions">The network's outputs, m×n.</param>
    /// <param name="targets">The targets, m×n (one-hot rows when n &gt; 1).</param>
    /// <returns>The fraction correct, in [0, 1].</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    public static double Compute<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(predictions, nameof(predictions));
        Preconditions.CheckNotNull(targets, nameof(targets));
        if (predictions.Shape != targets.Shape)
        {
            throw new ArgumentException($"Accuracy: targets have shape {targets.Shape}, expected {predictions.Shape} (the shape of the predictions).", nameof(targets));
        }

        return (double)CountCorrect(predictions, targets) / predictions.Rows;
    }

    /// <summary>The fraction of class labels predicted correctly: <c>#{i : predicted[i] = labels[i]} / m</c>.</summary>
    /// <param name="predicted">The predicted class of each sample, for example from <c>Network.PredictClasses</c>.</param>
    /// <param name="labels">The true class of each sample.</param>
    /// <returns>The accuracy, from 0 to 1.</returns>
    /// <exception cref="ArgumentException">The two lists differ in length or are empty.</exception>
    /// <example><c>Accuracy.Compute([3, 1, 4, 1], [3, 1, 4, 7])</c> is 0.75.</example>
    public static double Compute(IReadOnlyList<int> predicted, IReadOnlyList<int> labels)
    {
        Preconditions.CheckNotNull(predicted, nameof(predicted));
        Preconditions.CheckNotNull(labels, nameof(labels));
        if (predicted.Count != labels.Count || predicted.Count == 0)
        {
            throw new ArgumentException($"Accuracy: {predicted.Count} predictions for {labels.Count} labels; there must be one per sample, and at least one.", nameof(labels));
        }

        return (double)predicted.Where((p, i) => p == labels[i]).Count() / predicted.Count;
    }

    internal static int CountCorrect<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        int m = predictions.Rows;
        int correct = 0;
        if (targets.Columns == 1 && predictions.Columns > 1)
        {
            // Class indices (−1: no target, not counted).
            for (int i = 0; i < m; i++)
            {
                T label = targets[i, 0];
                if (label >= T.Zero && predictions.ArgMax(i) == int.CreateTruncating(label))
                {
                    correct++;
                }
            }

            return correct;
        }

        if (predictions.Columns == 1)
        {
            T half = T.CreateChecked(0.5);
            for (int i = 0; i < m; i++)
            {
                if ((predictions[i, 0] >= half) == (targets[i, 0] >= half))
                {
                    correct++;
                }
            }

            return correct;
        }

        for (int i = 0; i < m; i++)
        {
            if (predictions.ArgMax(i) == targets.ArgMax(i))
            {
                correct++;
            }
        }

        return correct;
    }
}
