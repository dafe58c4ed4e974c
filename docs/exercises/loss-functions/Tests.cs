using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>Checks the loss functions exercises: by hand, by finite differences, or against the library.</summary>
public class LossFunctionsTests
{
    [Fact(DisplayName = "Exercise 7: two equal logits give ln 2")]
    public void Exercise7_TwoEqualLogits_IsLn2()
        => Assert.Equal(Math.Log(2), LossFunctions.CrossEntropy([0, 0], 1), 1e-15);

    [Fact(DisplayName = "Exercise 7: logits (1000, 0) with label 0 give 0, not NaN")]
    public void Exercise7_ConfidentAndRight_IsZero()
        => Assert.Equal(0, LossFunctions.CrossEntropy([1000, 0], 0), 1e-12);

    [Fact(DisplayName = "Exercise 7: logits (1000, 0) with label 1 give 1000")]
    public void Exercise7_ConfidentAndWrong_IsTheGap()
        => Assert.Equal(1000, LossFunctions.CrossEntropy([1000, 0], 1), 1e-9);

    [Fact(DisplayName = "Exercise 7: small logits give −ln of the softmax")]
    public void Exercise7_AsMinusLnOfTheSoftmax()
    {
        double[] z = [0.5, -1.2, 2.0];
        double p = Math.Exp(2.0) / z.Sum(Math.Exp);
        Assert.Equal(-Math.Log(p), LossFunctions.CrossEntropy(z, 2), 1e-14);
    }

    [Fact(DisplayName = "Exercise 8: every ∂L/∂z_i equals the slope of the loss measured by central differences")]
    public void Exercise8_MatchesTheSlopeOfExercise7()
    {
        double[] z = [0.5, -1.2, 2.0, 0.1];
        double[] gradient = LossFunctions.CrossEntropyGradient(z, 1);
        for (int i = 0; i < z.Length; i++)
        {
            double[] up = (double[])z.Clone(), down = (double[])z.Clone();
            up[i] += 1e-6;
            down[i] -= 1e-6;
            double slope = (CrossEntropyOf(up) - CrossEntropyOf(down)) / 2e-6;
            Assert.Equal(slope, gradient[i], 1e-8);
        }

        static double CrossEntropyOf(double[] z) => Math.Log(z.Sum(Math.Exp)) - z[1];
    }

    [Fact(DisplayName = "Exercise 8: the gradient sums to 0")]
    public void Exercise8_SumsToZero()
        => Assert.Equal(0, LossFunctions.CrossEntropyGradient([3, 1, -2], 0).Sum(), 1e-15);
}
