using System.Numerics;

namespace DeepLearning.Losses;

/// <summary>
/// A loss function L: how far a batch of the network's outputs is from its targets (labels) Y, and its gradient with
/// respect to those outputs. The value and the gradient sit side by side in each implementation; a loss with a head
/// (softmax, sigmoid) applies it itself, on logits, so its gradient is fused and exact and the training loop never asks
/// which activation came before it.
/// </summary>
/// <remarks>
/// <para>
/// Every built-in loss is the mean over the m samples of the batch of a per-sample loss ℓ(a, y):
/// L = (1/m) Σᵢ ℓ(aᵢ, yᵢ), and its gradient carries the same 1/m. Implementations are stateless and thread-safe;
/// use the shared instances on <see cref="Loss"/>.
/// </para>
/// <para>
/// <b>Sequences.</b> A network whose output is a sequence T×V (a language model's logits at every position) hands the
/// loss its outputs as the (m·T)×V matrix of every position (see <see cref="FeatureShape"/>): each position is a row, so
/// the loss scores every position and L is the mean over the m·T positions (over the positions that have a target, with
/// class indices and −1 for padding). A loss needs nothing of its own for this.
/// </para>
/// </remarks>
public interface ILoss : IConcept
{
    /// <summary>The loss's name, for example <c>Quadratic</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the targets may also be one class index per row — a column of whole numbers from 0 to n − 1, or −1 for a
    /// row that has no target (padding) — instead of rows shaped like the predictions (one-hot): true for
    /// <see cref="CrossEntropy"/>, as PyTorch's <c>F.cross_entropy</c> takes class indices. False by default.
    /// </summary>
    bool TakesClassIndices => false;

    /// <summary>
    /// Whether the loss is the mean negative log-likelihood of the targets, in nats — cross-entropy — so that e^L is the
    /// perplexity: the number of equally likely choices the model is as unsure as. Evaluations report it. False by default.
    /// </summary>
    bool IsNegativeLogLikelihood => false;

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
    /// The activation the loss applies to the network's outputs itself — the softmax of <see cref="CrossEntropy"/>, the σ
    /// of <see cref="BinaryCrossEntropy"/> — or <see langword="null"/> when the outputs are the predictions
    /// (<see cref="Quadratic"/>, <see cref="MeanSquaredError"/>). A loss with a head takes logits: the last layer of its
    /// network has no activation.
    /// </summary>
    Activations.IActivation? Head { get; }

    /// <summary>
    /// What the network's outputs stand for: the probabilities after the loss's <see cref="Head"/>, or the outputs
    /// themselves. Accuracy and <c>Network.Predict</c> read these.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="outputs">The network's outputs, m×n.</param>
    /// <param name="result">Receives the predictions, m×n; may be <paramref name="outputs"/>.</param>
    void Predictions<T>(Tensor<T> outputs, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => (Head ?? Activations.Activation.Identity).Forward(outputs, result);

    /// <summary>
    /// Computes the loss of a batch and its gradient ∂L/∂A together — what a training step needs. By default
    /// <see cref="Value{T}"/> then <see cref="Gradient{T}"/>; a loss with a head (softmax) overrides it to compute the head once.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="predictions">The network's outputs A, m×n.</param>
    /// <param name="targets">The targets Y, m×n.</param>
    /// <param name="gradient">Receives ∂L/∂A, m×n.</param>
    /// <returns>The loss of the batch.</returns>
    /// <exception cref="ArgumentException">The shapes differ.</exception>
    T ValueAndGradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> gradient)
        where T : struct, IFloatingPointIeee754<T>
    {
        T value = Value(predictions, targets);
        Gradient(predictions, targets, gradient);
        return value;
    }

    /// <summary>
    /// Appends the loss's <see cref="Head"/> to an ONNX graph — what <see cref="Predictions{T}"/> does to the outputs —
    /// so that an exported classifier can also give its probabilities; nothing without a head.
    /// </summary>
    /// <param name="graph">The graph being written; <see cref="Serialization.OnnxGraph.Current"/> holds the network's outputs.</param>
    void ExportOnnxHead(Serialization.OnnxGraph graph) => (Head ?? Activations.Activation.Identity).ExportOnnx(graph);
}
