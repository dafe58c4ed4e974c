using System.Numerics;

namespace DeepLearning.Activations;

/// <summary>
/// The identity: σ(z) = z. A layer with this activation is purely linear, a = z = x·W + b.
/// </summary>
/// <remarks>
/// Derivative used in backpropagation: σ′(z) = 1, so δ = ∂L/∂a. Use it for regression outputs and for the
/// one-weight example of gradient descent, where the prediction is simply w·x.
/// </remarks>
/// <example>σ(10) = 10, σ′(10) = 1.</example>
public sealed class Identity : IActivation
{
    internal Identity()
    {
    }

    /// <inheritdoc/>
    public string Name => "Identity";

    /// <inheritdoc/>
    public string? PyTorchModule => null;

    /// <inheritdoc/>
    /// <remarks>Writes nothing: the identity needs no node.</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph) => ArgumentNullException.ThrowIfNull(graph);

    /// <inheritdoc/>
    public string Spec => "identity";

    /// <inheritdoc/>
    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a);
        z.AsSpan().CopyTo(a.AsSpan());
    }

    /// <inheritdoc/>
    public void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a, outputGradient, delta);
        outputGradient.AsSpan().CopyTo(delta.AsSpan());
    }

    /// <summary>Returns <c>Identity</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
