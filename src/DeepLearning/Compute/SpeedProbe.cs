using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Compute;

/// <summary>
/// Times a backend on a set of float products — by default the one a dense layer multiplies most (128×784 by 784×128),
/// or a network's own products — and reports GFLOP/s: the best of repeated passes, about 0.15 s per backend.
/// </summary>
internal static class SpeedProbe
{
    /// <summary>The default probe: a 128×784·784×128 product.</summary>
    public static readonly IReadOnlyList<(int M, int K, int N)> Default = [(128, 784, 128)];

    public static double GigaflopsPerSecond(LinearAlgebraBackend backend) => GigaflopsPerSecond(backend, Default);

    public static double GigaflopsPerSecond(LinearAlgebraBackend backend, IReadOnlyList<(int M, int K, int N)> products)
    {
        if (backend is ManagedBackend managed && managed.MaxThreads > 1)
        {
            // On a busy machine the worker threads may wait for a core: the managed product is as fast as its better
            // mode, so measure it on the calling thread alone too and keep the faster.
            int threads = managed.MaxThreads;
            managed.MaxThreads = 1;
            double single;
            try
            {
                single = Measure(managed, products);
            }
            finally
            {
                managed.MaxThreads = threads;
            }

            return Math.Max(single, Measure(managed, products));
        }

        return Measure(backend, products);
    }

    private static double Measure(LinearAlgebraBackend backend, IReadOnlyList<(int M, int K, int N)> products)
    {
        var random = new Random(1);
        var operands = products.Select(p => (
            A: Matrix<float>.Build.Dense(p.M, p.K, (_, _) => (float)random.NextDouble()),
            B: Matrix<float>.Build.Dense(p.K, p.N, (_, _) => (float)random.NextDouble()),
            C: Matrix<float>.Build.Dense(p.M, p.N))).ToArray();
        double flops = products.Sum(p => 2.0 * p.M * p.N * p.K);
        for (int warm = 0; warm < 5; warm++)
        {
            Pass(backend, operands); // warm-up: libraries load, threads start, buffers are allocated
        }

        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int run = 0; run < 1000 && (run < 10 || total.ElapsedMilliseconds < 150); run++)
        {
            long start = Stopwatch.GetTimestamp();
            Pass(backend, operands);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return flops / best / 1e9;
    }

    private static void Pass(LinearAlgebraBackend backend, (Matrix<float> A, Matrix<float> B, Matrix<float> C)[] operands)
    {
        foreach ((Matrix<float> a, Matrix<float> b, Matrix<float> c) in operands)
        {
            backend.MultiplyUnchecked(a, false, b, false, c);
        }
    }
}
