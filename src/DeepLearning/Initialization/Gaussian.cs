using System.Numerics;

namespace DeepLearning.Initialization;

/// <summary>
/// Draws every value from the normal distribution N(μ, s²). With μ = 0 and s = 1 this is the textbook's initialization
/// of both weights and biases (Nielsen, chapter 1).
/// </summary>
/// <remarks>
/// N(0, 1) weights make the weighted input z of a neuron with n inputs have a standard deviation of about √n, which
/// saturates sigmoid neurons in wide layers; <see cref="GlorotUniform"/> and <see cref="HeNormal"/> scale by the fan-in to avoid that.
/// </remarks>
public sealed class Gaussian : IInitializer
{
    /// <summary>Creates a normal initializer.</summary>
    /// <param name="mean">The mean μ.</param>
    /// <param name="standardDeviation">The standard deviation s, greater than 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="standardDeviation"/> is not positive and finite, or <paramref name="mean"/> is not finite.</exception>
    public Gaussian(double mean, double standardDeviation)
    {
        if (!double.IsFinite(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "mean must be a finite number.");
        }

        Mean = mean;
        StandardDeviation = Preconditions.CheckPositiveFinite(standardDeviation, nameof(standardDeviation));
    }

    /// <summary>The mean μ.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation s.</summary>
    public double StandardDeviation { get; }

    /// <inheritdoc/>
    public string Name => $"Gaussian(μ={Mean}, s={StandardDeviation})";

    /// <inheritdoc/>
    /// <remarks><c>standard_normal</c> for N(0, 1), else <c>gaussian(mean, standard deviation)</c>.</remarks>
    public string Spec => Mean == 0 && StandardDeviation == 1
        ? "standard_normal"
        : FormattableString.Invariant($"gaussian({Mean:R}, {StandardDeviation:R})");

    /// <inheritdoc/>
    public void Initialize<T>(Span<T> values, int fanIn, int fanOut, Random random)
        where T : struct, IFloatingPointIeee754<T>
        => Initializer.FillGaussian(values, Preconditions.CheckNotNull(random, nameof(random)), Mean, StandardDeviation);
}
