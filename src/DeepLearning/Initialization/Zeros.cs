using System.Numerics;

namespace DeepLearning.Initialization;

/// <summary>Sets every value to zero: the default for biases. Never use it for weights: every neuron of a layer would stay identical.</summary>
public sealed class Zeros : IInitializer
{
    internal Zeros()
    {
    }

    /// <inheritdoc/>
    public string Name => "Zeros";

    /// <inheritdoc/>
    public string Spec => "zeros";

    /// <inheritdoc/>
    public void Initialize<T>(Span<T> values, int fanIn, int fanOut, Random random)
        where T : struct, IFloatingPointIeee754<T>
        => values.Clear();
}
