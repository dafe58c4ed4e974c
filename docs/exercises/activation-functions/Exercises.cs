namespace Exercises;

/// <summary>The exercises of the activation functions chapter: replace each <c>throw</c> with your code, then run
/// <c>dotnet test</c> in this folder until every test passes.</summary>
public static class ActivationFunctions
{
    /// <summary>
    /// Exercise 4. The sigmoid's derivative, written with the sigmoid itself: σ′(z) = σ(z)·(1 − σ(z)).
    /// </summary>
    public static double SigmoidDerivative(double z)
    {
        throw new NotImplementedException("Exercise 4: not written yet.");
    }

    /// <summary>Exercise 5. The derivative of tanh: tanh′(z) = 1 − tanh²(z).</summary>
    public static double TanhDerivative(double z)
    {
        throw new NotImplementedException("Exercise 5: not written yet.");
    }

    /// <summary>
    /// Exercise 6. Softmax that never overflows: p_i = exp(z_i − m) / Σ_j exp(z_j − m), with m the largest z.
    /// Subtracting m changes nothing mathematically, but exp(1000) is infinity in a double and exp(0) is not.
    /// </summary>
    public static double[] Softmax(double[] z)
    {
        throw new NotImplementedException("Exercise 6: not written yet.");
    }
}
