using System.Numerics;
using DeepLearning.Serialization;

namespace DeepLearning.Layers;

/// <summary>
/// One layer of a network, and everything about it: it maps an input batch X (m×n_in) to an output batch A (m×n_out)
/// going forward, maps ∂L/∂A back to ∂L/∂X going backward while computing the gradients of its own parameters, and says
/// how it is summarised, saved and exported. The network, its summary, the gradient check, the model file, safetensors
/// and ONNX talk to layers only through this protocol (compare Keras's <c>Layer.call(training=)</c> and
/// <c>get_config()</c>, PyTorch's <c>Module.forward</c> and <c>state_dict</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// <para>
/// <b>Shapes.</b> Every sample is a row; a layer knows the shape of one input sample and of one output sample
/// (<see cref="FeatureShape"/>: n for a vector, C×H×W for an image, stored channel-major in the row), so
/// n_in = <see cref="InputShape"/>.Size and n_out = <see cref="OutputShape"/>.Size.
/// </para>
/// <para>
/// A new kind of layer is one file — most simply a class deriving from <see cref="Layer{T}"/>, which implements this
/// protocol's checks and bookkeeping, and implementing <see cref="ILayerKind{TSelf, T}"/> — and one registration line:
/// <c>Registries.Layers.Register&lt;MyLayer&lt;float&gt;, MyLayer&lt;double&gt;&gt;("name", "parameters", "what it computes")</c>.
/// A layer sets its parameters' initial values when it is constructed, from a seeded <see cref="Random"/>.
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
    /// Everything but the parameters needed to build the layer again, as settings: its input shape and the values of the
    /// parameters its registry entry declares (for example <c>input=784; outputs=30; activation=relu; bias=true</c>).
    /// </summary>
    Arguments Configuration { get; }

    /// <summary>The shape of one input sample: <c>784</c>, or <c>1×28×28</c> for an image.</summary>
    FeatureShape InputShape { get; }

    /// <summary>The shape of one output sample: <c>30</c>, or <c>20×24×24</c> for twenty feature maps.</summary>
    FeatureShape OutputShape { get; }

    /// <summary>n_in, the number of inputs (the columns of the input batch): <see cref="InputShape"/>.Size.</summary>
    int InputSize => (int)InputShape.Size;

    /// <summary>n_out, the number of outputs (the columns of the output batch): <see cref="OutputShape"/>.Size.</summary>
    int OutputSize => (int)OutputShape.Size;

    /// <summary>The trainable tensors with their gradients, in a fixed order (the order the model file stores them in); a block's are its layers' in turn.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>
    /// The values the layer keeps without training them — PyTorch's buffers: a batch normalization's running mean and
    /// variance and its count of batches, a dropout layer's count of training passes — in a fixed order. They change only in
    /// a training pass, are saved with the parameters (model file, safetensors, ONNX) and loaded back, so a saved network
    /// computes exactly what it did. Empty for most layers (the default).
    /// </summary>
    IReadOnlyList<Parameter<T>> State => [];

    /// <summary>The layers a block holds (<c>residual(...)</c>, <c>sequential(...)</c>), in order; empty for a plain layer (the default).</summary>
    IReadOnlyList<ILayer<T>> Children => [];

    /// <summary>The output of the last <see cref="Forward"/>, m×n_out, or <see langword="null"/> before the first.</summary>
    Tensor<T>? Output { get; }

    /// <summary>One row of the network's summary: what the layer does (its activation, a dropout rate) and the shape of its weights.</summary>
    LayerSummary Summary { get; }

    /// <summary>Forward propagation: computes the layer's output A for an input batch X.</summary>
    /// <param name="input">X, m×n_in.</param>
    /// <param name="training">Whether this pass is for training (a dropout layer drops neurons and a batch normalization uses the batch's statistics and updates its running ones only then); false for inference.</param>
    /// <returns>A, m×n_out, owned by the layer.</returns>
    Tensor<T> Forward(Tensor<T> input, bool training = false);

    /// <summary>Backward propagation from ∂L/∂A: computes the parameter gradients and, when asked, ∂L/∂X.</summary>
    /// <param name="outputGradient">∂L/∂A for the batch of the last <see cref="Forward"/>, m×n_out.</param>
    /// <param name="computeInputGradient">Whether to compute ∂L/∂X (the first layer of a network does not need it).</param>
    /// <returns>∂L/∂X, m×n_in, owned by the layer; <see langword="null"/> when <paramref name="computeInputGradient"/> is false.</returns>
    Tensor<T>? Backward(Tensor<T> outputGradient, bool computeInputGradient = true);

    /// <summary>Appends the layer's ONNX nodes and initializers to <paramref name="graph"/>, reading <see cref="OnnxGraph.Current"/> and setting it to the layer's output.</summary>
    /// <param name="graph">The graph being written.</param>
    /// <exception cref="NotSupportedException">The layer has no ONNX form.</exception>
    void ExportOnnx(OnnxGraph graph);

    /// <summary>
    /// Appends the layer's PyTorch modules to <paramref name="sequence"/> — what it is in an <c>nn.Sequential</c>, in order,
    /// each with the parameters it holds (a dense layer with ReLU is <c>Linear</c> holding W and b, then <c>ReLU</c>) — which
    /// names its safetensors entries (<c>0.weight</c>, <c>0.bias</c>, …).
    /// </summary>
    /// <param name="sequence">The sequence being described.</param>
    /// <exception cref="NotSupportedException">The layer has no PyTorch form.</exception>
    void ExportTorch(TorchSequential<T> sequence);
}
