using System.Numerics;

namespace DeepLearning.Initialization;

/// <summary>
/// A rule for the starting values of a weight matrix or bias vector, drawn from a seeded <see cref="Random"/> so that
/// the same seed always gives bit-identical weights.
/// </summary>
/// <remarks>Implementations are stateless and thread-safe; the shared instances live on <see cref="Initializer"/>.</remarks>
public interface IInitializer : IConcept
{
    /// <summary>The initializer's name, for example <c>GlorotUniform</c>.</summary>
    string Name { get; }

    /// <summary>Fills <paramref name="values"/> with starting values.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="values">The parameters to fill.</param>
    /// <param name="fanIn">The number of inputs of the layer (the rows of its weight matrix).</param>
    /// <param name="fanOut">The number of outputs of the layer (the columns of its weight matrix).</param>
    /// <param name="random">The seeded source of randomness.</param>
    void Initialize<T>(Span<T> values, int fanIn, int fanOut, Random random)
        where T : struct, IFloatingPointIeee754<T>;
}
