namespace Exercises;

/// <summary>The exercises of the overfitting chapter: the reference solution, which CI runs the
/// chapter's tests against (<c>-p:Solutions=true</c>).</summary>
public static class Overfitting
{
    // Exercise 17 (the task is in the stub's doc comment).
    public static double[] DropoutMask(int n, double p, Random random)
    {
        var mask = new double[n];
        for (int i = 0; i < n; i++)
        {
            mask[i] = random.NextDouble() < p ? 0 : 1 / (1 - p);
        }

        return mask;
    }

    // Exercise 18 (the task is in the stub's doc comment).
    public static double L2Step(double w, double gradient, double learningRate, double lambda, int n)
    {
        return ((1 - (learningRate * lambda / n)) * w) - (learningRate * gradient);
    }
}
