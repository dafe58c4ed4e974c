using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// The categorical (softmax) cross-entropy on logits: with p = softmax(z) over each row, ℓ(z, y) = −Σₖ yₖ log pₖ per sample,
/// and L = (1/m) Σᵢ ℓ(zᵢ, yᵢ) over a batch of m. The network's last layer gives the logits z (no activation: a linear
/// layer); the softmax is part of the loss. Targets are one-hot class labels (or probabilities summing to 1), or one class
/// index per row: 0 to n − 1, or −1 for a row without a target (the padding after a short name), which is left out of
/// the mean — L = mean over the rows that have a target, PyTorch's <c>ignore_index</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Computed on logits, exact at any value.</b> log pₖ = zₖ − log Σⱼ e^(zⱼ), and the log-sum-exp is computed with the
/// row's maximum subtracted first, so nothing overflows or underflows: logits of ±1000 give the exact loss (2000 for a
/// sample whose true class has −1000 and another 1000), where taking the log of a probability would give log 0.
/// </para>
/// <para>
/// <b>Gradient</b> with respect to the logits: ∂L/∂z = (softmax(z)·Σₖyₖ − y)/m, that is (p − y)/m for one-hot labels — the
/// loss owns this fused gradient, so the training loop never asks which activation came before it.
/// </para>
/// <para>
/// <b>PyTorch</b>: <c>torch.nn.functional.cross_entropy(z, y)</c> (mean over the batch), with class indices or
/// probabilities as targets. <see cref="ILoss.Predictions{T}"/> turns logits into probabilities (the softmax).
/// </para>
/// </remarks>
/// <example>Logits [0, ln 3] (probabilities [0.25, 0.75]) with label [0, 1]: ℓ = −log 0.75 ≈ 0.287682; ∂ℓ/∂z = [0.25, −0.25].</example>
public sealed class CrossEntropy : ILoss
{
    internal CrossEntropy()
    {
    }

    /// <inheritdoc/>
    public string Name => "CrossEntropy";

    /// <inheritdoc/>
    /// <remarks>The softmax over each row: the class probabilities the logits stand for.</remarks>
    public IActivation? Head => Activation.Softmax;

    /// <inheritdoc/>
    public string Spec => "cross_entropy";

    /// <inheritdoc/>
    /// <remarks>True: a column of class indices (−1 for none) may replace one-hot rows.</remarks>
    public bool TakesClassIndices => true;

    /// <inheritdoc/>
    /// <remarks>True: −log p of the target, in nats.</remarks>
    public bool IsNegativeLogLikelihood => true;

    /// <inheritdoc/>
    public T Value<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (Loss.CheckShapes(this, nameof(Value), predictions, targets))
        {
            return IndexValueAndGradient(predictions, targets, null);
        }

        double sum = 0;
        for (int i = 0; i < predictions.Rows; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < predictions.Columns; k++)
            {
                max = Math.Max(max, double.CreateChecked(predictions[i, k]));
            }

            double exponentials = 0, targetSum = 0, weighted = 0;
            for (int k = 0; k < predictions.Columns; k++)
            {
                double z = double.CreateChecked(predictions[i, k]), y = double.CreateChecked(targets[i, k]);
                exponentials += Math.Exp(z - max);
                if (y != 0)
                {
                    targetSum += y;
                    weighted += y * (z - max);
                }
            }

            sum += (targetSum * Math.Log(exponentials)) - weighted; // −Σ y (z − max − log Σ e^(z − max))
        }

        return T.CreateChecked(sum / predictions.Rows);
    }

    /// <inheritdoc/>
    public void Gradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (Loss.CheckShapes(this, nameof(Gradient), predictions, targets, result))
        {
            IndexValueAndGradient(predictions, targets, result);
            return;
        }

        ((ILoss)this).Predictions(predictions, result);
        T m = T.CreateChecked(predictions.Rows);
        for (int i = 0; i < predictions.Rows; i++)
        {
            T targetSum = T.Zero;
            for (int k = 0; k < predictions.Columns; k++)
            {
                targetSum += targets[i, k];
            }

            for (int k = 0; k < predictions.Columns; k++)
            {
                result[i, k] = ((result[i, k] * targetSum) - targets[i, k]) / m;
            }
        }
    }

    /// <summary>
    /// The loss and its gradient with the softmax computed once: per row the maximum, e^(z − max) and its sum give both
    /// p = softmax(z) for the gradient (p·Σy − y)/m and log Σ e^(z − max) for the loss. The gradient is bit for bit that of
    /// <see cref="Gradient{T}"/>; the value is computed in T rather than in double (within rounding of <see cref="Value{T}"/>).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="predictions">The logits z, m×n.</param>
    /// <param name="targets">The targets y, m×n.</param>
    /// <param name="gradient">Receives ∂L/∂z, m×n.</param>
    /// <returns>The loss of the batch.</returns>
    public T ValueAndGradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> gradient)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (Loss.CheckShapes(this, nameof(ValueAndGradient), predictions, targets, gradient))
        {
            return IndexValueAndGradient(predictions, targets, gradient);
        }

        int m = predictions.Rows, n = predictions.Columns;
        T[] rented = ArrayPool<T>.Shared.Rent(4 * m);
        try
        {
            Span<T> rowMax = rented.AsSpan(0, m), rowSum = rented.AsSpan(m, m), targetSum = rented.AsSpan(2 * m, m), weighted = rented.AsSpan(3 * m, m);
            predictions.ColumnSpan(0).CopyTo(rowMax);
            for (int k = 1; k < n; k++)
            {
                TensorPrimitives.Max<T>(rowMax, predictions.ColumnSpan(k), rowMax);
            }

            // Column by column: g = z − max, Σ y·(z − max), then g = e^(z − max) and its row sums.
            rowSum.Clear();
            targetSum.Clear();
            weighted.Clear();
            for (int k = 0; k < n; k++)
            {
                Span<T> g = gradient.ColumnSpan(k), y = targets.ColumnSpan(k);
                TensorPrimitives.Subtract<T>(predictions.ColumnSpan(k), rowMax, g);
                TensorPrimitives.MultiplyAdd<T>(y, g, weighted, weighted);
                TensorPrimitives.Add<T>(targetSum, y, targetSum);
                TensorPrimitives.Exp<T>(g, g);
                TensorPrimitives.Add<T>(rowSum, g, rowSum);
            }

            double sum = 0;
            for (int i = 0; i < m; i++)
            {
                sum += double.CreateChecked((targetSum[i] * T.Log(rowSum[i])) - weighted[i]); // −Σ y (z − max − log Σ e^(z − max))
            }

            T batch = T.CreateChecked(m);
            for (int k = 0; k < n; k++)
            {
                Span<T> g = gradient.ColumnSpan(k);
                TensorPrimitives.Divide<T>(g, rowSum, g);      // p = softmax(z)
                TensorPrimitives.Multiply<T>(g, targetSum, g); // p·Σy
                TensorPrimitives.Subtract<T>(g, targets.ColumnSpan(k), g);
                TensorPrimitives.Divide<T>(g, batch, g);
            }

            return T.CreateChecked(sum / m);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// With class indices y (−1: none): per row the maximum, e^(z − max) and its sum give ℓ = log Σ e^(z − max) − (z_y − max)
    /// and, when <paramref name="gradient"/> is given, (softmax(z) − onehot(y))/k; the mean is over the k rows that have a
    /// target, and the other rows' gradient is 0.
    /// </summary>
    private static T IndexValueAndGradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T>? gradient)
        where T : struct, IFloatingPointIeee754<T>
    {
        int m = predictions.Rows, n = predictions.Columns;
        Span<T> ids = targets.AsSpan();
        T[] rented = ArrayPool<T>.Shared.Rent(3 * m);
        try
        {
            Span<T> rowMax = rented.AsSpan(0, m), rowSum = rented.AsSpan(m, m), scratch = rented.AsSpan(2 * m, m);
            predictions.ColumnSpan(0).CopyTo(rowMax);
            for (int k = 1; k < n; k++)
            {
                TensorPrimitives.Max<T>(rowMax, predictions.ColumnSpan(k), rowMax);
            }

            rowSum.Clear();
            for (int k = 0; k < n; k++)
            {
                Span<T> e = gradient is null ? scratch : gradient.ColumnSpan(k);
                TensorPrimitives.Subtract<T>(predictions.ColumnSpan(k), rowMax, e);
                TensorPrimitives.Exp<T>(e, e);
                TensorPrimitives.Add<T>(rowSum, e, rowSum);
            }

            double sum = 0;
            int scored = 0;
            for (int i = 0; i < m; i++)
            {
                if (ids[i] >= T.Zero)
                {
                    int y = int.CreateTruncating(ids[i]);
                    sum += double.CreateChecked(T.Log(rowSum[i]) - (predictions[i, y] - rowMax[i]));
                    scored++;
                }
            }

            if (gradient is not null)
            {
                // p = e/Σe; then p − 1 at the target; all divided by k, and rows without a target set to 0.
                T count = T.CreateChecked(Math.Max(scored, 1));
                for (int i = 0; i < m; i++)
                {
                    scratch[i] = ids[i] >= T.Zero ? T.One / (rowSum[i] * count) : T.Zero;
                }

                for (int k = 0; k < n; k++)
                {
                    Span<T> g = gradient.ColumnSpan(k);
                    TensorPrimitives.Multiply<T>(g, scratch, g);
                }

                for (int i = 0; i < m; i++)
                {
                    if (ids[i] >= T.Zero)
                    {
                        gradient[i, int.CreateTruncating(ids[i])] -= T.One / count;
                    }
                }
            }

            return scored == 0 ? T.Zero : T.CreateChecked(sum / scored);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Returns <c>CrossEntropy</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
