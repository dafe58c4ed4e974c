using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// The quadratic loss of the textbook: ℓ(a, y) = ½ Σₖ (aₖ − yₖ)² per sample, and L = (1/m) Σᵢ ℓ(aᵢ, yᵢ) over a batch of m.
/// </summary>
/// <remarks>
/// The ½ makes the derivative clean: ∂ℓ/∂a = a − y, so ∂L/∂A = (A − Y)/m. Averaging over the batch is what Nielsen's
/// <c>network.py</c> does (it divides the summed per-sample gradients by the mini-batch size), so the book's learning
/// rates such as 3.0 carry over unchanged.
/// </remarks>
/// <example>
/// The one-weight example: prediction a = w·x = 5·2 = 10, label y = 6, so L = ½(10 − 6)² = 8 and ∂L/∂a = 4.
/// </example>
public sealed class Quadratic : ILoss
{
    internal Quadratic()
    {
    }

    /// <inheritdoc/>
    public string Name => "Quadratic";

    /// <inheritdoc/>
    /// <remarks>None: the outputs are the predictions.</remarks>
    public IActivation? Head => null;

    /// <inheritdoc/>
    public string Spec => "quadratic";

    /// <inheritdoc/>
    public T Value<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Value), predictions, targets);
        double sum = Loss.SumOfSquaredErrors(predictions, targets);
        return T.CreateChecked(0.5 * sum / predictions.Rows);
    }

    /// <inheritdoc/>
    public void Gradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Gradient), predictions, targets, result);
        Span<T> a = predictions.AsSpan(), y = targets.AsSpan(), g = result.AsSpan();
        T scale = T.One / T.CreateChecked(predictions.Rows);
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = (a[i] - y[i]) * scale;
        }
    }

    /// <summary>Returns <c>Quadratic</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
