using System.Numerics;

namespace DeepLearning.Activations;

/// <summary>
/// An activation function σ, applied to a layer's weighted inputs: A = σ(Z). Each implementation keeps σ and its
/// derivative σ′ side by side, because backpropagation needs both.
/// </summary>
/// <remarks>
/// Both methods work on whole batches (rows = samples, columns = neurons) and write into a result the caller owns,
/// so a training step allocates nothing. Implementations are stateless and thread-safe; use the shared instances
/// on <see cref="Activation"/>.
/// </remarks>
public interface IActivation : IConcept
{
    /// <summary>
    /// The weight initialization that suits this activation, used by <see cref="Layers.Dense{T}"/> when none is given:
    /// He for ReLU-like activations (they zero half their inputs), <see langword="null"/> (Glorot) for the others.
    /// </summary>
    Initialization.IInitializer? PreferredWeightInitializer => null;

    /// <summary>
    /// Whether σ acts on each value alone (true for all but <see cref="Softmax"/>, which normalises a whole row). Only an
    /// elementwise activation can follow a convolution, whose values are laid out by position, not by sample.
    /// </summary>
    bool IsElementwise => true;

    /// <summary>The activation's name as the textbook writes it, for example <c>Sigmoid</c>.</summary>
    string Name { get; }

    /// <summary>
    /// The activation as a PyTorch module, without the <c>nn.</c> prefix — <c>ReLU()</c>, <c>LeakyReLU(0.01)</c> — or
    /// <see langword="null"/> for the identity, which is no module at all. An activation takes a module index of its own in
    /// an <c>nn.Sequential</c>, so this decides the names of the safetensors entries that follow it.
    /// </summary>
    string? PyTorchModule { get; }

    /// <summary>Appends the activation's ONNX node(s), applied to <see cref="Serialization.OnnxGraph.Current"/> (nothing for the identity).</summary>
    /// <param name="graph">The graph being written.</param>
    void ExportOnnx(Serialization.OnnxGraph graph);

    /// <summary>Effectively computes <c>a = σ(z)</c> for every element (every row, for <see cref="Softmax"/>).</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="z">The weighted inputs Z, m×n.</param>
    /// <param name="a">Receives the activations A, m×n; may be the same tensor as <paramref name="z"/>.</param>
    void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>;

    /// <summary>
    /// Effectively computes <c>δ = ∂L/∂Z = ∂L/∂A ⊙ σ′(Z)</c>, the step of backpropagation through the activation.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="z">The weighted inputs Z from the forward pass, m×n.</param>
    /// <param name="a">The activations A = σ(Z) from the forward pass, m×n.</param>
    /// <param name="outputGradient">∂L/∂A, m×n.</param>
    /// <param name="delta">Receives δ = ∂L/∂Z, m×n; may be the same tensor as <paramref name="outputGradient"/>.</param>
    void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>;
}
