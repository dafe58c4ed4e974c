using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DeepLearning.Compute;

/// <summary>
/// Computes the matrix products of the layers: <c>C = op(A)·op(B)</c>, where op is the identity or the transpose, into a
/// preallocated C. Backends differ only in speed: every backend gives the same results to rounding.
/// </summary>
/// <remarks>The active backend is <see cref="Backend.Current"/>. Implementations are thread-safe.</remarks>
public abstract class LinearAlgebraBackend
{
    private protected LinearAlgebraBackend()
    {
    }

    /// <summary>What kind of backend this is.</summary>
    public abstract BackendKind Kind { get; }

    /// <summary>A description for people, for example <c>native (OpenBLAS, libopenblas.so.0)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>
    /// Effectively computes <c>c = op(a)·op(b)</c>, with op(M) = Mᵀ when the matching flag is set, without copying a transpose.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="a">A, stored dense.</param>
    /// <param name="transposeA">Whether to use Aᵀ.</param>
    /// <param name="b">B, stored dense.</param>
    /// <param name="transposeB">Whether to use Bᵀ.</param>
    /// <param name="c">Receives the product; its shape must be rows(op(A))×columns(op(B)).</param>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public void Multiply<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(a, nameof(a));
        Preconditions.CheckNotNull(b, nameof(b));
        Preconditions.CheckNotNull(c, nameof(c));
        int m = transposeA ? a.ColumnCount : a.RowCount, k = transposeA ? a.RowCount : a.ColumnCount;
        int kb = transposeB ? b.ColumnCount : b.RowCount, n = transposeB ? b.RowCount : b.ColumnCount;
        if (k != kb || c.RowCount != m || c.ColumnCount != n)
        {
            throw new ArgumentException(
                $"{Kind}.Multiply: op(A) is {m}×{k} and op(B) is {kb}×{n}, so C must be {m}×{n} with matching inner sizes; C is {c.RowCount}×{c.ColumnCount}.");
        }

        MultiplyUnchecked(a, transposeA, b, transposeB, c);
    }

    /// <summary>Returns <see cref="Description"/>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Description;

    /// <summary>The product, with shapes already checked (storage lengths are checked by each backend).</summary>
    internal abstract void MultiplyUnchecked<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c)
        where T : struct, IFloatingPointIeee754<T>;

    /// <summary>
    /// The storage array of a matrix, after checking that it holds at least rows·columns elements (in 64 bits): the product
    /// reads and writes exactly that many, so neither native nor unsafe managed code ever sees an array shorter than the shape it is told.
    /// </summary>
    private protected TElement[] Data<TElement>(object matrix, string name)
        where TElement : struct, IEquatable<TElement>, IFormattable
    {
        var typed = (Matrix<TElement>)matrix;
        TElement[] data = ((DenseColumnMajorMatrixStorage<TElement>)typed.Storage).Data;
        long needed = (long)typed.RowCount * typed.ColumnCount;
        if (data.Length < needed)
        {
            throw new ArgumentException(
                $"{Kind} backend: matrix {name} is {typed.RowCount}×{typed.ColumnCount} ({needed:N0} elements) but its storage holds only {data.Length:N0}; refusing to pass a short array to the matrix product.",
                name.ToLowerInvariant());
        }

        return data;
    }
}
