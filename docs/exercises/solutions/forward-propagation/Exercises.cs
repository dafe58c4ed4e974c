namespace Exercises;

/// <summary>The exercises of the forward propagation chapter: the reference solution, which CI runs the
/// chapter's tests against (<c>-p:Solutions=true</c>).</summary>
public static class ForwardPropagation
{
    // Exercise 1 (the task is in the stub's doc comment).
    public static double[] LayerOutput(double[] x, double[,] w, double[] b)
    {
        var z = new double[w.GetLength(1)];
        for (int j = 0; j < z.Length; j++)
        {
            z[j] = b[j];
            for (int i = 0; i < x.Length; i++)
            {
                z[j] += x[i] * w[i, j];
            }
        }

        return z;
    }

    // Exercise 2 (the task is in the stub's doc comment).
    public static long ParameterCount(int[] sizes)
    {
        long count = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            count += ((long)sizes[l - 1] * sizes[l]) + sizes[l];
        }

        return count;
    }

    // Exercise 3 (the task is in the stub's doc comment).
    public static double[] Forward(
        double[] x, IReadOnlyList<(double[,] W, double[] B)> layers, Func<double, double> sigma)
    {
        double[] h = x;
        for (int l = 0; l < layers.Count; l++)
        {
            double[] z = LayerOutput(h, layers[l].W, layers[l].B);
            h = l == layers.Count - 1 ? z : Array.ConvertAll(z, v => sigma(v));
        }

        return h;
    }
}
