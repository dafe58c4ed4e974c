namespace DeepLearning.Compute;

/// <summary>
/// Chooses the linear-algebra backend that runs the layers' matrix products: a native BLAS when the system has one
/// (on Linux <c>libopenblas.so.0</c>, then <c>libcblas.so.3</c> or <c>libblas.so.3</c> exporting <c>cblas_sgemm</c>/<c>cblas_dgemm</c>;
/// on macOS the Accelerate framework; on Windows <c>libopenblas.dll</c> or <c>openblas.dll</c>), MathNet's managed product otherwise.
/// </summary>
/// <remarks>
/// <para>
/// The choice is made once, on first use, and never depends on a timing: the environment variable
/// <c>DEEPLEARNING_BACKEND</c> may say <c>managed</c>, <c>native</c> or <c>auto</c> (the default), and <c>auto</c> is
/// the managed product — as fast as OpenBLAS or faster for the shapes of training, and bit-identical on any number of
/// threads, so the same command and seed give the same numbers every time. <c>native</c> uses an optimized BLAS (OpenBLAS,
/// BLIS, MKL, Accelerate — recognised by what it exports — or a library that a speed probe shows faster than the managed
/// product); the reference BLAS is skipped, and <see cref="NativeUnavailableReason"/> says so. A native library that is
/// missing or gives wrong results in a self-test is never used: asking for it then prints one warning line to standard
/// error and falls back to the managed backend. Results of a native BLAS may depend on its thread count and on other
/// threads calling it at the same time.
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
    /// The backend used when no <see cref="Use"/> scope is active: chosen from <c>DEEPLEARNING_BACKEND</c> on first use
    /// (managed unless it says <c>native</c>). Settable.
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
    /// (also for null or empty), which is the managed backend. When native is asked for and unavailable, or the setting is
    /// unknown, writes one warning line to <paramref name="warnings"/> and falls back to the managed backend.
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
            case null or "" or "auto" or "managed":
                return Managed;
            case "native":
                if (native() is { } found)
                {
                    return found;
                }

                warnings.WriteLine($"warning: {EnvironmentVariable}=native but no usable native BLAS was found ({NativeUnavailableReason}); using the managed backend.");
                return Managed;
            default:
                warnings.WriteLine($"warning: {EnvironmentVariable}='{Shorten(setting)}' is not managed, native or auto; using auto (the managed backend).");
                return Managed;
        }
    }

    private static string Shorten(string setting)
    {
        string text = new(setting.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length <= 40 ? text : text[..37] + "...";
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
