using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// A loss function L: how far a batch of predictions A is from its targets (labels) Y, and its gradient ∂L/∂A.
/// The value and the gradient sit side by side in each implementation.
/// </summary>
/// <remarks>
/// Every built-in loss is the mean over the m samples of the batch of a per-sample loss ℓ(a, y):
/// L = (1/m) Σᵢ ℓ(aᵢ, yᵢ), and its gradient carries the same 1/m. Implementations are stateless and thread-safe;
/// use the shared instances on <see cref="Loss"/>.
/// </remarks>
public interface ILoss : IConcept
{
    /// <summary>The loss's name, for example <c>Quadratic</c>.</summary>
    string Name { get; }

    /// <summary>Computes the loss L of a batch: the mean over samples of the per-sample loss.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="predictions">The network's outputs A, m×n.</param>
    /// <param name="targets">The targets Y, m×n.</param>
    /// <returns>The loss, a non-negative number.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    T Value<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>;

    /// <summary>Computes the gradient ∂L/∂A of <see cref="Value{T}"/> with respect to every prediction.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="predictions">The network's outputs A, m×n.</param>
    /// <param name="targets">The targets Y, m×n.</param>
    /// <param name="result">Receives ∂L/∂A, m×n.</param>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    void Gradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>;

    /// <summary>
    /// Whether this loss after the given output activation has the simple gradient ∂L/∂Z = (A − Y)/m
    /// (cross-entropy after softmax, binary cross-entropy after sigmoid). The training loop then uses that formula
    /// directly, which is both faster and numerically safer than chaining ∂L/∂A through σ′.
    /// </summary>
    /// <param name="outputActivation">The activation of the network's last layer.</param>
    /// <returns><see langword="true"/> when ∂L/∂Z = (A − Y)/m.</returns>
    bool SimplifiesWith(IActivation outputActivation);
}
