using System.Numerics;

namespace DeepLearning.Initialization;

/// <summary>
/// Glorot (Xavier) uniform initialization: every value from U(−r, r) with r = √(6 / (fanIn + fanOut)).
/// </summary>
/// <remarks>
/// Chosen so that the variance of the signal stays about the same going forward and backward through a layer with
/// a symmetric activation (Glorot and Bengio, 2010). The default for sigmoid, tanh, softmax and identity layers.
/// </remarks>
public sealed class GlorotUniform : IInitializer
{
    internal GlorotUniform()
    {
    }

    /// <inheritdoc/>
    public string Name => "GlorotUniform";

    /// <inheritdoc/>
    public string Spec => "glorot_uniform";

    /// <inheritdoc/>
    public void Initialize<T>(Span<T> values, int fanIn, int fanOut, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(random, nameof(random));
        double r = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(((2 * random.NextDouble()) - 1) * r);
        }
    }
}
