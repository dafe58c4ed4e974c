using System.Numerics;

namespace DeepLearning.Initialization;

/// <summary>
/// He normal initialization: every value from N(0, 2 / fanIn).
/// </summary>
/// <remarks>
/// ReLU zeroes half of its inputs on average; the factor 2 makes up for it, so the variance of the signal stays about
/// the same from layer to layer (He et al., 2015). The default for ReLU layers.
/// </remarks>
public sealed class HeNormal : IInitializer
{
    internal HeNormal()
    {
    }

    /// <inheritdoc/>
    public string Name => "HeNormal";

    /// <inheritdoc/>
    public string Spec => "he_normal";

    /// <inheritdoc/>
    public void Initialize<T>(Span<T> values, int fanIn, int fanOut, Random random)
        where T : struct, IFloatingPointIeee754<T>
        => Initializer.FillGaussian(values, Preconditions.CheckNotNull(random, nameof(random)), 0, Math.Sqrt(2.0 / fanIn));
}
