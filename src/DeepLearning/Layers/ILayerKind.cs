using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// How a kind of layer is planned and built from its settings: the other half of the layer protocol, implemented by the
/// layer class itself (static members) so that a layer stays one file. The layer registry calls these.
/// </summary>
/// <typeparam name="TSelf">The layer class, for example <c>Dense&lt;T&gt;</c>.</typeparam>
/// <typeparam name="T">float or double.</typeparam>
public interface ILayerKind<TSelf, T>
    where TSelf : ILayer<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>
    /// What the layer will be for these settings and this input, without building it: its output shape and the values it
    /// will allocate. Checks the settings and says in one line what is wrong (for example a kernel larger than the image).
    /// </summary>
    /// <param name="settings">The values of the parameters the registry entry declares, defaults filled in.</param>
    /// <param name="input">The shape of one input sample.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">A setting is invalid or does not fit the input; the message names it.</exception>
    static abstract LayerPlan Plan(Arguments settings, FeatureShape input);

    /// <summary>Builds the layer for these settings and this input, its parameters drawn from <paramref name="random"/>.</summary>
    /// <param name="settings">The values of the parameters the registry entry declares, defaults filled in.</param>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="random">The seeded source of the initial values.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    static abstract TSelf Create(Arguments settings, FeatureShape input, Random random);
}
