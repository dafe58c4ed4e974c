namespace Exercises;

/// <summary>The exercises of the gradient descent chapter: the reference solution, which CI runs the
/// chapter's tests against (<c>-p:Solutions=true</c>).</summary>
public static class GradientDescentExercises
{
    // The article's example: one weight w, one input x, a prediction w·x, a label y and the loss L = ½(w·x − y)².

    // Exercise 9 (the task is in the stub's doc comment).
    public static double Gradient(double w, double x, double y)
    {
        return ((w * x) - y) * x;
    }

    // Exercise 10 (the task is in the stub's doc comment).
    public static double Descend(double w, double x, double y, double learningRate, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            w -= learningRate * Gradient(w, x, y);
        }

        return w;
    }

    // Exercise 11 (the task is in the stub's doc comment).
    public static double LargestStableLearningRate(double x)
    {
        return 2 / (x * x);
    }
}
