namespace DeepLearning.Compute;

/// <summary>
/// Chooses the linear-algebra backend that runs the layers' matrix products: a native BLAS when the system has one
/// (on Linux <c>libopenblas.so.0</c>, then <c>libcblas.so.3</c> or <c>libblas.so.3</c> exporting <c>cblas_sgemm</c>/<c>cblas_dgemm</c>;
/// on macOS the Accelerate framework; on Windows <c>libopenblas.dll</c> or <c>openblas.dll</c>), MathNet's managed product otherwise.
/// </summary>
/// <remarks>
/// <para>
/// The choice is made once, on first use: the environment variable <c>DEEPLEARNING_BACKEND</c> may say <c>managed</c>,
/// <c>native</c> or <c>auto</c> (the default: whichever of the two is faster on this machine, timed once per process,
/// see <see cref="AutoChoiceReason"/>). Only an optimized BLAS (OpenBLAS, BLIS, MKL, Accelerate — recognised by what it
/// exports — or a library that a speed probe shows faster than the managed product) is ever used: the reference BLAS is
/// skipped, and <see cref="NativeUnavailableReason"/> says so. A native library that is missing or gives wrong results in a self-test is
/// never used: asking for it explicitly then prints one warning line to standard error and falls back to the managed backend.
/// </para>
/// <para>
/// <see cref="Default"/> can be set by the program; <see cref="Use"/> overrides it for the current thread and the async
/// flow that follows (for example one test), which is how two backends can be compared in one process.
/// On Debian or Ubuntu, <c>apt-get install libopenblas0-pthread</c> provides OpenBLAS.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// Console.WriteLine(Backend.Current.Description); // e.g. "native (libopenblas.so.0)"
/// using (Backend.Use(Backend.Managed)) { /* this block multiplies with MathNet's managed code */ }
/// </code>
/// </example>
public static class Backend
{
    /// <summary>The environment variable that chooses the backend: <c>managed</c>, <c>native</c> or <c>auto</c>.</summary>
    public const string EnvironmentVariable = "DEEPLEARNING_BACKEND";

    private static readonly AsyncLocal<LinearAlgebraBackend?> Override = new();
    private static readonly Lazy<(NativeBackend? Backend, string Reason)> NativeLoad = new(() =>
    {
        NativeBackend? native = NativeBackend.TryLoad(NativeBackend.Candidates, out string reason);
        return (native, reason);
    });

    private static LinearAlgebraBackend? _default;

    /// <summary>MathNet.Numerics' managed backend, always available.</summary>
    public static LinearAlgebraBackend Managed => ManagedBackend.Instance;

    /// <summary>The native BLAS backend, or <see langword="null"/> when no usable native BLAS was found (see <see cref="NativeUnavailableReason"/>).</summary>
    public static LinearAlgebraBackend? Native => NativeLoad.Value.Backend;

    /// <summary>Why <see cref="Native"/> is null (each library tried and what went wrong), or empty when it is available.</summary>
    public static string NativeUnavailableReason => NativeLoad.Value.Reason;

    /// <summary>
    /// The backend used when no <see cref="Use"/> scope is active: chosen from <c>DEEPLEARNING_BACKEND</c> on first use,
    /// native when available under <c>auto</c>. Settable.
    /// </summary>
    public static LinearAlgebraBackend Default
    {
        get => _default ??= Choose(Environment.GetEnvironmentVariable(EnvironmentVariable), Console.Error);
        set => _default = Preconditions.CheckNotNull(value, nameof(value));
    }

    /// <summary>The backend that runs matrix products now: the innermost <see cref="Use"/> scope's, else <see cref="Default"/>.</summary>
    public static LinearAlgebraBackend Current => Override.Value ?? Default;

    /// <summary>Makes <paramref name="backend"/> current for this thread and its async flow until the returned scope is disposed.</summary>
    /// <param name="backend">The backend.</param>
    /// <returns>A scope that restores the previous backend when disposed.</returns>
    public static IDisposable Use(LinearAlgebraBackend backend)
    {
        Preconditions.CheckNotNull(backend, nameof(backend));
        LinearAlgebraBackend? previous = Override.Value;
        Override.Value = backend;
        return new Scope(previous);
    }

    /// <summary>
    /// Chooses a backend from a setting, as <c>DEEPLEARNING_BACKEND</c> does: <c>managed</c>, <c>native</c>, or <c>auto</c>
    /// (also for null or empty), which takes native when available. When native is asked for and unavailable, or the setting
    /// is unknown, writes one warning line to <paramref name="warnings"/> and falls back.
    /// </summary>
    /// <param name="setting">The setting, for example from a command-line option.</param>
    /// <param name="warnings">Where the warning line goes.</param>
    /// <returns>The backend to use.</returns>
    public static LinearAlgebraBackend Choose(string? setting, TextWriter warnings) => Choose(setting, warnings, null);

    internal static LinearAlgebraBackend Choose(string? setting, TextWriter warnings, Func<LinearAlgebraBackend?>? native)
    {
        Preconditions.CheckNotNull(warnings, nameof(warnings));
        native ??= () => Native;
        switch (setting?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto":
                return Auto(native());
            case "managed":
                return Managed;
            case "native":
                if (native() is { } found)
                {
                    return found;
                }

                warnings.WriteLine($"warning: {EnvironmentVariable}=native but no usable native BLAS was found ({NativeUnavailableReason}); using the managed backend.");
                return Managed;
            default:
                warnings.WriteLine($"warning: {EnvironmentVariable}='{setting}' is not managed, native or auto; using auto.");
                return Auto(native());
        }
    }

    /// <summary>Why <c>auto</c> chose the backend it chose, for people: the probe's figures, or that there is no native BLAS.</summary>
    public static string AutoChoiceReason => _autoReason ?? "not decided yet";

    private static readonly Dictionary<string, (LinearAlgebraBackend Backend, string Reason)> AutoChoices = [];
    private static string? _autoReason;

    /// <summary>
    /// The faster of the native BLAS and the managed product on this machine for the given products (m×k·k×n), timed once
    /// per process and set of shapes (about 0.3 s); the managed backend when there is no usable native BLAS.
    /// <see cref="AutoChoiceReason"/> says which was chosen and the speeds measured.
    /// </summary>
    /// <param name="products">The shapes to time, for example those of one training step of a network.</param>
    /// <returns>The faster backend.</returns>
    public static LinearAlgebraBackend Fastest(IEnumerable<(int M, int K, int N)> products)
        => Auto(Native, [.. Preconditions.CheckNotNull(products, nameof(products))]);

    /// <summary>
    /// The products of one training step of a network of dense layers with these sizes (n₀ inputs, then each layer's
    /// neurons) at a batch size: Z = X·W, ∂L/∂W = Xᵀ·δ and ∂L/∂X = δ·Wᵀ for each layer, the shapes <see cref="Fastest"/> times.
    /// </summary>
    /// <param name="layerSizes">n₀, n₁, …: the inputs, then each layer's size.</param>
    /// <param name="batchSize">The mini-batch size m.</param>
    /// <returns>The (m, k, n) of each product.</returns>
    public static IReadOnlyList<(int M, int K, int N)> TrainingProducts(IReadOnlyList<int> layerSizes, int batchSize)
    {
        Preconditions.CheckNotNull(layerSizes, nameof(layerSizes));
        var products = new List<(int M, int K, int N)>();
        for (int l = 1; l < layerSizes.Count; l++)
        {
            (int nIn, int nOut) = (layerSizes[l - 1], layerSizes[l]);
            products.Add((batchSize, nIn, nOut));
            products.Add((nIn, batchSize, nOut));
            if (l > 1)
            {
                products.Add((batchSize, nOut, nIn));
            }
        }

        return products;
    }

    /// <summary><c>auto</c>: the faster backend for some products (by default the probe's single 128×784·784×128 product).</summary>
    private static LinearAlgebraBackend Auto(LinearAlgebraBackend? native, IReadOnlyList<(int M, int K, int N)>? products = null)
    {
        if (native is null)
        {
            _autoReason = NativeUnavailableReason.Length > 0 ? $"no usable native BLAS ({NativeUnavailableReason})" : "no native BLAS";
            return Managed;
        }

        products ??= SpeedProbe.Default;
        string key = string.Join(";", products.Select(p => $"{p.M}x{p.K}x{p.N}")) + "@" + native.Description;
        lock (AutoChoices)
        {
            if (!AutoChoices.TryGetValue(key, out var choice))
            {
                double nativeSpeed = SpeedProbe.GigaflopsPerSecond(native, products), managedSpeed = SpeedProbe.GigaflopsPerSecond(Managed, products);
                LinearAlgebraBackend chosen = nativeSpeed > managedSpeed ? native : Managed;
                choice = (chosen, FormattableString.Invariant(
                    $"faster in a probe of {(products.Count == 1 ? "a product" : $"{products.Count} products")} on this machine: {Math.Max(nativeSpeed, managedSpeed):F0} against {Math.Min(nativeSpeed, managedSpeed):F0} GFLOP/s for the {(chosen == Managed ? "native BLAS" : "managed product")}"));
                AutoChoices[key] = choice;
            }

            _autoReason = choice.Reason;
            return choice.Backend;
        }
    }

    private sealed class Scope(LinearAlgebraBackend? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                Override.Value = previous;
                _disposed = true;
            }
        }
    }
}
