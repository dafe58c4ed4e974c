using System.Numerics;

namespace DeepLearning.Losses;

/// <summary>The shared instances of the built-in loss functions, and the checks they share.</summary>
public static class Loss
{
    /// <summary>The quadratic loss, ℓ = ½ Σₖ (aₖ − yₖ)² per sample, averaged over the batch.</summary>
    public static Quadratic Quadratic { get; } = new();

    /// <summary>The mean squared error, ℓ = (1/n) Σₖ (aₖ − yₖ)² per sample, averaged over the batch.</summary>
    public static MeanSquaredError MeanSquaredError { get; } = new();

    /// <summary>The categorical cross-entropy, ℓ = −Σₖ yₖ log aₖ per sample, averaged over the batch.</summary>
    public static CrossEntropy CrossEntropy { get; } = new();

    /// <summary>The binary cross-entropy, ℓ = −Σₖ [yₖ log aₖ + (1 − yₖ) log(1 − aₖ)] per sample, averaged over the batch.</summary>
    public static BinaryCrossEntropy BinaryCrossEntropy { get; } = new();

    /// <summary>Finds a loss by its registry name (<see cref="Registries.Losses"/>), ignoring case, with - read as _: quadratic, mse, cross-entropy, binary-cross-entropy.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">No registered loss has that name; the message lists them.</exception>
    public static ILoss FromName(string name) => Registries.Losses.TryCreate(Preconditions.CheckNotNull(name, nameof(name)), out var found, out string error)
        ? found!
        : throw new ArgumentException(error, nameof(name));

    /// <summary>
    /// The checks every loss makes, public so that a loss written outside the library makes the same ones with the same
    /// messages: predictions and targets have one shape — or, for a loss that <see cref="ILoss.TakesClassIndices"/>, the
    /// targets are one class index per row (checked: whole numbers from 0 to n − 1, or −1 for none) — and the result, when
    /// given, has the predictions' shape.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="loss">The loss, named in the message.</param>
    /// <param name="operation">The operation, named in the message: <c>Value</c>, <c>Gradient</c>.</param>
    /// <param name="predictions">The predictions, m×n.</param>
    /// <param name="targets">The targets, m×n (or m×1 of class indices).</param>
    /// <param name="result">The tensor that receives a gradient, or null.</param>
    /// <returns>Whether the targets are class indices.</returns>
    /// <exception cref="ArgumentException">A shape does not fit, or a class index is not one; the message says which.</exception>
    public static bool CheckShapes<T>(ILoss loss, string operation, Tensor<T> predictions, Tensor<T> targets, Tensor<T>? result = null)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        Preconditions.CheckNotNull(predictions, nameof(predictions));
        Preconditions.CheckNotNull(targets, nameof(targets));
        bool indices = loss.TakesClassIndices && targets.Columns == 1 && predictions.Columns > 1 && targets.Rows == predictions.Rows;
        if (predictions.Shape != targets.Shape && !indices)
        {
            string cause = predictions.Rows != targets.Rows
                ? $" There must be one target row per prediction row (sample): {targets.Rows} target rows for {predictions.Rows} predictions."
                : loss.TakesClassIndices
                    ? $" Each target row needs one value per output neuron ({predictions.Columns}) — a one-hot row — or one class index."
                    : $" Each target row needs one value per output neuron ({predictions.Columns}); class labels must be one-hot encoded.";
            throw new ArgumentException(
                $"{loss.Name}.{operation}: targets have shape {targets.Shape}, expected {predictions.Shape} (the shape of the predictions).{cause}",
                nameof(targets));
        }

        if (result is not null && result.Shape != predictions.Shape)
        {
            throw new ArgumentException(
                $"{loss.Name}.{operation}: result has shape {result.Shape}, expected {predictions.Shape} (the shape of the predictions).",
                nameof(result));
        }

        if (indices)
        {
            Span<T> ids = targets.AsSpan();
            T classes = T.CreateChecked(predictions.Columns);
            for (int i = 0; i < ids.Length; i++)
            {
                if (!T.IsInteger(ids[i]) || ids[i] < -T.One || ids[i] >= classes)
                {
                    throw new ArgumentException(
                        $"{loss.Name}.{operation}: target {i} is {Preconditions.Format(ids[i])}, which is not a class index (a whole number from 0 to {predictions.Columns - 1}, or −1 for no target).",
                        nameof(targets));
                }
            }
        }

        return indices;
    }

    /// <summary>The smallest probability used inside a logarithm, so that log 0 never happens: 1e-12 in double, 1e-7 in float.</summary>
    internal static T Tiny<T>()
        where T : struct, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? T.CreateChecked(1e-7) : T.CreateChecked(1e-12);

    /// <summary>Σ (a − y)² over every element, accumulated in double.</summary>
    internal static double SumOfSquaredErrors<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        Span<T> a = predictions.AsSpan(), y = targets.AsSpan();
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double e = double.CreateChecked(a[i] - y[i]);
            sum += e * e;
        }

        return sum;
    }
}
