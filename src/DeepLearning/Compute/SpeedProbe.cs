using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace DeepLearning.Compute;

/// <summary>
/// Times a backend on one product of the shape a dense layer multiplies most (128×784 by 784×128, float): the best of a
/// few runs, about 20 ms in all on a fast backend, a second or so on a slow one.
/// </summary>
internal static class SpeedProbe
{
    public static double GigaflopsPerSecond(LinearAlgebraBackend backend, int m = 128, int k = 784, int n = 128)
    {
        var random = new Random(1);
        Matrix<float> a = Matrix<float>.Build.Dense(m, k, (_, _) => (float)random.NextDouble());
        Matrix<float> b = Matrix<float>.Build.Dense(k, n, (_, _) => (float)random.NextDouble());
        Matrix<float> c = Matrix<float>.Build.Dense(m, n);
        for (int warm = 0; warm < 5; warm++)
        {
            backend.MultiplyUnchecked(a, false, b, false, c); // warm-up: libraries load, threads start, buffers are allocated
        }

        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        for (int run = 0; run < 400 && (run < 10 || total.ElapsedMilliseconds < 150); run++)
        {
            long start = Stopwatch.GetTimestamp();
            backend.MultiplyUnchecked(a, false, b, false, c);
            backend.MultiplyUnchecked(a, false, b, false, c);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / 2);
        }

        return 2.0 * m * n * k / best / 1e9;
    }
}
