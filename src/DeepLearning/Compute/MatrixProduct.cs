using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Compute;

/// <summary>
/// The three matrix products of a dense layer, written into preallocated results:
/// Z = X·W (forward), ∂L/∂W = Xᵀ·δ and ∂L/∂X = δ·Wᵀ (backward). Today they run on MathNet's managed
/// provider through its result-taking overloads, which never copy a transpose.
/// </summary>
internal static class MatrixProduct
{
    /// <summary>Effectively computes <c>result = a·b</c>.</summary>
    public static void Multiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => a.Multiply(b, result);

    /// <summary>Effectively computes <c>result = aᵀ·b</c>.</summary>
    public static void TransposeFirstAndMultiply<T>(Matrix<T> a, Matrix<T> b, Matrix<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => a.TransposeThisAndMultiply(b, result);

    /// <summary>Effectively computes <c>result = a·bᵀ</c>.</summary>
    public static void MultiplyByTransposeOfSecond<T>(Matrix<T> a, Matrix<T> b, Matrix<T> result)
        where T : struct, IFloatingPointIeee754<T>
        => a.TransposeAndMultiply(b, result);
}
