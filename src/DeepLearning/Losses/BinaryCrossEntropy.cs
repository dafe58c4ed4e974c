using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// The binary cross-entropy: ℓ(a, y) = −Σₖ [yₖ log aₖ + (1 − yₖ) log(1 − aₖ)] per sample, and L = (1/m) Σᵢ ℓ(aᵢ, yᵢ)
/// over a batch of m. Each output is an independent yes/no probability, usually from a <see cref="Sigmoid"/>.
/// </summary>
/// <remarks>
/// After a sigmoid output the gradient with respect to the weighted inputs simplifies to ∂L/∂Z = (A − Y)/m, which the
/// training loop uses directly (see <see cref="SimplifiesWith"/>). On its own the gradient is
/// ∂L/∂A = (A − Y) / (m·A(1 − A)). Probabilities are kept within 1e-12 (1e-7 in float) of 0 and 1 inside the logarithms
/// and the division, so log 0 never happens.
/// </remarks>
/// <example>A prediction 0.8 for label 1: ℓ = −log 0.8 ≈ 0.223144; for label 0: ℓ = −log 0.2 ≈ 1.609438.</example>
public sealed class BinaryCrossEntropy : ILoss
{
    internal BinaryCrossEntropy()
    {
    }

    /// <inheritdoc/>
    public string Name => "BinaryCrossEntropy";

    /// <inheritdoc/>
    public string Spec => "binary_cross_entropy";

    /// <inheritdoc/>
    public T Value<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Value), predictions, targets);
        Span<T> a = predictions.Span, y = targets.Span;
        double tiny = double.CreateChecked(Loss.Tiny<T>());
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double p = Math.Clamp(double.CreateChecked(a[i]), tiny, 1 - tiny);
            double label = double.CreateChecked(y[i]);
            sum -= (label * Math.Log(p)) + ((1 - label) * Math.Log(1 - p));
        }

        return T.CreateChecked(sum / predictions.Rows);
    }

    /// <inheritdoc/>
    public void Gradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Gradient), predictions, targets, result);
        Span<T> a = predictions.Span, y = targets.Span, g = result.Span;
        T tiny = Loss.Tiny<T>();
        T m = T.CreateChecked(predictions.Rows);
        for (int i = 0; i < g.Length; i++)
        {
            T p = T.Clamp(a[i], tiny, T.One - tiny);
            g[i] = (a[i] - y[i]) / (m * p * (T.One - p));
        }
    }

    /// <inheritdoc/>
    /// <returns>True after <see cref="Sigmoid"/>.</returns>
    public bool SimplifiesWith(IActivation outputActivation) => outputActivation is Sigmoid;

    /// <summary>Returns <c>BinaryCrossEntropy</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
