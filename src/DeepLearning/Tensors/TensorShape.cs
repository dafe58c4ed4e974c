namespace DeepLearning;

/// <summary>
/// The shape of a <see cref="Tensor{T}"/>: <see cref="Rows"/> samples by <see cref="Columns"/> features,
/// written <c>rows×columns</c> (for example <c>32×784</c> for a mini-batch of 32 MNIST images).
/// </summary>
/// <param name="Rows">The number of rows: one per sample in the batch.</param>
/// <param name="Columns">The number of columns: one per feature (or neuron) of each sample.</param>
public readonly record struct TensorShape(int Rows, int Columns)
{
    /// <summary>The number of elements, <c>Rows · Columns</c>, computed in 64 bits so that it never wraps.</summary>
    public long Count => (long)Rows * Columns;

    /// <summary>Formats the shape as <c>rows×columns</c>, for example <c>2×3</c>.</summary>
    /// <returns>The shape as text.</returns>
    public override string ToString() => $"{Rows}×{Columns}";
}
