using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// The mean squared error: ℓ(a, y) = (1/n) Σₖ (aₖ − yₖ)² per sample over its n outputs, and L = (1/m) Σᵢ ℓ(aᵢ, yᵢ)
/// over a batch of m; so L is the mean of (a − y)² over all m·n elements.
/// </summary>
/// <remarks>
/// Gradient: ∂L/∂A = 2(A − Y)/(m·n). It differs from <see cref="Quadratic"/> by the constant 2/n, which only rescales the
/// learning rate. The usual loss for regression, after an <see cref="Identity"/> output.
/// </remarks>
/// <example>Predictions [1, 3] against targets [0, 0]: L = (1 + 9)/2 = 5, ∂L/∂A = [1, 3].</example>
public sealed class MeanSquaredError : ILoss
{
    internal MeanSquaredError()
    {
    }

    /// <inheritdoc/>
    public string Name => "MeanSquaredError";

    /// <inheritdoc/>
    /// <remarks>None: the outputs are the predictions.</remarks>
    public IActivation? Head => null;

    /// <inheritdoc/>
    public string Spec => "mse";

    /// <inheritdoc/>
    public T Value<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Value), predictions, targets);
        double sum = Loss.SumOfSquaredErrors(predictions, targets);
        return T.CreateChecked(sum / predictions.AsSpan().Length);
    }

    /// <inheritdoc/>
    public void Gradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Gradient), predictions, targets, result);
        Span<T> a = predictions.AsSpan(), y = targets.AsSpan(), g = result.AsSpan();
        T scale = T.CreateChecked(2.0 / a.Length);
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = (a[i] - y[i]) * scale;
        }
    }

    /// <summary>Returns <c>MeanSquaredError</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
