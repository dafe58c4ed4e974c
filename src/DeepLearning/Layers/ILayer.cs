using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Layers;

/// <summary>
/// One layer of a network: it maps an input batch X (m×n_in) to an output batch A (m×n_out) going forward, and
/// maps ∂L/∂A back to ∂L/∂X going backward while computing the gradients of its own parameters.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// A layer knows nothing of losses or optimizers. Tensors it returns are its own buffers, overwritten by its next call.
/// Layers are not thread-safe.
/// </remarks>
public interface ILayer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>A short name with the layer's sizes, for example <c>Dense(784→30)</c>; used in messages and summaries.</summary>
    string Name { get; }

    /// <summary>n_in, the number of inputs (neurons of the previous layer).</summary>
    int InputSize { get; }

    /// <summary>n_out, the number of outputs (neurons of this layer).</summary>
    int OutputSize { get; }

    /// <summary>The activation σ applied to the weighted inputs.</summary>
    IActivation Activation { get; }

    /// <summary>The trainable tensors with their gradients, in a fixed order.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Forward propagation: computes the layer's output A for an input batch X.</summary>
    /// <param name="input">X, m×n_in.</param>
    /// <returns>A, m×n_out, owned by the layer.</returns>
    Tensor<T> Forward(Tensor<T> input);

    /// <summary>Backward propagation from ∂L/∂A: computes the parameter gradients and, when asked, ∂L/∂X.</summary>
    /// <param name="outputGradient">∂L/∂A for the batch of the last <see cref="Forward"/>, m×n_out.</param>
    /// <param name="computeInputGradient">Whether to compute ∂L/∂X (the first layer of a network does not need it).</param>
    /// <returns>∂L/∂X, m×n_in, owned by the layer; <see langword="null"/> when <paramref name="computeInputGradient"/> is false.</returns>
    Tensor<T>? Backward(Tensor<T> outputGradient, bool computeInputGradient = true);

}
