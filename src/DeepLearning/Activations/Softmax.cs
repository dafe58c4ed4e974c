using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace DeepLearning.Activations;

/// <summary>
/// The softmax over each row (sample): softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ). Outputs are positive and sum to 1,
/// so they read as the probabilities of the classes.
/// </summary>
/// <remarks>
/// <para>
/// Unlike the other activations, each output depends on the whole row. Its Jacobian is
/// ∂aᵢ/∂zⱼ = aᵢ(𝟙[i = j] − aⱼ), so backpropagation computes δᵢ = aᵢ·(gᵢ − Σⱼ gⱼaⱼ) with g = ∂L/∂a.
/// With <see cref="Losses.CrossEntropy"/> the two simplify to δ = a − y (divided by the batch size), which the
/// training loop uses directly.
/// </para>
/// <para>Computed as e^(zᵢ − max z) so that inputs of ±1000 neither overflow nor give NaN.</para>
/// </remarks>
/// <example>softmax([0, 0]) = [0.5, 0.5]; softmax([1, 2, 3]) ≈ [0.090031, 0.244728, 0.665241].</example>
public sealed class Softmax : IActivation
{
    internal Softmax()
    {
    }

    /// <summary>False: softmax normalises each row as a whole.</summary>
    public bool IsElementwise => false;

    /// <inheritdoc/>
    public string Name => "Softmax";

    /// <inheritdoc/>
    public string? PyTorchModule => "Softmax(dim=-1)";

    /// <inheritdoc/>
    /// <remarks>Writes a Softmax node over the last axis: each row [m, n], or each position of a sequence [m, T, V].</remarks>
    public void ExportOnnx(Serialization.OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.Apply("Softmax", [graph.Current], "softmax", ("axis", -1));
    }

    /// <inheritdoc/>
    public string Spec => "softmax";

    /// <inheritdoc/>
    public void Forward<T>(Tensor<T> z, Tensor<T> a)
        where T : struct, IFloatingPointIeee754<T>
    {
        Activation.CheckShapes(this, z, a);
        int m = z.Rows, n = z.Columns;
        T[] rented = ArrayPool<T>.Shared.Rent(m);
        Span<T> rowMax = rented.AsSpan(0, m);
        try
        {
            // Storage is column by column, so each step below is a vectorized operation on one whole column.
            z.ColumnSpan(0).CopyTo(rowMax);
            for (int j = 1; j < n; j++)
            {
                TensorPrimitives.Max<T>(rowMax, z.ColumnSpan(j), rowMax);
            }

            for (int j = 0; j < n; j++)
            {
                Span<T> column = a.ColumnSpan(j);
                TensorPrimitives.Subtract<T>(z.ColumnSpan(j), rowMax, column);
                TensorPrimitives.Exp<T>(column, column);
            }

            Span<T> rowSum = rowMax;
            a.ColumnSpan(0).CopyTo(rowSum);
            for (int j = 1; j < n; j++)
            {
                TensorPrimitives.Add<T>(rowSum, a.ColumnSpan(j), rowSum);
            }

            for (int j = 0; j < n; j++)
            {
                TensorPrimitives.Divide<T>(a.ColumnSpan(j), rowSum, a.ColumnSpan(j));
            }
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
        int m = a.Rows, n = a.Columns;
        T[] rented = ArrayPool<T>.Shared.Rent(m);
        Span<T> dot = rented.AsSpan(0, m);
        try
        {
            // dot = Σⱼ gⱼ·aⱼ per row, then δⱼ = aⱼ ⊙ (gⱼ − dot).
            TensorPrimitives.Multiply<T>(outputGradient.ColumnSpan(0), a.ColumnSpan(0), dot);
            for (int j = 1; j < n; j++)
            {
                TensorPrimitives.MultiplyAdd<T>(outputGradient.ColumnSpan(j), a.ColumnSpan(j), dot, dot);
            }

            for (int j = 0; j < n; j++)
            {
                Span<T> d = delta.ColumnSpan(j);
                TensorPrimitives.Subtract<T>(outputGradient.ColumnSpan(j), dot, d);
                TensorPrimitives.Multiply<T>(d, a.ColumnSpan(j), d);
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    /// <summary>Returns <c>Softmax</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
