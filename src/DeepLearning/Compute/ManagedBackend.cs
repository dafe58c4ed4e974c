using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Compute;

/// <summary>MathNet.Numerics' managed matrix product through its result-taking overloads (<c>Multiply</c>, <c>TransposeThisAndMultiply</c>, <c>TransposeAndMultiply</c>).</summary>
internal sealed class ManagedBackend : LinearAlgebraBackend
{
    public static ManagedBackend Instance { get; } = new();

    public override BackendKind Kind => BackendKind.Managed;

    public override string Description => "managed (MathNet.Numerics)";

    internal override void MultiplyUnchecked<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c)
    {
        switch ((transposeA, transposeB))
        {
            case (false, false):
                a.Multiply(b, c);
                break;
            case (true, false):
                a.TransposeThisAndMultiply(b, c);
                break;
            case (false, true):
                a.TransposeAndMultiply(b, c);
                break;
            default:
                a.TransposeThisAndMultiply(b.Transpose(), c); // copies Bᵀ; never used by the layers
                break;
        }
    }
}
