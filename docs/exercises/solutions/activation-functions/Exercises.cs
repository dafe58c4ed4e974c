namespace Exercises;

/// <summary>The exercises of the activation functions chapter: the reference solution, which CI runs the
/// chapter's tests against (<c>-p:Solutions=true</c>).</summary>
public static class ActivationFunctions
{
    // Exercise 4 (the task is in the stub's doc comment).
    public static double SigmoidDerivative(double z)
    {
        double s = 1 / (1 + Math.Exp(-z));
        return s * (1 - s);
    }

    // Exercise 5 (the task is in the stub's doc comment).
    public static double TanhDerivative(double z)
    {
        double t = Math.Tanh(z);
        return 1 - (t * t);
    }

    // Exercise 6 (the task is in the stub's doc comment).
    public static double[] Softmax(double[] z)
    {
        double m = z.Max();
        double[] e = Array.ConvertAll(z, v => Math.Exp(v - m));
        double sum = e.Sum();
        return Array.ConvertAll(e, v => v / sum);
    }
}
