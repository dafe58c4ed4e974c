using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DeepLearning;

/// <summary>
/// A batch of row vectors: the value that flows between layers. Row <c>i</c> is sample <c>i</c>,
/// column <c>j</c> is feature (or neuron) <c>j</c>, so a mini-batch of 32 MNIST images is a 32×784 tensor.
/// </summary>
/// <typeparam name="T">The element type: <see cref="double"/> (exact, for gradient checks and hand examples) or <see cref="float"/> (fast, for training).</typeparam>
/// <remarks>
/// <para>
/// A tensor wraps a MathNet.Numerics dense <see cref="Matrix{T}"/> (<see cref="Matrix"/>) without copying it, so every
/// MathNet operation is one property away. MathNet stores dense matrices column by column; the library relies on that
/// layout for its fast elementwise work.
/// </para>
/// <para>
/// Tensors returned by <c>Forward</c> and <c>Backward</c> belong to the layer that returned them and are overwritten by its
/// next call; use <see cref="Clone"/> to keep one. A tensor is not thread-safe for writing.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var x = Tensor&lt;double&gt;.FromRows([1, 2], [3, 4], [5, 6]); // 3 samples, 2 features
/// // x.Shape is 3×2, x[2, 1] is 6
/// </code>
/// </example>
public sealed class Tensor<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[] _data;

    /// <summary>Wraps a MathNet matrix as a tensor, without copying when it is dense.</summary>
    /// <param name="matrix">The matrix: rows are samples, columns are features. A sparse matrix is copied into a dense one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public Tensor(Matrix<T> matrix)
    {
        Preconditions.CheckNotNull(matrix, nameof(matrix));
        Preconditions.CheckElementType<T>();
        if (matrix.Storage is not DenseColumnMajorMatrixStorage<T>)
        {
            matrix = Matrix<T>.Build.DenseOfMatrix(matrix);
        }

        Matrix = matrix;
        _data = ((DenseColumnMajorMatrixStorage<T>)matrix.Storage).Data;
    }

    /// <summary>Creates a tensor of zeros with the given number of rows (samples) and columns (features).</summary>
    /// <param name="rows">The number of samples, at least 1.</param>
    /// <param name="columns">The number of features, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> or <paramref name="columns"/> is less than 1.</exception>
    public Tensor(int rows, int columns)
        : this(CreateDense(Preconditions.CheckPositive(rows, nameof(rows)), Preconditions.CheckPositive(columns, nameof(columns))))
    {
    }

    /// <summary>The MathNet dense matrix behind this tensor (rows = samples, columns = features); changes to it change the tensor.</summary>
    public Matrix<T> Matrix { get; }

    /// <summary>The number of rows: one per sample.</summary>
    public int Rows => Matrix.RowCount;

    /// <summary>The number of columns: one per feature or neuron.</summary>
    public int Columns => Matrix.ColumnCount;

    /// <summary>The shape, <see cref="Rows"/>×<see cref="Columns"/>.</summary>
    public TensorShape Shape => new(Matrix.RowCount, Matrix.ColumnCount);

    /// <summary>The storage array, column by column (element (i, j) is at <c>i + j·Rows</c>).</summary>
    internal T[] Data => _data;

    /// <summary>The elements as one span, column by column (element (i, j) at <c>i + j·Rows</c>): every sample's value of feature 0, then of feature 1, and so on.</summary>
    /// <returns>A span over the tensor's storage; writing to it changes the tensor.</returns>
    public Span<T> AsSpan() => _data.AsSpan(0, Rows * Columns);

    /// <summary>
    /// The same values seen as <paramref name="rows"/>×<paramref name="columns"/>: the storage (column by column) is shared,
    /// not copied, so element k of <see cref="AsSpan"/> stays element k. A batch of m images C×H×W stored as
    /// (m·H·W)×C — position by position, then channel — is m×(C·H·W) in channel-major order.
    /// </summary>
    /// <param name="rows">The rows of the view.</param>
    /// <param name="columns">The columns of the view.</param>
    /// <returns>A tensor over the same storage; writing to one changes the other.</returns>
    /// <exception cref="ArgumentException">rows·columns is not <see cref="Rows"/>·<see cref="Columns"/>.</exception>
    public Tensor<T> Reshape(int rows, int columns)
    {
        Preconditions.CheckPositive(rows, nameof(rows));
        Preconditions.CheckPositive(columns, nameof(columns));
        if ((long)rows * columns != (long)Rows * Columns)
        {
            throw new ArgumentException($"Reshape: {rows}×{columns} does not hold the {(long)Rows * Columns:N0} values of a {Shape} tensor.", nameof(columns));
        }

        return _data.Length == rows * columns
            ? new Tensor<T>(Matrix<T>.Build.Dense(rows, columns, _data))
            : throw new NotSupportedException($"Reshape: this {Shape} tensor's storage is larger than its values (a slice); copy it first with Clone().");
    }

    /// <summary>Whether this tensor's values are stored in the same array as <paramref name="other"/>'s.</summary>
    internal bool SharesStorageWith(Tensor<T> other) => ReferenceEquals(_data, other._data);

    /// <summary>Gets or sets the element in row <paramref name="row"/> (sample) and column <paramref name="column"/> (feature).</summary>
    /// <param name="row">The zero-based sample index.</param>
    /// <param name="column">The zero-based feature index.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the shape.</exception>
    public T this[int row, int column]
    {
        get => _data[Index(row, column)];
        set => _data[Index(row, column)] = value;
    }

    /// <summary>Creates a tensor from a two-dimensional array; <c>values[i, j]</c> becomes row <c>i</c>, column <c>j</c>.</summary>
    /// <param name="values">The elements, with at least one row and one column.</param>
    /// <returns>A new tensor holding a copy of <paramref name="values"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static Tensor<T> FromArray(T[,] values)
    {
        Preconditions.CheckNotNull(values, nameof(values));
        if (values.GetLength(0) == 0 || values.GetLength(1) == 0)
        {
            throw new ArgumentException($"values is empty ({values.GetLength(0)}×{values.GetLength(1)}); a tensor needs at least one row and one column.", nameof(values));
        }

        Preconditions.CheckElementType<T>();
        return new Tensor<T>(Matrix<T>.Build.DenseOfArray(values));
    }

    /// <summary>Creates a tensor whose rows are the given samples.</summary>
    /// <param name="rows">One array per sample, all of the same length.</param>
    /// <returns>A new tensor of shape <c>rows.Length×rows[0].Length</c>.</returns>
    /// <exception cref="ArgumentException">No rows are given, a row is empty or rows differ in length.</exception>
    public static Tensor<T> FromRows(params T[][] rows)
    {
        Preconditions.CheckNotNull(rows, nameof(rows));
        if (rows.Length == 0)
        {
            throw new ArgumentException("rows is empty; a tensor needs at least one row (sample).", nameof(rows));
        }

        int columns = Preconditions.CheckNotNull(rows[0], "rows[0]").Length;
        if (columns == 0)
        {
            throw new ArgumentException("rows[0] is empty; every sample needs at least one feature.", nameof(rows));
        }

        var tensor = new Tensor<T>(rows.Length, columns);
        for (int i = 0; i < rows.Length; i++)
        {
            T[] row = Preconditions.CheckNotNull(rows[i], $"rows[{i}]");
            if (row.Length != columns)
            {
                throw new ArgumentException($"rows[{i}] has {row.Length} values but rows[0] has {columns}; every sample needs the same number of features.", nameof(rows));
            }

            for (int j = 0; j < columns; j++)
            {
                tensor._data[i + (j * rows.Length)] = row[j];
            }
        }

        return tensor;
    }

    /// <summary>Creates a one-sample tensor (a single row) from the given features.</summary>
    /// <param name="features">The features of the sample.</param>
    /// <returns>A new 1×<c>features.Length</c> tensor.</returns>
    public static Tensor<T> FromRow(params T[] features) => FromRows(Preconditions.CheckNotNull(features, nameof(features)));

    /// <summary>
    /// Creates one-hot targets for class labels: row <c>i</c> is all zeros except a one in column <c>labels[i]</c>.
    /// </summary>
    /// <param name="labels">The class of each sample, each in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes (columns).</param>
    /// <returns>A new <c>labels.Length×classes</c> tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, <paramref name="classes"/>).</exception>
    public static Tensor<T> OneHot(IReadOnlyList<int> labels, int classes)
    {
        Preconditions.CheckNotNull(labels, nameof(labels));
        Preconditions.CheckPositive(labels.Count, "labels.Count");
        Preconditions.CheckPositive(classes, nameof(classes));
        var tensor = new Tensor<T>(labels.Count, classes);
        for (int i = 0; i < labels.Count; i++)
        {
            int label = labels[i];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"labels[{i}] is {label}, outside the {classes} classes [0, {classes - 1}].");
            }

            tensor._data[i + (label * labels.Count)] = T.One;
        }

        return tensor;
    }

    /// <summary>Copies the elements into a new two-dimensional array, <c>[row, column]</c>.</summary>
    /// <returns>A new <c>Rows×Columns</c> array.</returns>
    public T[,] ToArray() => Matrix.ToArray();

    /// <summary>Copies one row (the features of one sample) into a new array.</summary>
    /// <param name="row">The zero-based sample index.</param>
    /// <returns>A new array of length <see cref="Columns"/>.</returns>
    public T[] GetRow(int row)
    {
        Index(row, 0);
        var values = new T[Columns];
        for (int j = 0; j < values.Length; j++)
        {
            values[j] = _data[row + (j * Rows)];
        }

        return values;
    }

    /// <summary>For each row, the column holding its largest value: the predicted class of each sample.</summary>
    /// <returns>A new array of length <see cref="Rows"/>; ties go to the lowest column.</returns>
    public int[] ArgMaxPerRow()
    {
        var result = new int[Rows];
        ArgMaxPerRow(result);
        return result;
    }

    /// <summary>Creates a deep copy that does not share storage with this tensor.</summary>
    /// <returns>A new tensor with the same shape and elements.</returns>
    public Tensor<T> Clone() => new(Matrix.Clone());

    /// <summary>Formats the tensor as its shape followed by its rows, for example <c>Tensor 1×2 [ 1 2 ]</c>.</summary>
    /// <returns>The tensor as text.</returns>
    public override string ToString() => $"Tensor {Shape}{Environment.NewLine}{Matrix.ToMatrixString()}";

    internal void ArgMaxPerRow(Span<int> result)
    {
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ArgMax(i);
        }
    }

    /// <summary>The column of the largest value in one row; ties go to the lowest column.</summary>
    internal int ArgMax(int row)
    {
        int m = Rows;
        int best = 0;
        T bestValue = _data[row];
        for (int j = 1; j < Columns; j++)
        {
            T value = _data[row + (j * m)];
            if (value > bestValue)
            {
                bestValue = value;
                best = j;
            }
        }

        return best;
    }

    internal bool TryFindNonFinite(out int row, out int column)
    {
        Span<T> span = AsSpan();
        for (int k = 0; k < span.Length; k++)
        {
            if (!T.IsFinite(span[k]))
            {
                row = k % Rows;
                column = k / Rows;
                return true;
            }
        }

        row = column = -1;
        return false;
    }

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a new tensor: a slice of the batch.</summary>
    /// <param name="start">The first row (sample), from 0.</param>
    /// <param name="count">How many rows, at least 1.</param>
    /// <returns>A new count×<see cref="Columns"/> tensor holding a copy of those rows.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The rows are not all inside the tensor.</exception>
    public Tensor<T> Slice(int start, int count)
    {
        Preconditions.CheckPositive(count, nameof(count));
        if (start < 0 || start > Rows - count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Rows {start} to {start + count - 1} are not all inside the tensor of shape {Shape}.");
        }

        var result = new Tensor<T>(count, Columns);
        CopyRowsTo(start, result);
        return result;
    }

    /// <summary>Copies rows <c>[start, start + destination.Rows)</c> into <paramref name="destination"/> (same columns).</summary>
    internal void CopyRowsTo(int start, Tensor<T> destination)
    {
        int count = destination.Rows;
        for (int j = 0; j < Columns; j++)
        {
            _data.AsSpan((j * Rows) + start, count).CopyTo(destination.ColumnSpan(j));
        }
    }

    /// <summary>Copies rows <c>indices[0], indices[1], …</c> into rows 0, 1, … of <paramref name="destination"/> (same columns).</summary>
    internal void GatherRowsTo(ReadOnlySpan<int> indices, Tensor<T> destination)
    {
        for (int j = 0; j < Columns; j++)
        {
            ReadOnlySpan<T> source = _data.AsSpan(j * Rows, Rows);
            Span<T> target = destination.ColumnSpan(j);
            for (int r = 0; r < target.Length; r++)
            {
                target[r] = source[indices[r]];
            }
        }
    }

    /// <summary>One column — the values of one feature (or neuron) for every sample — as a contiguous span over the storage.</summary>
    /// <param name="column">The zero-based feature index.</param>
    /// <returns>A span of <see cref="Rows"/> values; writing to it changes the tensor.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column is outside the shape.</exception>
    public Span<T> ColumnSpan(int column)
    {
        Index(0, column);
        return _data.AsSpan(column * Rows, Rows);
    }

    private static Matrix<T> CreateDense(int rows, int columns)
    {
        Preconditions.CheckElementType<T>();
        Preconditions.CheckElementCount(rows, columns, "The tensor", nameof(rows));
        return Matrix<T>.Build.Dense(rows, columns);
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside the tensor of shape {Shape}.");
        }

        if ((uint)column >= (uint)Columns)
        {
            throw new ArgumentOutOfRangeException(nameof(column), column, $"Column {column} is outside the tensor of shape {Shape}.");
        }

        return row + (column * Rows);
    }
}
