namespace Exercises;

/// <summary>The exercises of the gradient descent chapter: replace each <c>throw</c> with your code, then run
/// <c>dotnet test</c> in this folder until every test passes.</summary>
public static class GradientDescentExercises
{
    // The article's example: one weight w, one input x, a prediction w·x, a label y and the loss L = ½(w·x − y)².

    /// <summary>Exercise 9. The gradient ∂L/∂w of L = ½(w·x − y)².</summary>
    public static double Gradient(double w, double x, double y)
    {
        throw new NotImplementedException("Exercise 9: not written yet.");
    }

    /// <summary>Exercise 10. <paramref name="steps"/> steps of gradient descent from w: each w ← w − ε·∂L/∂w.</summary>
    public static double Descend(double w, double x, double y, double learningRate, int steps)
    {
        throw new NotImplementedException("Exercise 10: not written yet.");
    }

    /// <summary>
    /// Exercise 11. The learning rate above which the steps grow instead of shrinking. Hint: after a step the error w·x
    /// − y is multiplied by (1 − ε·x²); the steps shrink while that factor lies between −1 and 1.
    /// </summary>
    public static double LargestStableLearningRate(double x)
    {
        throw new NotImplementedException("Exercise 11: not written yet.");
    }
}
