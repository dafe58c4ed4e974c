using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>Checks the overfitting exercises: by hand, by finite differences, or against the library.</summary>
public class OverfittingTests
{
    [Fact(DisplayName = "Exercise 17: with p = 0.5 every value is 0 or 2")]
    public void Exercise17_ValuesAreZeroOrTheScale()
    {
        double[] mask = Overfitting.DropoutMask(1000, 0.5, new Random(1));
        Assert.All(mask, v => Assert.True(v == 0 || v == 2, $"a mask value is {v}, not 0 or 1/(1 − 0.5) = 2"));
    }

    [Fact(DisplayName = "Exercise 17: with p = 0.3, over 200,000 neurons the mean is 1 and 30% are off")]
    public void Exercise17_KeepsTheExpectedValue()
    {
        double[] mask = Overfitting.DropoutMask(200_000, 0.3, new Random(2));
        Assert.Equal(1, mask.Average(), 0.01);
        Assert.Equal(0.3, mask.Count(v => v == 0) / 200_000.0, 0.005);
    }

    [Fact(DisplayName = "Exercise 17: one NextDouble() per neuron, in order, below p switches it off")]
    public void Exercise17_OneDrawPerNeuronInOrder()
    {
        var random = new Random(3);
        double[] draws = Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray();
        double[] mask = Overfitting.DropoutMask(10, 0.5, new Random(3));
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(draws[i] < 0.5 ? 0 : 2, mask[i]);
        }
    }

    [Fact(DisplayName = "Exercise 18: with Nielsen's ε 0.5, λ 5 and n 50,000 a weight of 1 decays to 0.99995")]
    public void Exercise18_NielsensNumbers()
    {
        // ε 0.5, λ 5, n 50,000 (chapter 3): a weight of 1 with no gradient from the data decays by ελ/n = 0.00005.
        Assert.Equal(0.99995, Overfitting.L2Step(1, 0, 0.5, 5, 50_000), 1e-15);
        Assert.Equal(0.99995 - 0.1, Overfitting.L2Step(1, 0.2, 0.5, 5, 50_000), 1e-15);
    }
}
