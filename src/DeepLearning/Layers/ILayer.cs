using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// One layer of a network, and everything about it: it maps an input batch X (m×n_in) to an output batch A (m×n_out)
/// going forward, maps ∂L/∂A back to ∂L/∂X going backward while computing the gradients of its own parameters, and says
/// how it is summarised and saved. The network, its summary, the gradient check and the model file talk to layers only
/// through this protocol (compare Keras's <c>Layer.call(training=)</c> and <c>get_config()</c>, PyTorch's
/// <c>Module.forward</c> and <c>state_dict</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// A new kind of layer is one file — a class implementing this interface and <see cref="ILayerKind{TSelf, T}"/> — and one
/// registration line in <see cref="Registries"/> (<c>Layers.Register("name", typeof(MyLayer&lt;&gt;), "…")</c>).
/// A layer sets its own parameters' initial values when it is constructed, from a seeded <see cref="Random"/>.
/// </para>
/// <para>A layer knows nothing of losses or optimizers. Tensors it returns are its own buffers, overwritten by its next call. Layers are not thread-safe.</para>
/// </remarks>
public interface ILayer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>A short name with the layer's sizes, for example <c>Dense(784→30)</c>; used in messages and summaries.</summary>
    string Name { get; }

    /// <summary>The layer's registry name, for example <c>dense</c> or <c>dropout</c>: what the model file stores.</summary>
    string Kind { get; }

    /// <summary>
    /// Everything but the parameters needed to build the layer again, as <c>key=value</c> pairs (for example
    /// <c>inputs=784; outputs=30; activation=relu; bias=true</c>); the layer's kind rebuilds it from them.
    /// </summary>
    LayerConfiguration Configuration { get; }

    /// <summary>n_in, the number of inputs (neurons of the previous layer).</summary>
    int InputSize { get; }

    /// <summary>n_out, the number of outputs (neurons of this layer).</summary>
    int OutputSize { get; }

    /// <summary>The trainable tensors with their gradients, in a fixed order (the order the model file stores them in).</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The output of the last <see cref="Forward"/>, m×n_out, or <see langword="null"/> before the first.</summary>
    Tensor<T>? Output { get; }

    /// <summary>One row of the network's summary: what the layer does (its activation, a dropout rate) and the shape of its weights.</summary>
    LayerSummary Summary { get; }

    /// <summary>Forward propagation: computes the layer's output A for an input batch X.</summary>
    /// <param name="input">X, m×n_in.</param>
    /// <param name="training">Whether this pass is for training (a dropout layer drops neurons only then); false for inference.</param>
    /// <returns>A, m×n_out, owned by the layer.</returns>
    Tensor<T> Forward(Tensor<T> input, bool training = false);

    /// <summary>Backward propagation from ∂L/∂A: computes the parameter gradients and, when asked, ∂L/∂X.</summary>
    /// <param name="outputGradient">∂L/∂A for the batch of the last <see cref="Forward"/>, m×n_out.</param>
    /// <param name="computeInputGradient">Whether to compute ∂L/∂X (the first layer of a network does not need it).</param>
    /// <returns>∂L/∂X, m×n_in, owned by the layer; <see langword="null"/> when <paramref name="computeInputGradient"/> is false.</returns>
    Tensor<T>? Backward(Tensor<T> outputGradient, bool computeInputGradient = true);
}
