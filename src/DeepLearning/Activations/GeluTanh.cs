using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepLearning.Activations;

/// <summary>
/// GELU by its tanh approximation: ½z·(1 + tanh(√(2/π)·(z + 0.044715·z³))) — within 10⁻³ of <see cref="GELU"/>, and what
/// GPT-2 and makemore's Transformer use (its "NewGELU").
/// </summary>
/// <remarks>
/// Derivative: with u = √(2/π)·(z + 0.044715·z³) and t = tanh(u), ½(1 + t) + ½z·(1 − t²)·√(2/π)·(1 + 3·0.044715·z²).
/// Vectorized throughout. PyTorch: <c>nn.GELU(approximate='tanh')</c>; ONNX: the same formula in Mul, Add and Tanh nodes.
/// </remarks>
/// <example>gelu_tanh(1) ≈ 0.841192 (GELU(1) ≈ 0.841345).</example>
public sealed class GeluTanh : IActivation
{
    private const double Coefficient = 0.044715;
    private static readonly double SqrtTwoOverPi = Math.Sqrt(2 / Math.PI);

    internal GeluTanh()
    {
    }

    /// <inheritdoc/>
    public string Name => "GELU-tanh";

    /// <inheritdoc/>
    public string? PyTorchModule => "GELU(approximate='tanh')";

    /// <inheritdoc/>
    public string Spec => "gelu_tanh";

    /// <inheritdoc/>
    /// <remarks>½·z·(1 + Tanh(√(2/π)·(z + 0.044715·z³))).</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string z = graph.Current;
        string cube = graph.Apply("Mul", [z, graph.Apply("Mul", [z, z], "gelu_z2")], "gelu_z3");
        string inner = graph.Apply("Add", [z, graph.Apply("Mul", [cube, graph.AddScalar("gelu_c", Coefficient)], "gelu_cz3")], "gelu_inner");
        string tanh = graph.Apply("Tanh", [graph.Apply("Mul", [inner, graph.AddScalar("sqrt_2_over_pi", SqrtTwoOverPi)], "gelu_u")], "gelu_tanh");
        string phi = graph.Apply("Add", [tanh, graph.AddScalar("one", 1)], "gelu_1_plus_tanh");
        graph.Apply("Mul", [graph.Apply("Mul", [z, phi], "gelu_z_phi"), graph.AddScalar("half", 0.5)], "gelu");
    }

    /// <inheritdoc/>
    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a);
        Span<T> zs = z.AsSpan(), av = a.AsSpan();
        T[] rented = ArrayPool<T>.Shared.Rent(zs.Length);
        try
        {
            Span<T> t = rented.AsSpan(0, zs.Length);
            Tanh<T>(zs, t);
            TensorPrimitives.Add<T>(t, T.One, t);
            TensorPrimitives.Multiply<T>(t, zs, t);
            TensorPrimitives.Multiply<T>(t, T.CreateChecked(0.5), av); // ½z(1 + t)
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <inheritdoc/>
    public void Backward<T>(Tensor<T> z, Tensor<T> a, Tensor<T> outputGradient, Tensor<T> delta)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a, outputGradient, delta);
        Span<T> zs = z.AsSpan(), g = outputGradient.AsSpan(), d = delta.AsSpan();
        T[] rented = ArrayPool<T>.Shared.Rent(2 * zs.Length);
        try
        {
            Span<T> t = rented.AsSpan(0, zs.Length), slope = rented.AsSpan(zs.Length, zs.Length);
            Tanh<T>(zs, t);
            // slope = √(2/π)·(1 + 3c·z²)·½z·(1 − t²), then + ½(1 + t)
            TensorPrimitives.Multiply<T>(zs, zs, slope);
            TensorPrimitives.Multiply<T>(slope, T.CreateChecked(3 * Coefficient * SqrtTwoOverPi), slope);
            TensorPrimitives.Add<T>(slope, T.CreateChecked(SqrtTwoOverPi), slope);
            TensorPrimitives.Multiply<T>(slope, zs, slope);
            TensorPrimitives.Multiply<T>(slope, T.CreateChecked(0.5), slope);
            for (int i = 0; i < t.Length; i++)
            {
                slope[i] = (slope[i] * (T.One - (t[i] * t[i]))) + (T.CreateChecked(0.5) * (T.One + t[i]));
            }

            TensorPrimitives.Multiply<T>(g, slope, d);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Returns <c>GELU-tanh</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>t = tanh(√(2/π)·(z + 0.044715·z³)).</summary>
    private static void Tanh<T>(ReadOnlySpan<T> z, Span<T> t)
        where T : struct, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Multiply<T>(z, z, t);
        TensorPrimitives.Multiply<T>(t, T.CreateChecked(Coefficient), t);
        TensorPrimitives.Add<T>(t, T.One, t); // 1 + c·z²
        TensorPrimitives.Multiply<T>(t, z, t);
        TensorPrimitives.Multiply<T>(t, T.CreateChecked(SqrtTwoOverPi), t);
        TensorPrimitives.Tanh<T>(t, t);
    }
}
