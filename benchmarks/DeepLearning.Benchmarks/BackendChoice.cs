using DeepLearning.Compute;

namespace DeepLearning.Benchmarks;

/// <summary>The backend a benchmark case runs on; <c>Native</c> cases fail clearly when no native BLAS is installed.</summary>
public enum BackendChoice
{
    Managed,
    Native,
}

internal static class BackendChoices
{
    public static LinearAlgebraBackend Resolve(BackendChoice choice) => choice == BackendChoice.Managed
        ? Backend.Managed
        : Backend.Native ?? throw new InvalidOperationException($"No native BLAS: {Backend.NativeUnavailableReason}. Install libopenblas0-pthread.");
}

/// <summary>The element type of a benchmark case.</summary>
public enum ElementType
{
    Float,
    Double,
}
