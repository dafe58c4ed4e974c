using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>
/// Checks the activation functions exercises: by hand, by finite differences, or against the library.
/// </summary>
public class ActivationFunctionsTests
{
    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The slope of f at z by central differences: (f(z + h) − f(z − h)) / 2h.</summary>
    private static double Slope(Func<double, double> f, double z, double h = 1e-5) => (f(z + h) - f(z - h)) / (2 * h);

    [Fact(DisplayName = "Exercise 4: σ′(0) = 0.25")]
    public void Exercise4_AtZero_IsAQuarter() => Assert.Equal(0.25, ActivationFunctions.SigmoidDerivative(0), 1e-15);

    [Theory(DisplayName = "Exercise 4: σ′(z) equals σ's slope by central differences, at z = −4, −0.7, 1.3, 6")]
    [InlineData(-4.0)]
    [InlineData(-0.7)]
    [InlineData(1.3)]
    [InlineData(6.0)]
    public void Exercise4_MatchesTheSlope(double z)
        => Assert.Equal(Slope(Sigmoid, z), ActivationFunctions.SigmoidDerivative(z), 1e-9);

    [Fact(DisplayName = "Exercise 5: tanh′(0) = 1")]
    public void Exercise5_AtZero_IsOne() => Assert.Equal(1, ActivationFunctions.TanhDerivative(0), 1e-15);

    [Theory(DisplayName = "Exercise 5: tanh′(z) equals its slope by central differences, at z = −3, −0.2, 0.9, 2.5")]
    [InlineData(-3.0)]
    [InlineData(-0.2)]
    [InlineData(0.9)]
    [InlineData(2.5)]
    public void Exercise5_MatchesTheSlope(double z)
        => Assert.Equal(Slope(Math.Tanh, z), ActivationFunctions.TanhDerivative(z), 1e-9);

    [Fact(DisplayName = "Exercise 6: softmax(1, 2, 3) is e^z_i / Σ e^z_j")]
    public void Exercise6_SmallValues_AsTheFormula()
    {
        double[] p = ActivationFunctions.Softmax([1, 2, 3]);
        double sum = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(1) / sum, p[0], 1e-15);
        Assert.Equal(Math.Exp(3) / sum, p[2], 1e-15);
    }

    [Fact(DisplayName = "Exercise 6: softmax(1000, 1000, −1000) is (0.5, 0.5, 0), with no overflow")]
    public void Exercise6_HugeValues_NoOverflow()
    {
        double[] p = ActivationFunctions.Softmax([1000, 1000, -1000]);
        Assert.Equal(0.5, p[0], 1e-15);
        Assert.Equal(0.5, p[1], 1e-15);
        Assert.Equal(0, p[2], 1e-15);
    }
}
