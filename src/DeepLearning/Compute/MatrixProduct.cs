using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Compute;

/// <summary>
/// The three matrix products of a dense layer, written into preallocated results and run by <see cref="Backend.Current"/>:
/// Z = X·W (forward), ∂L/∂W = Xᵀ·δ and ∂L/∂X = δ·Wᵀ (backward). No transpose is ever copied.
/// </summary>
internal static class MatrixProduct
{
    /// <summary>Effectively computes <c>result = a·b</c>.</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => Backend.Current.MultiplyUnchecked(a, false, b, false, result);

    /// <summary>Effectively computes <c>result = aᵀ·b</c>.</summary>
    public static void TransposeFirstAndMultiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => Backend.Current.MultiplyUnchecked(a, true, b, false, result);

    /// <summary>Effectively computes <c>result = a·bᵀ</c>.</summary>
    public static void MultiplyByTransposeOfSecond<T>(Matrix<T> a, Matrix<T> b, Matrix<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => Backend.Current.MultiplyUnchecked(a, false, b, true, result);
}
