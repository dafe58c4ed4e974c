using System.Numerics;
using DeepLearning.Compute;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DeepLearning.Tests.Compute;

public class PackedGemmTest
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 1, 7, 1 }, { 5, 1, 3 }, { 1, 1, 300 }, { 17, 1, 9 }, { 1, 19, 600 }, { 1, 100, 640 }, { 1, 10, 100 }, { 16, 6, 256 }, { 32, 12, 257 },
        { 97, 131, 257 }, { 300, 17, 513 }, { 64, 128, 784 }, { 784, 128, 64 }, { 64, 784, 128 }, { 13, 2100, 5 }, { 2101, 7, 3 }, { 0, 3, 4 }, { 3, 4, 0 },
        { 10, 1000, 640 }, { 10, 100, 640 }, { 10, 13, 300 }, { 2, 25, 3 }, { 48, 12, 256 }, { 63, 37, 520 }, { 64, 130, 100 }, { 65, 30, 70 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_Float_EqualsTheReferenceSumBitForBit_InEveryTransposeForm(int m, int n, int k) => Check<float>(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_Double_EqualsTheReferenceSumBitForBit_InEveryTransposeForm(int m, int n, int k) => Check<double>(m, n, k);

    [Theory]
    [InlineData(256, 800, 784)]
    [InlineData(130, 97, 1000)]
    [InlineData(1000, 40, 300)]
    [InlineData(10, 1000, 1000)] // a batch of 10 through a dense layer of 1,000: op(B) read where it is stored
    public void Multiply_OneThreadOrAll_GiveBitIdenticalResults(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        Matrix<float> a = Random<float>(m, k, random), b = Random<float>(k, n, random);
        Matrix<float> one = Matrix<float>.Build.Dense(m, n), all = Matrix<float>.Build.Dense(m, n);

        Product(a, false, b, false, one, threads: 1);
        Product(a, false, b, false, all, threads: Environment.ProcessorCount);

        all.Enumerate().Should().Equal(one.Enumerate());
        (2.0 * m * n * k).Should().BeGreaterThan(PackedGemm.ParallelThreshold, "the product is large enough to be split over threads");
    }

    [Theory]
    [InlineData(25, 20, 36_864)] // a convolution's ∂L/∂W = Pᵀ·δ: 1 channel of 5×5 by 20 filters, 64 images of 24×24 positions
    [InlineData(500, 40, 4096)] // 20 channels of 5×5 by 40 filters, 64 images of 8×8 positions
    [InlineData(64, 64, 1024)]
    [InlineData(7, 5, 5003)]
    public void Multiply_TransposedLongAndThin_DotProductsCloseToExactAndSameOnAnyThreadCount(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        Matrix<double> a = Random<double>(k, m, random), b = Random<double>(k, n, random);
        Matrix<double> exact = a.TransposeThisAndMultiply(b); // MathNet, in double: the reference for float
        Matrix<float> af = a.Map(v => (float)v), bf = b.Map(v => (float)v);
        Matrix<float> one = Matrix<float>.Build.Dense(m, n, 99f), all = Matrix<float>.Build.Dense(m, n, 99f);
        Matrix<double> d = Matrix<double>.Build.Dense(m, n, 99.0);

        Product(af, true, bf, false, one, threads: 1);
        Product(af, true, bf, false, all, threads: Environment.ProcessorCount);
        Product(a, true, b, false, d, threads: Environment.ProcessorCount);

        all.Enumerate().Should().Equal(one.Enumerate(), "threads split the rows of C, never k");
        double scale = k; // every product is in [0, 1): |Σ| ≤ k
        one.Enumerate().Zip(exact.Enumerate()).Max(p => Math.Abs(p.First - p.Second)).Should().BeLessThan(1e-6 * scale);
        d.Enumerate().Zip(exact.Enumerate()).Max(p => Math.Abs(p.First - p.Second)).Should().BeLessThan(1e-14 * scale);
        (n <= PackedGemm.DotsMaxSide && k >= PackedGemm.DotsMinK).Should().BeTrue("the shape takes the dot-product path");
    }

    [Fact]
    public void Multiply_AfterWarmUp_AllocatesNothing()
    {
        var random = new Random(3);
        Matrix<float> a = Random<float>(128, 784, random), b = Random<float>(784, 128, random), c = Matrix<float>.Build.Dense(128, 128);
        Matrix<double> ad = Random<double>(64, 100, random), bd = Random<double>(100, 30, random), cd = Matrix<double>.Build.Dense(64, 30);
        for (int warm = 0; warm < 200; warm++) // past tiered compilation's re-compilations
        {
            Backend.Managed.Multiply(a, false, b, false, c);
            Backend.Managed.Multiply(ad, false, bd, false, cd);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            Backend.Managed.Multiply(a, false, b, false, c);
            Backend.Managed.Multiply(a, false, a, true, c);
            Backend.Managed.Multiply(ad, false, bd, false, cd);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, "the calling thread allocates nothing; the workers are plain threads that allocate nothing either (the benchmarks' memory diagnoser counts the whole process)");
    }

    [Fact]
    public void Multiply_AgreesWithMathNetToRounding()
    {
        var random = new Random(5);
        Matrix<double> a = Random<double>(70, 300, random), b = Random<double>(300, 45, random);
        Matrix<double> c = Matrix<double>.Build.Dense(70, 45);

        Backend.Managed.Multiply(a, false, b, false, c);

        (c - (a * b)).Enumerate().Max(Math.Abs).Should().BeLessThan(1e-12);
    }

    private static void Check<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random((m * 31) + (n * 7) + k);
        Matrix<T> a = Random<T>(m, k, random), b = Random<T>(k, n, random);
        Matrix<T> expected = Reference(a, b);
        foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            Matrix<T> left = ta ? a.Transpose() : a, right = tb ? b.Transpose() : b;
            Matrix<T> c = Matrix<T>.Build.Dense(m, n, (_, _) => T.CreateChecked(99)); // stale values must be overwritten
            Product(left, ta, right, tb, c, Environment.ProcessorCount);
            c.Enumerate().Should().Equal(expected.Enumerate(), $"op(A)·op(B) with transposeA={ta}, transposeB={tb} sums in the reference order");
        }
    }

    /// <summary>
    /// The straightforward triple loop, summing in the order the kernel documents: for each k-slice of Kc in order, a
    /// (fused) multiply–add chain over p from zero, added to C.
    /// </summary>
    private static Matrix<T> Reference<T>(Matrix<T> a, Matrix<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = a.RowCount, k = a.ColumnCount, n = b.ColumnCount;
        var c = Matrix<T>.Build.Dense(m, n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p0 = 0; p0 < k; p0 += PackedGemm.Blocking.Kc)
                {
                    T chain = T.Zero;
                    for (int p = p0; p < Math.Min(k, p0 + PackedGemm.Blocking.Kc); p++)
                    {
                        chain = PackedGemm.UsesFma ? T.FusedMultiplyAdd(a[i, p], b[p, j], chain) : (a[i, p] * b[p, j]) + chain;
                    }

                    sum = p0 == 0 ? chain : sum + chain;
                }

                c[i, j] = sum;
            }
        }

        return c;
    }

    private static void Product<T>(Matrix<T> a, bool ta, Matrix<T> b, bool tb, Matrix<T> c, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] Data(Matrix<T> x) => ((DenseColumnMajorMatrixStorage<T>)x.Storage).Data;
        int k = ta ? a.RowCount : a.ColumnCount;
        PackedGemm.Multiply(Data(a), a.RowCount, ta, Data(b), b.RowCount, tb, Data(c), c.RowCount, c.ColumnCount, k, threads);
    }

    private static Matrix<T> Random<T>(int rows, int columns, Random random)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Matrix<T>.Build.Dense(rows, columns, (_, _) => T.CreateChecked(random.NextDouble() - 0.5));
}
