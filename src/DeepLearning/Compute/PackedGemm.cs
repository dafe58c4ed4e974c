using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace DeepLearning.Compute;

/// <summary>
/// A managed matrix product in the style of BLIS and GotoBLAS: <c>C = op(A)·op(B)</c> on column-major storage, with op
/// the identity or the transpose, for float and double. See <c>docs/performance.md</c> for how it works.
/// </summary>
/// <remarks>
/// <para>
/// <b>Loops.</b> C is cut into column blocks of <see cref="Blocking.Nc"/>; k into slices of <see cref="Blocking.Kc"/>, taken
/// in order; for each slice the matching rows of op(B) are <i>packed</i> into panels NR columns wide, and op(A) into
/// blocks of <see cref="Blocking.Mc"/> rows cut into panels MR rows tall, so that the micro-kernel reads both
/// contiguously. The micro-kernel keeps an MR×NR tile of C in 12 vector registers and, for each p of the slice, adds
/// A[i, p]·B[p, j] with one fused multiply–add per register. Transposes are handled by the packing: nothing is copied
/// beyond the packed panels.
/// </para>
/// <para>
/// <b>Same numbers on any thread count.</b> Every element of C is the same sequence of operations: for each k-slice in
/// order, a fused multiply–add chain over p starting from zero, added to C. Threads only ever split C into disjoint
/// blocks of rows or columns, never k, so 1 or N threads give bit-identical results. Aᵀ·B with at most
/// <see cref="DotsMaxSide"/> columns and a k of at least <see cref="DotsMinK"/> (a convolution's ∂L/∂W) is computed as
/// dot products instead, in an order fixed by k and the vector width; its threads split the rows of C, so it too gives
/// the same numbers on any thread count.
/// </para>
/// </remarks>
internal static unsafe class PackedGemm
{
    /// <summary>Products of fewer floating-point operations (2·m·n·k) than this run on the calling thread alone.</summary>
    internal const double ParallelThreshold = 4e6;

    /// <summary>Aᵀ·B whose C has at most this many columns, with k at least <see cref="DotsMinK"/>, runs as dot products (no packing).</summary>
    internal const int DotsMaxSide = 64;

    /// <summary>The shortest k for the dot-product path.</summary>
    internal const int DotsMinK = 1024;

    /// <summary>The dot-product path's slice of k: 1,024 values of each of B's columns (at most 64) stay in the L2 cache while A's columns stream past.</summary>
    internal const int DotsChunk = 1024;

    /// <summary>
    /// Products whose op(A) has at most this many vectors of rows (64 floats with AVX-512) read op(B) where it is stored
    /// instead of packing it: a batch of a few samples through a dense layer uses each value of B only m times, so copying B
    /// would cost about as much as the product. See <see cref="Job{T}.ComputeFromB"/>.
    /// </summary>
    internal const int FromBMaxVectors = 4;

    /// <summary>Whether the micro-kernel uses fused multiply–add (x86 FMA3, ARM64 AdvSimd); otherwise a multiply then an add.</summary>
    internal static readonly bool UsesFma = Fma.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>The width of the vectors the micro-kernel uses, in bits: 512 with AVX-512, else that of <see cref="Vector{T}"/>.</summary>
    internal static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector<byte>.Count * 8;

    /// <summary>The cache blocking, per element type (see <c>docs/performance.md</c> for the measurements).</summary>
    internal static class Blocking
    {
        public const int Kc = 256;
        public const int Mc = 96;
        public const int Nc = 2040;
    }

    /// <summary>Effectively computes <c>c = op(a)·op(b)</c>; <paramref name="lda"/>, <paramref name="ldb"/> are the stored row counts.</summary>
    public static void Multiply<T>(T[] a, int lda, bool transposeA, T[] b, int ldb, bool transposeB, T[] c, int m, int n, int k, int maxThreads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            c.AsSpan(0, checked(m * n)).Clear();
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            if (m == 1 && !(transposeA && !transposeB && n <= DotsMaxSide && k >= DotsMinK))
            {
                RowTimesMatrix(pa, lda, transposeA, pb, ldb, transposeB, pc, n, k);
                return;
            }

            Job<T> job = Job<T>.ForThisThread(pa, lda, transposeA, pb, ldb, transposeB, pc, m, n, k);
            int threads = 2.0 * m * n * k < ParallelThreshold ? 1 : Math.Min(maxThreads, WorkerPool.Count + 1);
            if (threads <= 1)
            {
                job.Run(0, 1);
            }
            else
            {
                WorkerPool.Run(job, threads);
            }
        }
    }

    /// <summary>
    /// C = op(A)·op(B) when op(A) is one row — one sample through a dense layer, as <c>predict</c> reads one image. Packing
    /// would copy all of B to use each value once, and the MR×NR tile would compute MR − 1 rows of padding; instead each
    /// C[0, j] is computed straight from B, with exactly the packed path's operations: per block of
    /// <see cref="Blocking.Kc"/> values of k a sum from zero of fused multiply–adds in order of p (plain multiply and add
    /// where the tile has no FMA), then added to C. So one sample gives bit for bit what its row gives in a batch.
    /// Eight columns at a time keep eight independent sums in flight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTimesMatrix<T>(T* a, int lda, bool transposeA, T* b, int ldb, bool transposeB, T* c, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long aStep = transposeA ? 1 : lda, bStepP = transposeB ? ldb : 1, bStepJ = transposeB ? 1 : ldb;
        bool fused = Vector512.IsHardwareAccelerated || UsesFma; // as the tile: Tile512 always fuses, Tile where FMA exists
        for (int pc = 0; pc < k; pc += Blocking.Kc)
        {
            int kc = Math.Min(Blocking.Kc, k - pc);
            bool accumulate = pc > 0;
            int j = 0;
            for (; j + 8 <= n; j += 8)
            {
                T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero, s4 = T.Zero, s5 = T.Zero, s6 = T.Zero, s7 = T.Zero;
                T* x = a + (pc * aStep);
                T* column = b + (pc * bStepP) + (j * bStepJ);
                for (int p = 0; p < kc; p++, x += aStep, column += bStepP)
                {
                    T xp = *x;
                    if (fused)
                    {
                        s0 = T.FusedMultiplyAdd(xp, column[0], s0);
                        s1 = T.FusedMultiplyAdd(xp, column[bStepJ], s1);
                        s2 = T.FusedMultiplyAdd(xp, column[2 * bStepJ], s2);
                        s3 = T.FusedMultiplyAdd(xp, column[3 * bStepJ], s3);
                        s4 = T.FusedMultiplyAdd(xp, column[4 * bStepJ], s4);
                        s5 = T.FusedMultiplyAdd(xp, column[5 * bStepJ], s5);
                        s6 = T.FusedMultiplyAdd(xp, column[6 * bStepJ], s6);
                        s7 = T.FusedMultiplyAdd(xp, column[7 * bStepJ], s7);
                    }
                    else
                    {
                        s0 = (xp * column[0]) + s0;
                        s1 = (xp * column[bStepJ]) + s1;
                        s2 = (xp * column[2 * bStepJ]) + s2;
                        s3 = (xp * column[3 * bStepJ]) + s3;
                        s4 = (xp * column[4 * bStepJ]) + s4;
                        s5 = (xp * column[5 * bStepJ]) + s5;
                        s6 = (xp * column[6 * bStepJ]) + s6;
                        s7 = (xp * column[7 * bStepJ]) + s7;
                    }
                }

                Add(c + j, s0, accumulate);
                Add(c + j + 1, s1, accumulate);
                Add(c + j + 2, s2, accumulate);
                Add(c + j + 3, s3, accumulate);
                Add(c + j + 4, s4, accumulate);
                Add(c + j + 5, s5, accumulate);
                Add(c + j + 6, s6, accumulate);
                Add(c + j + 7, s7, accumulate);
            }

            for (; j < n; j++)
            {
                T sum = T.Zero;
                T* x = a + (pc * aStep);
                T* column = b + (pc * bStepP) + (j * bStepJ);
                for (int p = 0; p < kc; p++, x += aStep, column += bStepP)
                {
                    sum = fused ? T.FusedMultiplyAdd(*x, *column, sum) : (*x * *column) + sum;
                }

                Add(c + j, sum, accumulate);
            }
        }

        static void Add(T* cell, T value, bool accumulate) => *cell = accumulate ? *cell + value : value;
    }

    /// <summary>
    /// One product: pointers into arrays the caller keeps pinned until every part has run, and the shapes. Runs part
    /// <c>index</c> of <c>parts</c> (a block of rows or columns of C). One reusable instance per calling thread.
    /// </summary>
    internal sealed class Job<T> : IWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [ThreadStatic]
        private static Job<T>? _forThisThread;

        private T* a, b, c;
        private int lda, ldb, m, n, k;
        private bool transposeA, transposeB;

        public static Job<T> ForThisThread(T* a, int lda, bool transposeA, T* b, int ldb, bool transposeB, T* c, int m, int n, int k)
        {
            Job<T> job = _forThisThread ??= new Job<T>();
            job.a = a;
            job.b = b;
            job.c = c;
            (job.lda, job.ldb, job.transposeA, job.transposeB, job.m, job.n, job.k) = (lda, ldb, transposeA, transposeB, m, n, k);
            return job;
        }

        public void Run(int index, int parts)
        {
            int mr = Kernel<T>.Mr, nr = Kernel<T>.Nr;
            if (IsLongAndThin)
            {
                (int i0, int i1) = Split(m, 4, index, parts);
                Dots(i0, i1);
                return;
            }

            if (m <= FromBMaxVectors * Kernel<T>.W)
            {
                (int n0, int n1) = Split(n, Kernel<T>.NrFromB, index, parts);
                ComputeFromB(n0, n1);
                return;
            }

            if (n >= m)
            {
                (int n0, int n1) = Split(n, nr, index, parts);
                Compute(0, m, n0, n1);
            }
            else
            {
                (int m0, int m1) = Split(m, mr, index, parts);
                Compute(m0, m1, 0, n);
            }
        }

        /// <summary>
        /// Aᵀ·B with a small C and a long k — a convolution's ∂L/∂W = Pᵀ·δ for few channels and filters, k = m·H′·W′. Packing
        /// would move every value of A and B to use it only m or n times; instead each C[i, j] is the dot product of two
        /// columns that are contiguous in storage (A's column i, B's column j).
        /// </summary>
        private bool IsLongAndThin => transposeA && !transposeB && n <= DotsMaxSide && k >= DotsMinK;

        /// <summary>
        /// Rows [i0, i1) of C = Aᵀ·B as dot products: k is cut into chunks of <see cref="DotsChunk"/> (so that the chunk
        /// of every column stays in cache), and within a chunk a 4×3 block of C is 12 vector accumulators of fused
        /// multiply–adds over p, then summed across the vector, then added to C. The order of operations of each C[i, j]
        /// depends only on k and the vector width: the same on any thread count, since threads split the rows of C.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Dots(int i0, int i1)
        {
            for (int p0 = 0; p0 < k; p0 += DotsChunk)
            {
                int length = Math.Min(DotsChunk, k - p0);
                bool accumulate = p0 > 0;
                for (int i = i0; i < i1; i += 4)
                {
                    int rows = Math.Min(4, i1 - i);
                    for (int j = 0; j < n; j += 3)
                    {
                        int columns = Math.Min(3, n - j);
                        T* aColumn = a + p0 + ((long)i * lda), bColumn = b + p0 + ((long)j * ldb), target = c + i + ((long)j * m);
                        if (rows == 4 && columns == 3)
                        {
                            Block(length, aColumn, lda, bColumn, ldb, target, m, accumulate);
                        }
                        else
                        {
                            for (int jj = 0; jj < columns; jj++)
                            {
                                for (int ii = 0; ii < rows; ii++)
                                {
                                    T dot = Dot(length, aColumn + ((long)ii * lda), bColumn + ((long)jj * ldb));
                                    T* cell = target + ii + ((long)jj * m);
                                    *cell = accumulate ? *cell + dot : dot;
                                }
                            }
                        }
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Block(int length, T* a0, int lda, T* b0, int ldb, T* c, int ldc, bool accumulate)
        {
            T* a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, b1 = b0 + ldb, b2 = b1 + ldb;
            Vector<T> c00 = default, c10 = default, c20 = default, c30 = default, c01 = default, c11 = default;
            Vector<T> c21 = default, c31 = default, c02 = default, c12 = default, c22 = default, c32 = default;
            int w = Vector<T>.Count, p = 0;
            for (; p <= length - w; p += w)
            {
                Vector<T> x0 = Unsafe.ReadUnaligned<Vector<T>>(a0 + p), x1 = Unsafe.ReadUnaligned<Vector<T>>(a1 + p);
                Vector<T> x2 = Unsafe.ReadUnaligned<Vector<T>>(a2 + p), x3 = Unsafe.ReadUnaligned<Vector<T>>(a3 + p);
                Vector<T> y = Unsafe.ReadUnaligned<Vector<T>>(b0 + p);
                c00 = Kernel<T>.MultiplyAdd(x0, y, c00);
                c10 = Kernel<T>.MultiplyAdd(x1, y, c10);
                c20 = Kernel<T>.MultiplyAdd(x2, y, c20);
                c30 = Kernel<T>.MultiplyAdd(x3, y, c30);
                y = Unsafe.ReadUnaligned<Vector<T>>(b1 + p);
                c01 = Kernel<T>.MultiplyAdd(x0, y, c01);
                c11 = Kernel<T>.MultiplyAdd(x1, y, c11);
                c21 = Kernel<T>.MultiplyAdd(x2, y, c21);
                c31 = Kernel<T>.MultiplyAdd(x3, y, c31);
                y = Unsafe.ReadUnaligned<Vector<T>>(b2 + p);
                c02 = Kernel<T>.MultiplyAdd(x0, y, c02);
                c12 = Kernel<T>.MultiplyAdd(x1, y, c12);
                c22 = Kernel<T>.MultiplyAdd(x2, y, c22);
                c32 = Kernel<T>.MultiplyAdd(x3, y, c32);
            }

            Finish(p, length, a0, b0, c, c00, accumulate);
            Finish(p, length, a1, b0, c + 1, c10, accumulate);
            Finish(p, length, a2, b0, c + 2, c20, accumulate);
            Finish(p, length, a3, b0, c + 3, c30, accumulate);
            Finish(p, length, a0, b1, c + ldc, c01, accumulate);
            Finish(p, length, a1, b1, c + ldc + 1, c11, accumulate);
            Finish(p, length, a2, b1, c + ldc + 2, c21, accumulate);
            Finish(p, length, a3, b1, c + ldc + 3, c31, accumulate);
            Finish(p, length, a0, b2, c + (2L * ldc), c02, accumulate);
            Finish(p, length, a1, b2, c + (2L * ldc) + 1, c12, accumulate);
            Finish(p, length, a2, b2, c + (2L * ldc) + 2, c22, accumulate);
            Finish(p, length, a3, b2, c + (2L * ldc) + 3, c32, accumulate);
        }

        /// <summary>The dot product of two contiguous runs, in the same order of operations as one accumulator of <see cref="Block"/>.</summary>
        private static T Dot(int length, T* x, T* y)
        {
            Vector<T> sum = default;
            int w = Vector<T>.Count, p = 0;
            for (; p <= length - w; p += w)
            {
                sum = Kernel<T>.MultiplyAdd(Unsafe.ReadUnaligned<Vector<T>>(x + p), Unsafe.ReadUnaligned<Vector<T>>(y + p), sum);
            }

            T result = default;
            Finish(p, length, x, y, &result, sum, accumulate: false);
            return result;
        }

        /// <summary>The accumulator summed across the vector, then the last length mod w products, then into C.</summary>
        private static void Finish(int p, int length, T* x, T* y, T* cell, Vector<T> sum, bool accumulate)
        {
            T total = Vector.Sum(sum);
            for (; p < length; p++)
            {
                total += x[p] * y[p];
            }

            *cell = accumulate ? *cell + total : total;
        }

        /// <summary>Part <paramref name="index"/> of [0, size) cut into <paramref name="parts"/> ranges whose edges are multiples of <paramref name="align"/>.</summary>
        private static (int Start, int End) Split(int size, int align, int index, int parts)
        {
            int units = (size + align - 1) / align;
            int start = (int)((long)units * index / parts) * align, end = (int)((long)units * (index + 1) / parts) * align;
            return (Math.Min(start, size), Math.Min(end, size));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Compute(int m0, int m1, int n0, int n1)
        {
            if (m0 >= m1 || n0 >= n1)
            {
                return;
            }

            int mr = Kernel<T>.Mr, nr = Kernel<T>.Nr;
            T* packedA = Buffers<T>.A, packedB = Buffers<T>.B;
            T* edge = stackalloc T[Kernel<T>.Mr * Kernel<T>.Nr];
            for (int jc = n0; jc < n1; jc += Blocking.Nc)
            {
                int nc = Math.Min(Blocking.Nc, n1 - jc);
                for (int pc = 0; pc < k; pc += Blocking.Kc)
                {
                    int kc = Math.Min(Blocking.Kc, k - pc);
                    bool accumulate = pc > 0;
                    PackB(packedB, pc, kc, jc, nc);
                    for (int ic = m0; ic < m1; ic += Blocking.Mc)
                    {
                        int mc = Math.Min(Blocking.Mc, m1 - ic);
                        PackA(packedA, ic, mc, pc, kc, mr);
                        for (int jr = 0; jr < nc; jr += nr)
                        {
                            int nrHere = Math.Min(nr, nc - jr);
                            T* bPanel = packedB + ((long)jr * kc);
                            for (int ir = 0; ir < mc; ir += mr)
                            {
                                int mrHere = Math.Min(mr, mc - ir);
                                T* aPanel = packedA + ((long)ir * kc);
                                T* target = c + ic + ir + ((long)(jc + jr) * m);
                                if (mrHere == mr && nrHere == nr)
                                {
                                    Kernel<T>.Tile(kc, aPanel, bPanel, target, m, accumulate);
                                }
                                else
                                {
                                    // An edge tile: computed whole into a small buffer (the packing padded it with zeros),
                                    // then its valid part added to C the same way a full tile is.
                                    Kernel<T>.Tile(kc, aPanel, bPanel, edge, mr, accumulate: false);
                                    for (int j = 0; j < nrHere; j++)
                                    {
                                        T* column = target + ((long)j * m);
                                        for (int i = 0; i < mrHere; i++)
                                        {
                                            column[i] = accumulate ? column[i] + edge[i + (j * mr)] : edge[i + (j * mr)];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /// <summary>
        /// Columns [n0, n1) of C when op(A) has few rows (m ≤ <see cref="FromBMaxVectors"/> vectors). op(A) is packed into
        /// panels one vector tall (for m = 10, a 16-row panel wastes 6 rows where the 32-row tile would waste 22), and the
        /// micro-kernel <see cref="Kernel{T}.TileFromB"/> reads the 12 columns of op(B) it needs straight from B's storage,
        /// each value once per panel, instead of copying all of B first. Each C[i, j] is the same operations as in
        /// <see cref="Compute"/> — per k-slice a fused multiply–add chain from zero, added to C — so a row of C does not
        /// depend on which path, batch size or thread computed it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void ComputeFromB(int n0, int n1)
        {
            if (n0 >= n1)
            {
                return;
            }

            int w = Kernel<T>.W, nr = Kernel<T>.NrFromB;
            T* packedA = Buffers<T>.A, columns = Buffers<T>.B;
            T* edge = stackalloc T[Kernel<T>.W * Kernel<T>.NrFromB];
            long stepP = transposeB ? ldb : 1, stepJ = transposeB ? 1 : ldb;
            for (int pc = 0; pc < k; pc += Blocking.Kc)
            {
                int kc = Math.Min(Blocking.Kc, k - pc);
                bool accumulate = pc > 0;
                PackA(packedA, 0, m, pc, kc, w);
                for (int jr = n0; jr < n1; jr += nr)
                {
                    int nrHere = Math.Min(nr, n1 - jr);
                    T* block = b + (pc * stepP) + (jr * stepJ);
                    long blockP = stepP, blockJ = stepJ;
                    if (nrHere < nr)
                    {
                        // The last few columns: copied, with zero columns after them, so the kernel reads nothing past B.
                        for (int p = 0; p < kc; p++)
                        {
                            for (int j = 0; j < nr; j++)
                            {
                                columns[((long)p * nr) + j] = j < nrHere ? block[(p * stepP) + (j * stepJ)] : T.Zero;
                            }
                        }

                        block = columns;
                        blockP = nr;
                        blockJ = 1;
                    }

                    for (int ir = 0; ir < m; ir += w)
                    {
                        int mrHere = Math.Min(w, m - ir);
                        T* panel = packedA + ((long)ir * kc);
                        T* target = c + ir + ((long)jr * m);
                        if (mrHere == w && nrHere == nr)
                        {
                            Kernel<T>.TileFromB(kc, panel, block, blockP, blockJ, target, m, accumulate);
                            continue;
                        }

                        Kernel<T>.TileFromB(kc, panel, block, blockP, blockJ, edge, w, accumulate: false);
                        for (int j = 0; j < nrHere; j++)
                        {
                            T* column = target + ((long)j * m);
                            for (int i = 0; i < mrHere; i++)
                            {
                                column[i] = accumulate ? column[i] + edge[i + (j * w)] : edge[i + (j * w)];
                            }
                        }
                    }
                }
            }
        }

        /// <summary>Rows [ic, ic + mc) and columns [pc, pc + kc) of op(A), as panels of <paramref name="mr"/> rows: panel[p·mr + i] = op(A)[ic + ir + i, pc + p].</summary>
        /// <remarks>
        /// Both orders read A along its storage: without a transpose, the mc values of one p are one contiguous run (all
        /// panels of that p at once); with a transpose, the kc values of one row are. Reading across the storage instead
        /// — MR values each lda apart — makes every value a cache miss when lda is a large power of two (an im2col matrix
        /// of 64·64 rows, say), since all those lines compete for the same cache sets.
        /// </remarks>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackA(T* destination, int ic, int mc, int pc, int kc, int mr)
        {
            if (!transposeA)
            {
                // op(A)[i, p] = A[i + p·lda]: for each p, the mc values are contiguous; deal them out to the panels.
                for (int p = 0; p < kc; p++)
                {
                    T* source = a + ic + ((long)(pc + p) * lda);
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int rows = Math.Min(mr, mc - ir);
                        T* row = destination + ((long)ir * kc) + ((long)p * mr);
                        new ReadOnlySpan<T>(source + ir, rows).CopyTo(new Span<T>(row, rows));
                        new Span<T>(row + rows, mr - rows).Clear();
                    }
                }

                return;
            }

            // op(A)[i, p] = A[p + i·lda]: for each row i, the kc values are contiguous; write them down the panel.
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                T* panel = destination + ((long)ir * kc);
                for (int i = 0; i < mr; i++)
                {
                    if (i >= rows)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            panel[((long)p * mr) + i] = T.Zero;
                        }

                        continue;
                    }

                    T* source = a + pc + ((long)(ic + ir + i) * lda);
                    for (int p = 0; p < kc; p++)
                    {
                        panel[((long)p * mr) + i] = source[p];
                    }
                }
            }
        }

        /// <summary>Rows [pc, pc + kc) and columns [jc, jc + nc) of op(B), as panels of NR columns: panel[p·NR + j] = op(B)[pc + p, jc + jr + j].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackB(T* destination, int pc, int kc, int jc, int nc)
        {
            int nr = Kernel<T>.Nr;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int columns = Math.Min(nr, nc - jr);
                T* panel = destination + ((long)jr * kc);
                if (!transposeB)
                {
                    // op(B)[p, j] = B[p + j·ldb]: walk each column down p.
                    for (int j = 0; j < columns; j++)
                    {
                        T* source = b + pc + ((long)(jc + jr + j) * ldb);
                        for (int p = 0; p < kc; p++)
                        {
                            panel[((long)p * nr) + j] = source[p];
                        }
                    }
                }
                else
                {
                    // op(B)[p, j] = B[j + p·ldb]: the NR values of one p are contiguous.
                    for (int p = 0; p < kc; p++)
                    {
                        new ReadOnlySpan<T>(b + jc + jr + ((long)(pc + p) * ldb), columns).CopyTo(new Span<T>(panel + ((long)p * nr), columns));
                    }
                }

                for (int j = columns; j < nr; j++)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[((long)p * nr) + j] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>The MR×NR micro-kernel: MR = two vectors of <see cref="Vector{T}"/>, NR = 6, so 12 accumulators.</summary>
    internal static class Kernel<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>MR: two vectors of the widest hardware vector (512 bits with AVX-512, else <see cref="Vector{T}"/>: 256 bits on x64, 128 on ARM64 and WebAssembly). A JIT-time constant.</summary>
        public static int Mr => Vector512.IsHardwareAccelerated ? 2 * Vector512<T>.Count : 2 * Vector<T>.Count;
        public const int Nr = 6;

        /// <summary>The width of one vector in elements (16 floats with AVX-512): the height of <see cref="TileFromB"/>'s tile. A JIT-time constant.</summary>
        public static int W => Vector512.IsHardwareAccelerated ? Vector512<T>.Count : Vector<T>.Count;

        /// <summary>The width of <see cref="TileFromB"/>'s tile: 12 columns, one accumulator each.</summary>
        public const int NrFromB = 12;

        /// <summary>
        /// <c>tile[i + j·ldc] (+)= Σ_p aPanel[p·W + i] · B(p, j)</c> for a tile one vector tall and <see cref="NrFromB"/>
        /// columns wide, where B(p, j) = <c>b[p·stepP + j·stepJ]</c> is read where it is stored (not packed). Each sum is
        /// the fused multiply–add chain over p from zero that <see cref="Tile"/> computes, then added or stored the same way.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void TileFromB(int kc, T* a, T* b, long stepP, long stepJ, T* tile, int ldc, bool accumulate)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                TileFromB512(kc, a, b, stepP, stepJ, tile, ldc, accumulate);
                return;
            }

            int w = Vector<T>.Count;
            long s2 = 2 * stepJ, s3 = 3 * stepJ;
            T* b0 = b, b4 = b + (4 * stepJ), b8 = b + (8 * stepJ);
            Vector<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
            Vector<T> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (int p = 0; p < kc; p++, a += w, b0 += stepP, b4 += stepP, b8 += stepP)
            {
                Vector<T> x = Unsafe.ReadUnaligned<Vector<T>>(a);
                c0 = MultiplyAdd(x, new Vector<T>(b0[0]), c0);
                c1 = MultiplyAdd(x, new Vector<T>(b0[stepJ]), c1);
                c2 = MultiplyAdd(x, new Vector<T>(b0[s2]), c2);
                c3 = MultiplyAdd(x, new Vector<T>(b0[s3]), c3);
                c4 = MultiplyAdd(x, new Vector<T>(b4[0]), c4);
                c5 = MultiplyAdd(x, new Vector<T>(b4[stepJ]), c5);
                c6 = MultiplyAdd(x, new Vector<T>(b4[s2]), c6);
                c7 = MultiplyAdd(x, new Vector<T>(b4[s3]), c7);
                c8 = MultiplyAdd(x, new Vector<T>(b8[0]), c8);
                c9 = MultiplyAdd(x, new Vector<T>(b8[stepJ]), c9);
                c10 = MultiplyAdd(x, new Vector<T>(b8[s2]), c10);
                c11 = MultiplyAdd(x, new Vector<T>(b8[s3]), c11);
            }

            Store(tile, c0, accumulate);
            Store(tile + ldc, c1, accumulate);
            Store(tile + (2L * ldc), c2, accumulate);
            Store(tile + (3L * ldc), c3, accumulate);
            Store(tile + (4L * ldc), c4, accumulate);
            Store(tile + (5L * ldc), c5, accumulate);
            Store(tile + (6L * ldc), c6, accumulate);
            Store(tile + (7L * ldc), c7, accumulate);
            Store(tile + (8L * ldc), c8, accumulate);
            Store(tile + (9L * ldc), c9, accumulate);
            Store(tile + (10L * ldc), c10, accumulate);
            Store(tile + (11L * ldc), c11, accumulate);
        }

        /// <summary><see cref="TileFromB"/> with 512-bit vectors: a 16×12 (float) or 8×12 (double) tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void TileFromB512(int kc, T* a, T* b, long stepP, long stepJ, T* tile, int ldc, bool accumulate)
        {
            int w = Vector512<T>.Count;
            long s2 = 2 * stepJ, s3 = 3 * stepJ;
            T* b0 = b, b4 = b + (4 * stepJ), b8 = b + (8 * stepJ);
            Vector512<T> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
            Vector512<T> c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
            for (int p = 0; p < kc; p++, a += w, b0 += stepP, b4 += stepP, b8 += stepP)
            {
                Vector512<T> x = Vector512.Load(a);
                c0 = MultiplyAdd(x, Vector512.Create(b0[0]), c0);
                c1 = MultiplyAdd(x, Vector512.Create(b0[stepJ]), c1);
                c2 = MultiplyAdd(x, Vector512.Create(b0[s2]), c2);
                c3 = MultiplyAdd(x, Vector512.Create(b0[s3]), c3);
                c4 = MultiplyAdd(x, Vector512.Create(b4[0]), c4);
                c5 = MultiplyAdd(x, Vector512.Create(b4[stepJ]), c5);
                c6 = MultiplyAdd(x, Vector512.Create(b4[s2]), c6);
                c7 = MultiplyAdd(x, Vector512.Create(b4[s3]), c7);
                c8 = MultiplyAdd(x, Vector512.Create(b8[0]), c8);
                c9 = MultiplyAdd(x, Vector512.Create(b8[stepJ]), c9);
                c10 = MultiplyAdd(x, Vector512.Create(b8[s2]), c10);
                c11 = MultiplyAdd(x, Vector512.Create(b8[s3]), c11);
            }

            Store(tile, c0, accumulate);
            Store(tile + ldc, c1, accumulate);
            Store(tile + (2L * ldc), c2, accumulate);
            Store(tile + (3L * ldc), c3, accumulate);
            Store(tile + (4L * ldc), c4, accumulate);
            Store(tile + (5L * ldc), c5, accumulate);
            Store(tile + (6L * ldc), c6, accumulate);
            Store(tile + (7L * ldc), c7, accumulate);
            Store(tile + (8L * ldc), c8, accumulate);
            Store(tile + (9L * ldc), c9, accumulate);
            Store(tile + (10L * ldc), c10, accumulate);
            Store(tile + (11L * ldc), c11, accumulate);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(T* column, Vector512<T> value, bool accumulate)
        {
            if (accumulate)
            {
                value += Vector512.Load(column);
            }

            value.Store(column);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(T* column, Vector<T> value, bool accumulate)
        {
            if (accumulate)
            {
                value += Unsafe.ReadUnaligned<Vector<T>>(column);
            }

            Unsafe.WriteUnaligned(column, value);
        }

        /// <summary>
        /// <c>tile[i + j·ldc] (+)= Σ_p aPanel[p·MR + i] · bPanel[p·NR + j]</c>, the sum a fused multiply–add chain over p from
        /// zero; with <paramref name="accumulate"/> the chain's result is added to the tile, otherwise it replaces it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // fully optimized from the first call: no slow warm-up
        public static void Tile(int kc, T* a, T* b, T* tile, int ldc, bool accumulate)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                Tile512(kc, a, b, tile, ldc, accumulate);
                return;
            }

            int w = Vector<T>.Count;
            Vector<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
            Vector<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
            for (int p = 0; p < kc; p++)
            {
                Vector<T> a0 = Unsafe.ReadUnaligned<Vector<T>>(a);
                Vector<T> a1 = Unsafe.ReadUnaligned<Vector<T>>(a + w);
                Vector<T> b0 = new(b[0]);
                c00 = MultiplyAdd(a0, b0, c00);
                c10 = MultiplyAdd(a1, b0, c10);
                Vector<T> b1 = new(b[1]);
                c01 = MultiplyAdd(a0, b1, c01);
                c11 = MultiplyAdd(a1, b1, c11);
                Vector<T> b2 = new(b[2]);
                c02 = MultiplyAdd(a0, b2, c02);
                c12 = MultiplyAdd(a1, b2, c12);
                Vector<T> b3 = new(b[3]);
                c03 = MultiplyAdd(a0, b3, c03);
                c13 = MultiplyAdd(a1, b3, c13);
                Vector<T> b4 = new(b[4]);
                c04 = MultiplyAdd(a0, b4, c04);
                c14 = MultiplyAdd(a1, b4, c14);
                Vector<T> b5 = new(b[5]);
                c05 = MultiplyAdd(a0, b5, c05);
                c15 = MultiplyAdd(a1, b5, c15);
                a += 2 * w;
                b += Nr;
            }

            Store(tile, c00, c10, accumulate, w);
            Store(tile + ldc, c01, c11, accumulate, w);
            Store(tile + (2L * ldc), c02, c12, accumulate, w);
            Store(tile + (3L * ldc), c03, c13, accumulate, w);
            Store(tile + (4L * ldc), c04, c14, accumulate, w);
            Store(tile + (5L * ldc), c05, c15, accumulate, w);
        }

        /// <summary><see cref="Tile"/> with 512-bit vectors (AVX-512): the same operations on a 32×6 (float) or 16×6 (double) tile.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Tile512(int kc, T* a, T* b, T* tile, int ldc, bool accumulate)
        {
            int w = Vector512<T>.Count;
            Vector512<T> c00 = default, c10 = default, c01 = default, c11 = default, c02 = default, c12 = default;
            Vector512<T> c03 = default, c13 = default, c04 = default, c14 = default, c05 = default, c15 = default;
            for (int p = 0; p < kc; p++)
            {
                Vector512<T> a0 = Vector512.Load(a);
                Vector512<T> a1 = Vector512.Load(a + w);
                Vector512<T> b0 = Vector512.Create(b[0]);
                c00 = MultiplyAdd(a0, b0, c00);
                c10 = MultiplyAdd(a1, b0, c10);
                Vector512<T> b1 = Vector512.Create(b[1]);
                c01 = MultiplyAdd(a0, b1, c01);
                c11 = MultiplyAdd(a1, b1, c11);
                Vector512<T> b2 = Vector512.Create(b[2]);
                c02 = MultiplyAdd(a0, b2, c02);
                c12 = MultiplyAdd(a1, b2, c12);
                Vector512<T> b3 = Vector512.Create(b[3]);
                c03 = MultiplyAdd(a0, b3, c03);
                c13 = MultiplyAdd(a1, b3, c13);
                Vector512<T> b4 = Vector512.Create(b[4]);
                c04 = MultiplyAdd(a0, b4, c04);
                c14 = MultiplyAdd(a1, b4, c14);
                Vector512<T> b5 = Vector512.Create(b[5]);
                c05 = MultiplyAdd(a0, b5, c05);
                c15 = MultiplyAdd(a1, b5, c15);
                a += 2 * w;
                b += Nr;
            }

            Store(tile, c00, c10, accumulate, w);
            Store(tile + ldc, c01, c11, accumulate, w);
            Store(tile + (2L * ldc), c02, c12, accumulate, w);
            Store(tile + (3L * ldc), c03, c13, accumulate, w);
            Store(tile + (4L * ldc), c04, c14, accumulate, w);
            Store(tile + (5L * ldc), c05, c15, accumulate, w);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(T* column, Vector512<T> top, Vector512<T> bottom, bool accumulate, int w)
        {
            if (accumulate)
            {
                top += Vector512.Load(column);
                bottom += Vector512.Load(column + w);
            }

            top.Store(column);
            bottom.Store(column + w);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
        {
            if (typeof(T) == typeof(float))
            {
                return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(T* column, Vector<T> top, Vector<T> bottom, bool accumulate, int w)
        {
            if (accumulate)
            {
                top += Unsafe.ReadUnaligned<Vector<T>>(column);
                bottom += Unsafe.ReadUnaligned<Vector<T>>(column + w);
            }

            Unsafe.WriteUnaligned(column, top);
            Unsafe.WriteUnaligned(column + w, bottom);
        }

        /// <summary><c>a·b + c</c>, fused (one rounding) where the processor can.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c)
        {
            if (!(Fma.IsSupported || AdvSimd.Arm64.IsSupported)) // JIT-time constants: the branch disappears
            {
                return (a * b) + c;
            }

            if (typeof(T) == typeof(float))
            {
                return Vector.As<float, T>(Vector.FusedMultiplyAdd(Vector.As<T, float>(a), Vector.As<T, float>(b), Vector.As<T, float>(c)));
            }

            return Vector.As<double, T>(Vector.FusedMultiplyAdd(Vector.As<T, double>(a), Vector.As<T, double>(b), Vector.As<T, double>(c)));
        }
    }

    /// <summary>Packing buffers, one pair per thread and element type, allocated once (64-byte aligned, never freed).</summary>
    private static class Buffers<T>
        where T : unmanaged
    {
        [ThreadStatic]
        private static T* _a;

        [ThreadStatic]
        private static T* _b;

        public static T* A => _a != null ? _a : _a = Allocate((nuint)(Blocking.Mc + 64) * Blocking.Kc);

        public static T* B => _b != null ? _b : _b = Allocate((nuint)(Blocking.Nc + 16) * Blocking.Kc);

        private static T* Allocate(nuint count) => (T*)NativeMemory.AlignedAlloc(count * (nuint)sizeof(T), 64);
    }
}
