using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// How a kind of layer is built again from its <see cref="ILayer{T}.Configuration"/>: the other half of the layer
/// protocol, implemented by the layer class itself so that a layer stays one file.
/// </summary>
/// <typeparam name="TSelf">The layer class, for example <c>Dense&lt;T&gt;</c>.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
public interface ILayerKind<TSelf, T>
    where TSelf : ILayer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>Builds the layer described by <paramref name="configuration"/>, with freshly initialized parameters.</summary>
    /// <param name="configuration">What <see cref="ILayer{T}.Configuration"/> returned.</param>
    /// <param name="random">The seeded source of the initial values.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">A setting is missing or invalid; the message names it.</exception>
    static abstract TSelf FromConfiguration(LayerConfiguration configuration, Random random);
}
