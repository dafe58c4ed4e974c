namespace DeepLearning.Compute;

/// <summary>The kinds of linear-algebra backend.</summary>
public enum BackendKind
{
    /// <summary>MathNet.Numerics' managed (pure .NET) matrix product: always available.</summary>
    Managed,

    /// <summary>A native BLAS (OpenBLAS, the reference BLAS, or Apple's Accelerate) loaded from the system at run time.</summary>
    Native,
}
