using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DeepLearning.Layers;

/// <summary>
/// One trainable tensor of a layer, such as its weight matrix W or its bias vector b, together with the gradient
/// ∂L/∂W (or ∂L/∂b) that the last backward pass computed for it. Optimizers update <see cref="Values"/> from <see cref="Gradients"/>.
/// </summary>
/// <remarks>
/// <para>
/// A parameter is a rows×columns matrix stored column by column (MathNet's layout): <see cref="Values"/>,
/// <see cref="Gradients"/>, <see cref="Matrix"/> and <see cref="GradientMatrix"/> all view the same two arrays, so writing
/// to any of them changes the layer.
/// </para>
/// <para>
/// <b>Export.</b> Read in that storage order, the values are PyTorch's tensor of shape <see cref="ExportShape"/> in its
/// row-major order: a dense layer's n_in×n_out W, column by column, is <c>nn.Linear.weight</c> [n_out, n_in] row by row,
/// so safetensors and the model file copy the values as they are. A table PyTorch stores the same way round as the
/// library — an embedding's V×D, <c>nn.Embedding.weight</c> [V, D] — says so with <see cref="ExportRowByRow"/>, and is
/// exported row by row (<see cref="CopyToExportOrder"/>). <see cref="Key"/> is PyTorch's name for it (<c>weight</c>,
/// <c>bias</c>, <c>running_mean</c>). Not thread-safe.
/// </para>
/// <para>
/// <b>Parameters and state.</b> The same class holds a layer's trainable tensors (<see cref="Layers.ILayer{T}.Parameters"/>,
/// which optimizers update) and the values it keeps without training them (<see cref="Layers.ILayer{T}.State"/>, PyTorch's
/// buffers: a batch normalization's running mean and variance, its count of batches); state has no use for
/// <see cref="Gradients"/>. A count is <see cref="IsInteger"/>: whole numbers, exported as 64-bit integers.
/// </para>
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
/// <example>
/// <code>
/// var w = new Parameter&lt;float&gt;("Scale(4).Weights", 1, 4) { Key = "weight", IsWeight = true };   // 4 zeros
/// w.Values.Fill(1);
/// </code>
/// </example>
public sealed class Parameter<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[] _values;
    private readonly T[] _gradients;
    private readonly long[]? _exportShape;

    /// <summary>Creates a parameter of zeros, with a gradient of zeros.</summary>
    /// <param name="name">The name people see, the layer's followed by the tensor's: <c>Dense(2→3).Weights</c>.</param>
    /// <param name="rows">The rows, at least 1: n_in for a dense layer's W, 1 for a bias.</param>
    /// <param name="columns">The columns, at least 1: n_out for a dense layer's W and b.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is less than 1 or rows·columns (computed in 64 bits) is more than <see cref="Array.MaxLength"/>.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Parameter(string name, int rows, int columns)
    {
        Name = Preconditions.CheckNotNull(name, nameof(name));
        Preconditions.CheckPositive(rows, nameof(rows));
        Preconditions.CheckPositive(columns, nameof(columns));
        Preconditions.CheckElementType<T>();
        Preconditions.CheckElementCount(rows, columns, $"The parameter {name}", nameof(columns));
        Shape = new TensorShape(rows, columns);
        Matrix = Matrix<T>.Build.Dense(rows, columns);
        GradientMatrix = Matrix<T>.Build.Dense(rows, columns);
        _values = ((DenseColumnMajorMatrixStorage<T>)Matrix.Storage).Data;
        _gradients = ((DenseColumnMajorMatrixStorage<T>)GradientMatrix.Storage).Data;
    }

    /// <summary>The name people see, for example <c>Dense(2→3).Weights</c>.</summary>
    public string Name { get; }

    /// <summary>PyTorch's name for it within its module, for example <c>weight</c> or <c>bias</c>: safetensors stores <c>{module}.{Key}</c>. Default <c>weight</c>.</summary>
    public string Key { get; init; } = "weight";

    /// <summary>Whether this is a weight (which L2 regularization shrinks) rather than a bias (which it leaves alone). Default false.</summary>
    public bool IsWeight { get; init; }

    /// <summary>The shape: n_in×n_out for a dense layer's weight matrix, 1×n_out for a bias vector.</summary>
    public TensorShape Shape { get; }

    /// <summary>
    /// Whether PyTorch's tensor is this matrix read row by row, [rows, columns] — an embedding's V×D table is
    /// <c>nn.Embedding.weight</c> [V, D] — rather than its storage order (the transpose, as for <c>nn.Linear.weight</c>).
    /// Default false.
    /// </summary>
    public bool ExportRowByRow { get; init; }

    /// <summary>
    /// Whether the values are counts, whole numbers exported as 64-bit integers (PyTorch's <c>num_batches_tracked</c>):
    /// safetensors writes them as <c>I64</c> and reads <c>I64</c> back. Default false.
    /// </summary>
    public bool IsInteger { get; init; }

    /// <summary>
    /// The shape of the same values as a PyTorch tensor read row by row: by default [rows, columns] when
    /// <see cref="ExportRowByRow"/>, else the transpose, [columns, rows] — or [columns] for a single row (a bias, a
    /// normalization's gain). A layer whose weight matrix may have one row says so: a dense layer's W is always
    /// [n_out, n_in], [10, 1] for one input; a convolution's (C·k·k)×F W is [F, C, k, k]; a single count is a scalar, [].
    /// Its product must be <see cref="Count"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The dimensions do not multiply to <see cref="Count"/>.</exception>
    public IReadOnlyList<long> ExportShape
    {
        get => _exportShape ?? (ExportRowByRow ? [Shape.Rows, Shape.Columns] : Shape.Rows == 1 ? [Shape.Columns] : [Shape.Columns, Shape.Rows]);
        init
        {
            Preconditions.CheckNotNull(value, nameof(value));
            if (value.Any(d => d < 1) || value.Aggregate(1L, (p, d) => checked(p * d)) != Count)
            {
                throw new ArgumentException($"{Name}: the export shape [{string.Join(", ", value)}] does not hold its {Count:N0} values.", nameof(value));
            }

            _exportShape = [.. value];
        }
    }

    /// <summary>The number of values, <c>Shape.Rows · Shape.Columns</c>.</summary>
    public int Count => _values.Length;

    /// <summary>The current values, column by column.</summary>
    public Span<T> Values => _values;

    /// <summary>The gradient of the loss with respect to each value, from the last backward pass, in the same order as <see cref="Values"/>.</summary>
    public Span<T> Gradients => _gradients;

    /// <summary>The values as a MathNet matrix (rows×columns) over the same storage: <c>Matrix[i, j]</c> is value (i, j).</summary>
    public Matrix<T> Matrix { get; }

    /// <summary>The gradients as a MathNet matrix (rows×columns) over the same storage.</summary>
    public Matrix<T> GradientMatrix { get; }

    /// <summary>Copies the values into <paramref name="destination"/> in PyTorch's order (<see cref="ExportShape"/> row by row): the storage order, or row by row when <see cref="ExportRowByRow"/>.</summary>
    /// <param name="destination">At least <see cref="Count"/> values.</param>
    public void CopyToExportOrder(Span<T> destination)
    {
        if (ExportRowByRow)
        {
            StorageOrder.ToRowByRow<T>(_values, Shape.Rows, Shape.Columns, destination);
        }
        else
        {
            _values.CopyTo(destination);
        }
    }

    /// <summary>Sets the values from <paramref name="source"/>, given in PyTorch's order (the reverse of <see cref="CopyToExportOrder"/>).</summary>
    /// <param name="source">Exactly <see cref="Count"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="source"/> does not hold <see cref="Count"/> values.</exception>
    public void CopyFromExportOrder(ReadOnlySpan<T> source)
    {
        if (source.Length != Count)
        {
            throw new ArgumentException($"{Name}: {source.Length} values given for its {Count}.", nameof(source));
        }

        if (ExportRowByRow)
        {
            StorageOrder.FromRowByRow<T>(source, Shape.Rows, Shape.Columns, _values);
        }
        else
        {
            source.CopyTo(_values);
        }
    }

    /// <summary>Returns the name and shape, for example <c>Dense(2→3).Weights 2×3</c>.</summary>
    /// <returns>The parameter as text.</returns>
    public override string ToString() => $"{Name} {Shape}";
}
