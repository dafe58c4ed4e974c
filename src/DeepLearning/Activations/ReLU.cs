using System.Numerics;
using DeepLearning.Compute;

namespace DeepLearning.Activations;

/// <summary>
/// The rectified linear unit: ReLU(z) = max(0, z).
/// </summary>
/// <remarks>
/// Derivative used in backpropagation: ReLU′(z) = 1 for z &gt; 0 and 0 otherwise (at z = 0 the library takes 0),
/// so δ = ∂L/∂a where z &gt; 0 and 0 elsewhere. It does not saturate for positive inputs, which is why it is the
/// usual choice for hidden layers of deep networks. Pair it with He initialization.
/// </remarks>
/// <example>ReLU(−2) = 0, ReLU(3) = 3; ReLU′(−2) = 0, ReLU′(3) = 1.</example>
public sealed class ReLU : IActivation
{
    internal ReLU()
    {
    }

    /// <inheritdoc/>
    public string Name => "ReLU";

    /// <inheritdoc/>
    public string? PyTorchModule => "ReLU()";

    /// <inheritdoc/>
    /// <remarks>Writes a Relu node.</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Apply("Relu", [graph.Current], "relu");
    }

    /// <inheritdoc/>
    public string Spec => "relu";

    /// <summary>He normal: ReLU zeroes about half of its inputs, so the weights start with twice Glorot's variance.</summary>
    public Initialization.IInitializer? PreferredWeightInitializer => Initialization.Initializer.HeNormal;

    /// <inheritdoc/>
    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a);
        InCache.Max<T>(z.AsSpan(), T.Zero, a.AsSpan()); // in runs: a plain TensorPrimitives call would write a large layer past the caches
    }

    /// <inheritdoc/>
    public void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a, outputGradient, delta);
        Span<T> zv = z.AsSpan(), g = outputGradient.AsSpan(), d = delta.AsSpan();
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
        {
            // Branch-free: the signs of z are as good as random, so a branch per element would mispredict half the time.
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var positive = Vector.GreaterThan(new Vector<T>(zv[i..]), Vector<T>.Zero);
                Vector.ConditionalSelect(positive, new Vector<T>(g[i..]), Vector<T>.Zero).CopyTo(d[i..]);
            }
        }

        for (; i < d.Length; i++)
        {
            d[i] = zv[i] > T.Zero ? g[i] : T.Zero;
        }
    }

    /// <summary>Returns <c>ReLU</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
