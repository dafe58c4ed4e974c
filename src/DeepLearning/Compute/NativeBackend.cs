using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace DeepLearning.Compute;

/// <summary>
/// A native BLAS loaded at run time with <see cref="NativeLibrary"/>: <c>cblas_sgemm</c> and <c>cblas_dgemm</c> called directly
/// on the MathNet matrices' column-major storage arrays, with the transpose flags (no copies).
/// </summary>
internal sealed unsafe class NativeBackend : LinearAlgebraBackend
{
    private const int ColumnMajor = 102;
    private const int NoTranspose = 111;
    private const int Transpose = 112;

    /// <summary>
    /// Products of fewer floating-point operations (2·m·n·k) than this run on one OpenBLAS thread, larger ones on all of
    /// them. Measured on the 2-core development machine in whole MNIST epochs: with the switch at 10 MFLOP, 784-128-10
    /// took 0.31–0.33 s per epoch and 784-800-10 1.3 s, against 0.38 s and 2.4 s with the switch at 100 MFLOP; below a few
    /// MFLOP (a batch of 10 or 32) waking the second thread costs more than it saves and its speed is erratic.
    /// </summary>
    internal const double ParallelThreshold = 10e6;

    private readonly nint _library;
    private readonly object _gate = new();
    private readonly delegate* unmanaged<int, void> _setThreads;
    private readonly int _maxThreads;
    private int _threads;
    private readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> _sgemm;
    private readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> _dgemm;

    private NativeBackend(nint library, string name, nint sgemm, nint dgemm)
    {
        _library = library;
        LibraryName = name;
        _sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        _dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)dgemm;
        if (NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out nint setThreads)
            && NativeLibrary.TryGetExport(library, "openblas_get_num_threads", out nint getThreads))
        {
            _setThreads = (delegate* unmanaged<int, void>)setThreads;
            _maxThreads = ((delegate* unmanaged<int>)getThreads)();
            _threads = _maxThreads;
        }
    }

    /// <summary>Exports that identify an optimized BLAS, with its name.</summary>
    private static readonly (string Export, string Name)[] OptimizedExports =
    [
        ("openblas_get_num_threads", "OpenBLAS"),
        ("bli_info_get_version_str", "BLIS"),
        ("MKL_Get_Max_Threads", "MKL"),
    ];

    /// <summary>Which optimized BLAS this is (OpenBLAS, BLIS, MKL, Accelerate), or why an unrecognised one was accepted.</summary>
    public string? Optimized { get; private set; }

    /// <summary>The most threads the library uses for one product (from OpenBLAS, honouring OPENBLAS_NUM_THREADS); 0 when unknown.</summary>
    public int MaxThreads => _maxThreads;

    public override BackendKind Kind => BackendKind.Native;

    public override string Description => Optimized is { } kind && !kind.Contains(' ', StringComparison.Ordinal) ? $"native ({kind}, {LibraryName})" : $"native ({LibraryName})";

    public string LibraryName { get; }

    /// <summary>The libraries tried, in order, on this operating system.</summary>
    public static IReadOnlyList<string> Candidates
    {
        get
        {
            if (OperatingSystem.IsMacOS())
            {
                return ["/System/Library/Frameworks/Accelerate.framework/Accelerate", "libopenblas.dylib"];
            }

            if (OperatingSystem.IsWindows())
            {
                return ["libopenblas.dll", "openblas.dll"];
            }

            return ["libopenblas.so.0", "libopenblas.so", "libcblas.so.3", "libblas.so.3"];
        }
    }

    /// <summary>Loads the first library that exports both products and passes a small self-test; null with the reason otherwise.</summary>
    public static NativeBackend? TryLoad(IEnumerable<string> candidates, out string reason)
    {
        var problems = new List<string>();
        foreach (string name in candidates)
        {
            if (!NativeLibrary.TryLoad(name, typeof(NativeBackend).Assembly, null, out nint library))
            {
                problems.Add($"{name}: not found");
                continue;
            }

            if (!NativeLibrary.TryGetExport(library, "cblas_sgemm", out nint sgemm) || !NativeLibrary.TryGetExport(library, "cblas_dgemm", out nint dgemm))
            {
                problems.Add($"{name}: no cblas_sgemm/cblas_dgemm");
                NativeLibrary.Free(library);
                continue;
            }

            var backend = new NativeBackend(library, name, sgemm, dgemm);
            if (!backend.SelfTest())
            {
                problems.Add($"{name}: wrong results in a self-test");
                NativeLibrary.Free(library);
                continue;
            }

            // Only an optimized BLAS is worth calling: recognised by what it exports, or proven faster by a short probe.
            // The reference BLAS (Debian's libblas.so.3, pulled in by numpy, R, Octave…) is a plain triple loop, far
            // slower than the managed product.
            backend.Optimized = OptimizedExports.FirstOrDefault(e => NativeLibrary.TryGetExport(library, e.Export, out _)).Name
                ?? (name.Contains("Accelerate", StringComparison.Ordinal) ? "Accelerate" : null);
            if (backend.Optimized is null)
            {
                double native = SpeedProbe.GigaflopsPerSecond(backend), managed = SpeedProbe.GigaflopsPerSecond(ManagedBackend.Instance);
                if (native <= managed)
                {
                    problems.Add(FormattableString.Invariant(
                        $"{name}: skipped, not an optimized BLAS (no OpenBLAS, BLIS or MKL exports) and slower than the managed product in a speed probe ({native:F1} against {managed:F1} GFLOP/s)"));
                    NativeLibrary.Free(library);
                    continue;
                }

                backend.Optimized = FormattableString.Invariant($"unrecognised, faster than managed in a probe: {native:F1} against {managed:F1} GFLOP/s");
            }

            reason = string.Empty;
            return backend;
        }

        reason = string.Join("; ", problems);
        return null;
    }

    internal override void MultiplyUnchecked<T>(Matrix<T> a, bool transposeA, Matrix<T> b, bool transposeB, Matrix<T> c)
    {
        int m = c.RowCount, n = c.ColumnCount, k = transposeA ? a.RowCount : a.ColumnCount;
        if (m == 0 || n == 0)
        {
            return;
        }

        // One product at a time: the BLAS's thread count is process-wide state, and a product run while another thread
        // changes it (or runs its own) may be split differently and round differently. Serialized, every call gives the
        // same result whatever other threads do.
        lock (_gate)
        {
            if (_setThreads != null && _maxThreads > 1)
            {
                int wanted = 2.0 * m * n * k < ParallelThreshold ? 1 : _maxThreads;
                if (wanted != _threads)
                {
                    _setThreads(wanted);
                    _threads = wanted;
                }
            }

            int ta = transposeA ? Transpose : NoTranspose, tb = transposeB ? Transpose : NoTranspose;
            int lda = Math.Max(1, a.RowCount), ldb = Math.Max(1, b.RowCount), ldc = Math.Max(1, m);
            if (typeof(T) == typeof(float))
            {
                fixed (float* pa = Data<float>(a, "A"), pb = Data<float>(b, "B"), pc = Data<float>(c, "C"))
                {
                    _sgemm(ColumnMajor, ta, tb, m, n, k, 1f, pa, lda, pb, ldb, 0f, pc, ldc);
                }
            }
            else
            {
                fixed (double* pa = Data<double>(a, "A"), pb = Data<double>(b, "B"), pc = Data<double>(c, "C"))
                {
                    _dgemm(ColumnMajor, ta, tb, m, n, k, 1d, pa, lda, pb, ldb, 0d, pc, ldc);
                }
            }
        }

        GC.KeepAlive(this);
    }

    /// <summary>Multiplies small matrices with every transpose combination and compares with the managed product.</summary>
    private bool SelfTest()
    {
        try
        {
            var random = new Random(12345);
            Matrix<double> a = Matrix<double>.Build.Dense(5, 3, (_, _) => random.NextDouble() - 0.5);
            Matrix<double> b = Matrix<double>.Build.Dense(3, 4, (_, _) => random.NextDouble() - 0.5);
            Matrix<double> expected = a * b;
            foreach ((bool ta, bool tb) in new[] { (false, false), (true, false), (false, true) })
            {
                Matrix<double> left = ta ? a.Transpose() : a, right = tb ? b.Transpose() : b;
                Matrix<double> c = Matrix<double>.Build.Dense(5, 4);
                MultiplyUnchecked(left, ta, right, tb, c);
                if (!(c - expected).Enumerate().All(d => Math.Abs(d) < 1e-12))
                {
                    return false;
                }

                Matrix<float> cf = Matrix<float>.Build.Dense(5, 4);
                MultiplyUnchecked(left.Map(v => (float)v), ta, right.Map(v => (float)v), tb, cf);
                if (!cf.Enumerate().Zip(expected.Enumerate()).All(p => Math.Abs(p.First - p.Second) < 1e-5))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is SEHException or AccessViolationException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
