namespace DeepLearning.Activations;

/// <summary>The shared instances of the built-in activation functions.</summary>
/// <example>
/// <code>
/// var hidden = new Dense&lt;double&gt;(784, 30, Activation.Sigmoid);
/// </code>
/// </example>
public static class Activation
{
    /// <summary>The logistic sigmoid, σ(z) = 1 / (1 + e^(−z)), with σ′(z) = σ(z)(1 − σ(z)).</summary>
    public static Sigmoid Sigmoid { get; } = new();

    /// <summary>The hyperbolic tangent, tanh(z), with tanh′(z) = 1 − tanh²(z).</summary>
    public static Tanh Tanh { get; } = new();

    /// <summary>The rectified linear unit, ReLU(z) = max(0, z), with ReLU′(z) = 1 for z &gt; 0, else 0.</summary>
    public static ReLU ReLU { get; } = new();

    /// <summary>The identity, σ(z) = z, with σ′(z) = 1: a layer with no non-linearity.</summary>
    public static Identity Identity { get; } = new();

    /// <summary>The softmax over each row, softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ): outputs are positive and sum to 1.</summary>
    public static Softmax Softmax { get; } = new();

    /// <summary>The Gaussian error linear unit, GELU(z) = z·Φ(z), with GELU′(z) = Φ(z) + z·φ(z).</summary>
    public static GELU Gelu { get; } = new();

    /// <summary>GELU's tanh approximation, ½z·(1 + tanh(√(2/π)·(z + 0.044715z³))): GPT-2's and makemore's.</summary>
    public static GeluTanh GeluTanh { get; } = new();

    /// <summary>Finds an activation by its registry spec (<see cref="Registries.Activations"/>), ignoring case: sigmoid, tanh, relu, leaky_relu(α), identity (or linear), softmax.</summary>
    /// <param name="name">The name, with parameters if any, for example <c>leaky_relu(0.01)</c>.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ArgumentException">No registered activation has that name; the message lists them.</exception>
    public static IActivation FromName(string name) => Registries.Activations.TryCreate(Preconditions.CheckNotNull(name, nameof(name)), out var found, out string error)
        ? found!
        : throw new ArgumentException(error, nameof(name));

    /// <summary>Throws an <see cref="ArgumentException"/> unless every tensor has the shape of <paramref name="z"/>.</summary>
    internal static void CheckShapes<T>(IActivation activation, Tensor<T> z, params ReadOnlySpan<Tensor<T>> others)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(z, nameof(z));
        foreach (Tensor<T> other in others)
        {
            if (Preconditions.CheckNotNull(other, nameof(others)).Shape != z.Shape)
            {
                throw new ArgumentException(
                    $"{activation.Name}: a tensor has shape {other.Shape}, expected {z.Shape} (the shape of z); σ and σ′ work element by element on same-shaped batches.");
            }
        }
    }
}
