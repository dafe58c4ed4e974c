using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// The categorical cross-entropy: ℓ(a, y) = −Σₖ yₖ log aₖ per sample, and L = (1/m) Σᵢ ℓ(aᵢ, yᵢ) over a batch of m.
/// Targets are one-hot class labels (or probabilities); predictions are class probabilities from <see cref="Softmax"/>.
/// </summary>
/// <remarks>
/// After a softmax output the gradient with respect to the weighted inputs simplifies to ∂L/∂Z = (A − Y)/m, which the
/// training loop uses directly (see <see cref="SimplifiesWith"/>): no division by a, no vanishing gradient.
/// On its own the gradient is ∂L/∂A = −Y / (m·A). Probabilities below 1e-12 (1e-7 in float) are raised to it inside the
/// logarithm and the division, so log 0 never happens.
/// </remarks>
/// <example>A sample predicted [0.25, 0.75] with label [0, 1]: ℓ = −log 0.75 ≈ 0.287682.</example>
public sealed class CrossEntropy : ILoss
{
    internal CrossEntropy()
    {
    }

    /// <inheritdoc/>
    public string Name => "CrossEntropy";

    /// <inheritdoc/>
    public string Spec => "cross_entropy";

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
            if (y[i] != T.Zero)
            {
                sum -= double.CreateChecked(y[i]) * Math.Log(Math.Max(double.CreateChecked(a[i]), tiny));
            }
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
            g[i] = -y[i] / (m * T.Max(a[i], tiny));
        }
    }

    /// <inheritdoc/>
    /// <returns>True after <see cref="Softmax"/>.</returns>
    public bool SimplifiesWith(IActivation outputActivation) => outputActivation is Softmax;

    /// <summary>Returns <c>CrossEntropy</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
