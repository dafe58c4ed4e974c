using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Compute;

/// <summary>
/// The library's own managed matrix product (<see cref="PackedGemm"/>: packed panels, a SIMD micro-kernel with fused
/// multiply–add, cache blocking, threads over blocks of C) on MathNet's column-major storage, with no native dependency.
/// Results are bit-identical on any number of threads.
/// </summary>
internal sealed class ManagedBackend : LinearAlgebraBackend
{
    public static ManagedBackend Instance { get; } = new();

    /// <summary>The most threads one product uses: the processor count, or <c>DEEPLEARNING_THREADS</c> when set lower.</summary>
    public int MaxThreads { get; set; } = DefaultThreads();

    public override BackendKind Kind => BackendKind.Managed;

    public override string Description => $"managed (packed SIMD GEMM, {PackedGemm.VectorBits}-bit vectors{(PackedGemm.UsesFma ? ", FMA" : string.Empty)})";

    internal override void MultiplyUnchecked<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c)
    {
        int m = c.RowCount, n = c.ColumnCount, k = transposeA ? a.RowCount : a.ColumnCount;
        if (typeof(T) == typeof(float))
        {
            PackedGemm.Multiply(Data<float>(a, "A"), a.RowCount, transposeA, Data<float>(b, "B"), b.RowCount, transposeB, Data<float>(c, "C"), m, n, k, MaxThreads);
        }
        else
        {
            PackedGemm.Multiply(Data<double>(a, "A"), a.RowCount, transposeA, Data<double>(b, "B"), b.RowCount, transposeB, Data<double>(c, "C"), m, n, k, MaxThreads);
        }
    }

    private static int DefaultThreads()
        => int.TryParse(Environment.GetEnvironmentVariable("DEEPLEARNING_THREADS"), out int threads) && threads >= 1
            ? Math.Min(threads, Environment.ProcessorCount)
            : Environment.ProcessorCount;
}
