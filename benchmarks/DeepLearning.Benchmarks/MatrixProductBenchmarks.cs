using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DeepLearning.Compute;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DeepLearning.Benchmarks;

/// <summary>
/// Float matrix products at the shapes of MNIST training (and 512³), through each backend (managed: the packed SIMD GEMM) and, for reference, straight
/// through MathNet's <c>Multiply</c> and OpenBLAS's <c>cblas_sgemm</c> (with OpenBLAS's default thread count).
/// The GFLOP/s column is 2·m·n·k divided by the mean time.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class MatrixProductBenchmarks
{
    private Matrix<float> _a = null!, _b = null!, _c = null!;
    private LinearAlgebraBackend _backend = null!;

    /// <summary>m×k · k×n.</summary>
    [Params("64x784x128", "128x784x128", "256x784x800", "512x512x512")]
    public string Shape { get; set; } = "";

    [Params("Managed", "MathNetDirect", "Native", "OpenBlasDirect")]
    public string Via { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (int m, int k, int n) = Parse(Shape);
        var random = new Random(1);
        _a = Matrix<float>.Build.Dense(m, k, (_, _) => (float)random.NextDouble());
        _b = Matrix<float>.Build.Dense(k, n, (_, _) => (float)random.NextDouble());
        _c = Matrix<float>.Build.Dense(m, n);
        _backend = Via is "Managed" or "MathNetDirect" ? Backend.Managed : BackendChoices.Resolve(BackendChoice.Native);
        if (Via == "OpenBlasDirect")
        {
            // Loading the backend ran its self-test, which left OpenBLAS at one thread: restore its default for a fair reference.
            Direct.SetThreads(((NativeBackend)_backend).MaxThreads);
        }
    }

    [Benchmark]
    public float Multiply()
    {
        if (Via == "OpenBlasDirect")
        {
            Direct.Sgemm(_a, _b, _c);
        }
        else if (Via == "MathNetDirect")
        {
            _a.Multiply(_b, _c);
        }
        else
        {
            _backend.Multiply(_a, false, _b, false, _c);
        }

        return _c[0, 0];
    }

    internal static (int M, int K, int N) Parse(string shape)
    {
        int[] parts = [.. shape.Split('x').Select(int.Parse)];
        return (parts[0], parts[1], parts[2]);
    }

    /// <summary>cblas_sgemm bound at compile time, with no backend in between.</summary>
    private static unsafe class Direct
    {
        [DllImport("libopenblas.so.0", EntryPoint = "cblas_sgemm")]
        private static extern void CblasSgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

        [DllImport("libopenblas.so.0", EntryPoint = "openblas_set_num_threads")]
        public static extern void SetThreads(int threads);

        public static void Sgemm(Matrix<float> a, Matrix<float> b, Matrix<float> c)
        {
            fixed (float* pa = Data(a), pb = Data(b), pc = Data(c))
            {
                CblasSgemm(102, 111, 111, c.RowCount, c.ColumnCount, a.ColumnCount, 1f, pa, a.RowCount, pb, b.RowCount, 0f, pc, c.RowCount);
            }
        }

        private static float[] Data(Matrix<float> m) => ((DenseColumnMajorMatrixStorage<float>)m.Storage).Data;
    }

    private sealed class GflopsConfig : ManualConfig
    {
        public GflopsConfig() => AddColumn(new GflopsColumn("2·m·n·k floating-point operations divided by the mean time", benchmarkCase =>
        {
            (int m, int k, int n) = Parse((string)benchmarkCase.Parameters["Shape"]);
            return 2.0 * m * n * k;
        }));
    }
}
