namespace Exercises;

/// <summary>The exercises of the overfitting chapter: replace each <c>throw</c> with your code, then run
/// <c>dotnet test</c> in this folder until every test passes.</summary>
public static class Overfitting
{
    /// <summary>
    /// Exercise 17. Inverted dropout's mask for one row of n neurons: each neuron is switched off (0) with probability
    /// p and otherwise kept, scaled by 1/(1 − p), so that the expected value of every neuron is unchanged. Draw one
    /// random.NextDouble() per neuron, in order, and switch it off when that number is below p.
    /// </summary>
    public static double[] DropoutMask(int n, double p, Random random)
    {
        throw new NotImplementedException("Exercise 17: not written yet.");
    }

    /// <summary>
    /// Exercise 18. L2's step on one weight: the penalty (λ/2n)·Σw² adds (λ/n)·w to the gradient, so one step of
    /// gradient descent is w ← w − ε·(∂C₀/∂w + (λ/n)·w) = (1 − ελ/n)·w − ε·∂C₀/∂w: the weight decays towards 0.
    /// </summary>
    public static double L2Step(double w, double gradient, double learningRate, double lambda, int n)
    {
        throw new NotImplementedException("Exercise 18: not written yet.");
    }
}
