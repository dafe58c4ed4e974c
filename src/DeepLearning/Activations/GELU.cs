using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepLearning.Activations;

/// <summary>
/// The Gaussian error linear unit (Hendrycks and Gimpel, 2016): GELU(z) = z·Φ(z) = ½z·(1 + erf(z/√2)), z weighted by the
/// probability that a standard normal variable is below it — ReLU with a smooth bend, slightly negative for small negative
/// z. The activation of BERT and GPT's feed-forward layers.
/// </summary>
/// <remarks>
/// <para>
/// Derivative used in backpropagation: GELU′(z) = Φ(z) + z·φ(z), with φ(z) = e^(−z²/2)/√(2π) the normal density.
/// <b>erf</b>: in double, MathNet's (exact to the last bits); in float, Abramowitz and Stegun's 7.1.26, vectorized, whose
/// error of at most 1.5·10⁻⁷ is a few float roundings — so GELU in float is within 10⁻⁷·|z| of the exact value.
/// </para>
/// <para>
/// PyTorch: <c>nn.GELU()</c>. ONNX (opset 17 has no Gelu): ½·z·(1 + Erf(z/√2)); ONNX Runtime has Erf in float only, so a
/// double graph computes the Erf in float (within 10⁻⁷ relative of double). See <see cref="GeluTanh"/> for the tanh
/// approximation GPT-2 and makemore use.
/// </para>
/// </remarks>
/// <example>GELU(0) = 0, GELU(1) ≈ 0.841345, GELU(−1) ≈ −0.158655; GELU′(0) = 0.5.</example>
public sealed class GELU : IActivation
{
    private const double InverseSqrt2 = 0.70710678118654752440;
    private const double InverseSqrt2Pi = 0.39894228040143267794;

    internal GELU()
    {
    }

    /// <inheritdoc/>
    public string Name => "GELU";

    /// <inheritdoc/>
    public string? PyTorchModule => "GELU()";

    /// <inheritdoc/>
    public string Spec => "gelu";

    /// <inheritdoc/>
    /// <remarks>½·z·(1 + Erf(z/√2)); a double graph takes the Erf in float (ONNX Runtime has no double Erf).</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string z = graph.Current;
        string scaled = graph.Apply("Mul", [z, graph.AddScalar("inv_sqrt2", InverseSqrt2)], "gelu_scaled");
        string erf = graph.IsDouble
            ? graph.Apply("Cast", [graph.Apply("Erf", [graph.Apply("Cast", [scaled], "gelu_float", ("to", 1))], "gelu_erf_float")], "gelu_erf", ("to", 11))
            : graph.Apply("Erf", [scaled], "gelu_erf");
        string phi = graph.Apply("Add", [erf, graph.AddScalar("one", 1)], "gelu_1_plus_erf");
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
            Span<T> phi = rented.AsSpan(0, zs.Length);
            CumulativeNormal<T>(zs, phi);
            TensorPrimitives.Multiply<T>(zs, phi, av); // z·Φ(z)
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
            Span<T> phi = rented.AsSpan(0, zs.Length), density = rented.AsSpan(zs.Length, zs.Length);
            CumulativeNormal<T>(zs, phi);
            TensorPrimitives.Multiply<T>(zs, zs, density);
            TensorPrimitives.Multiply<T>(density, T.CreateChecked(-0.5), density);
            TensorPrimitives.Exp<T>(density, density);                                // e^(−z²/2)
            TensorPrimitives.Multiply<T>(density, T.CreateChecked(InverseSqrt2Pi), density); // φ(z)
            TensorPrimitives.MultiplyAdd<T>(density, zs, phi, phi);                   // Φ(z) + z·φ(z)
            TensorPrimitives.Multiply<T>(g, phi, d);
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Returns <c>GELU</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;

    /// <summary>Φ(z) = ½(1 + erf(z/√2)) for every value.</summary>
    private static void CumulativeNormal<T>(ReadOnlySpan<T> z, Span<T> phi)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            for (int i = 0; i < z.Length; i++)
            {
                phi[i] = T.CreateTruncating(0.5 * (1 + MathNet.Numerics.SpecialFunctions.Erf(double.CreateTruncating(z[i]) * InverseSqrt2)));
            }

            return;
        }

        // Abramowitz and Stegun 7.1.26 on |x|, x = z/√2: erf(x) = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^(−x²), t = 1/(1 + p·x).
        T[] rented = ArrayPool<T>.Shared.Rent(2 * z.Length);
        try
        {
            Span<T> x = rented.AsSpan(0, z.Length), t = rented.AsSpan(z.Length, z.Length);
            TensorPrimitives.Multiply<T>(z, T.CreateChecked(InverseSqrt2), x);
            TensorPrimitives.Abs<T>(x, x);
            TensorPrimitives.Multiply<T>(x, T.CreateChecked(0.3275911), t);
            TensorPrimitives.Add<T>(t, T.One, t);
            TensorPrimitives.Reciprocal<T>(t, t);
            TensorPrimitives.Multiply<T>(t, T.CreateChecked(1.061405429), phi);
            TensorPrimitives.Add<T>(phi, T.CreateChecked(-1.453152027), phi);
            TensorPrimitives.MultiplyAdd<T>(phi, t, T.CreateChecked(1.421413741), phi);
            TensorPrimitives.MultiplyAdd<T>(phi, t, T.CreateChecked(-0.284496736), phi);
            TensorPrimitives.MultiplyAdd<T>(phi, t, T.CreateChecked(0.254829592), phi);
            TensorPrimitives.Multiply<T>(phi, t, phi);                 // the polynomial in t
            TensorPrimitives.Multiply<T>(x, x, x);
            TensorPrimitives.Negate<T>(x, x);
            TensorPrimitives.Exp<T>(x, x);                             // e^(−x²)
            TensorPrimitives.Multiply<T>(phi, x, phi);                 // 1 − erf(|x|)
            T half = T.CreateChecked(0.5);
            for (int i = 0; i < phi.Length; i++)
            {
                // Φ = ½(1 + erf): for z ≥ 0, 1 − ½(1 − erf|x|); for z < 0, ½(1 − erf|x|).
                phi[i] = z[i] >= T.Zero ? T.One - (half * phi[i]) : half * phi[i];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
