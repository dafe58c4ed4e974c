using System.Numerics;
using DeepLearning.Initialization;

namespace DeepLearning.Activations;

/// <summary>
/// The leaky rectified linear unit: LeakyReLU(z) = z for z &gt; 0, else α·z, with LeakyReLU′(z) = 1 for z &gt; 0, else α.
/// A small slope α for negative inputs keeps a neuron learning where plain ReLU would give it no gradient at all.
/// </summary>
/// <remarks>
/// PyTorch: <c>nn.LeakyReLU(negative_slope=α)</c> (default 0.01, as here). Registry name <c>leaky_relu(α)</c>. Weights start
/// He-normal, as for ReLU. Stateless and thread-safe.
/// </remarks>
/// <example>With α = 0.01: LeakyReLU(3) = 3, LeakyReLU(−2) = −0.02; LeakyReLU′(3) = 1, LeakyReLU′(−2) = 0.01.</example>
public sealed class LeakyReLU : IActivation
{
    /// <summary>Creates the activation with slope <paramref name="alpha"/> for negative inputs.</summary>
    /// <param name="alpha">α, from 0 (plain ReLU) to below 1; default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not in [0, 1).</exception>
    public LeakyReLU(double alpha = 0.01) => Alpha = Preconditions.CheckInRange(alpha, 0, 1, nameof(alpha));

    /// <summary>α, the slope for negative inputs.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public string Name => FormattableString.Invariant($"LeakyReLU({Alpha:R})");

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"leaky_relu({Alpha:R})");

    /// <inheritdoc/>
    public string? PyTorchModule => FormattableString.Invariant($"LeakyReLU({Alpha:R})");

    /// <inheritdoc/>
    /// <remarks>A LeakyRelu node in float; in double, which ONNX Runtime's LeakyRelu lacks, Max(z, α·z) — the same since 0 ≤ α &lt; 1.</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!graph.IsDouble)
        {
            graph.Apply("LeakyRelu", [graph.Current], "leaky_relu", ("alpha", (float)Alpha));
            return;
        }

        string z = graph.Current;
        string scaled = graph.Apply("Mul", [z, graph.AddScalar("alpha", Alpha)], "leaky_relu_scaled");
        graph.Apply("Max", [z, scaled], "leaky_relu");
    }

    /// <summary>He normal, as for ReLU.</summary>
    public IInitializer? PreferredWeightInitializer => Initializer.HeNormal;

    /// <inheritdoc/>
    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a);
        Span<T> zv = z.AsSpan(), av = a.AsSpan();
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < av.Length; i++)
        {
            av[i] = zv[i] > T.Zero ? zv[i] : alpha * zv[i];
        }
    }

    /// <inheritdoc/>
    public void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a, outputGradient, delta);
        Span<T> zv = z.AsSpan(), g = outputGradient.AsSpan(), d = delta.AsSpan();
        T alpha = T.CreateChecked(Alpha);
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = zv[i] > T.Zero ? g[i] : alpha * g[i];
        }
    }

    /// <summary>Returns the name, for example <c>LeakyReLU(0.01)</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
