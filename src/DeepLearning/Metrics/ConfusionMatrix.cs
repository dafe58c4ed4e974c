using System.Globalization;
using System.Text;

namespace DeepLearning.Metrics;

/// <summary>
/// A confusion matrix: entry (t, p) counts the samples of true class t that were predicted as class p. The diagonal holds
/// the correct predictions; everything off it is a mistake, and where it sits shows which classes are confused.
/// </summary>
/// <example>True [0, 1, 1], predicted [0, 1, 0]: counts [[1, 0], [1, 1]], accuracy 2/3, per-class accuracy [1, 0.5].</example>
public sealed class ConfusionMatrix
{
    private readonly int[,] _counts;

    /// <summary>Counts the predictions of a classifier.</summary>
    /// <param name="actual">The true class of each sample.</param>
    /// <param name="predicted">The predicted class of each sample.</param>
    /// <param name="classes">The number of classes.</param>
    /// <exception cref="ArgumentException">The lengths differ or a class is outside [0, <paramref name="classes"/>).</exception>
    public ConfusionMatrix(IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int classes)
    {
        Preconditions.CheckNotNull(actual, nameof(actual));
        Preconditions.CheckNotNull(predicted, nameof(predicted));
        Preconditions.CheckPositive(classes, nameof(classes));
        if (actual.Count != predicted.Count)
        {
            throw new ArgumentException($"{actual.Count} true classes but {predicted.Count} predictions; there must be one of each per sample.", nameof(predicted));
        }

        Classes = classes;
        _counts = new int[classes, classes];
        for (int i = 0; i < actual.Count; i++)
        {
            if ((uint)actual[i] >= (uint)classes || (uint)predicted[i] >= (uint)classes)
            {
                throw new ArgumentException($"Sample {i} has true class {actual[i]} and prediction {predicted[i]}; both must be in [0, {classes - 1}].", nameof(actual));
            }

            _counts[actual[i], predicted[i]]++;
        }

        Total = actual.Count;
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>The number of samples counted.</summary>
    public int Total { get; }

    /// <summary>The fraction of samples on the diagonal (correctly classified).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Enumerable.Range(0, Classes).Sum(c => _counts[c, c]) / Total;

    /// <summary>The number of samples of true class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    /// <param name="actual">The true class.</param>
    /// <param name="predicted">The predicted class.</param>
    /// <returns>The count.</returns>
    public int this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>For each class, the fraction of its samples predicted correctly (its recall); NaN for a class with no samples.</summary>
    /// <returns>One value per class.</returns>
    public double[] PerClassAccuracy()
    {
        var result = new double[Classes];
        for (int c = 0; c < Classes; c++)
        {
            int row = 0;
            for (int p = 0; p < Classes; p++)
            {
                row += _counts[c, p];
            }

            result[c] = row == 0 ? double.NaN : (double)_counts[c, c] / row;
        }

        return result;
    }

    /// <summary>Formats the matrix as a table: one row per true class, one column per predicted class.</summary>
    /// <returns>The table.</returns>
    public override string ToString()
    {
        int width = Math.Max(5, _counts.Cast<int>().Max().ToString(CultureInfo.InvariantCulture).Length + 1);
        var text = new StringBuilder();
        text.Append("true\\pred".PadRight(10));
        for (int p = 0; p < Classes; p++)
        {
            text.Append(p.ToString(CultureInfo.InvariantCulture).PadLeft(width));
        }

        for (int c = 0; c < Classes; c++)
        {
            text.AppendLine().Append(c.ToString(CultureInfo.InvariantCulture).PadRight(10));
            for (int p = 0; p < Classes; p++)
            {
                text.Append(_counts[c, p].ToString(CultureInfo.InvariantCulture).PadLeft(width));
            }
        }

        return text.ToString();
    }
}
