using System.Numerics;
using DeepLearning.Compute;

namespace DeepLearning.Activations;

/// <summary>
/// The logistic sigmoid: σ(z) = 1 / (1 + e^(−z)), squashing any number into (0, 1).
/// </summary>
/// <remarks>
/// Derivative used in backpropagation: σ′(z) = σ(z)·(1 − σ(z)), computed from the stored activation a = σ(z),
/// so δ = ∂L/∂a ⊙ a ⊙ (1 − a). It is at most ¼ (at z = 0) and vanishes for large |z|, which is why deep sigmoid
/// networks learn slowly. Safe for any input: σ(1000) = 1 and σ(−1000) = 0, never NaN.
/// Pair it with Glorot initialization, or N(0, 1) as in the textbook.
/// </remarks>
/// <example>σ(0) = 0.5, σ′(0) = 0.25; σ(2) ≈ 0.880797.</example>
public sealed class Sigmoid : IActivation
{
    internal Sigmoid()
    {
    }

    /// <inheritdoc/>
    public string Name => "Sigmoid";

    /// <inheritdoc/>
    public string? PyTorchModule => "Sigmoid()";

    /// <inheritdoc/>
    /// <remarks>Writes a Sigmoid node.</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Apply("Sigmoid", [graph.Current], "sigmoid");
    }

    /// <inheritdoc/>
    public string Spec => "sigmoid";

    /// <inheritdoc/>
    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a);
        InCache.Sigmoid<T>(z.AsSpan(), a.AsSpan());
    }

    /// <inheritdoc/>
    public void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a, outputGradient, delta);
        Span<T> av = a.AsSpan(), g = outputGradient.AsSpan(), d = delta.AsSpan();
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var ai = new Vector<T>(av[i..]);
                (new Vector<T>(g[i..]) * ai * (Vector<T>.One - ai)).CopyTo(d[i..]);
            }
        }

        for (; i < d.Length; i++)
        {
            d[i] = g[i] * av[i] * (T.One - av[i]);
        }
    }

    /// <summary>Returns <c>Sigmoid</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
