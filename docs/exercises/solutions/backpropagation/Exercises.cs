namespace Exercises;

/// <summary>The exercises of the backpropagation chapter: the reference solution, which CI runs the
/// chapter's tests against (<c>-p:Solutions=true</c>).</summary>
public static class Backpropagation
{
    // Exercise 12 (the task is in the stub's doc comment).
    public static (double[,] DW, double[] DB, double[,] DX) DenseBackward(double[,] x, double[,] w, double[,] delta)
    {
        int m = x.GetLength(0), nIn = w.GetLength(0), nOut = w.GetLength(1);
        var dw = new double[nIn, nOut];
        var db = new double[nOut];
        var dx = new double[m, nIn];
        for (int s = 0; s < m; s++)
        {
            for (int j = 0; j < nOut; j++)
            {
                db[j] += delta[s, j];
                for (int i = 0; i < nIn; i++)
                {
                    dw[i, j] += x[s, i] * delta[s, j];
                    dx[s, i] += delta[s, j] * w[i, j];
                }
            }
        }

        return (dw, db, dx);
    }

    // Exercise 13 (the task is in the stub's doc comment).
    public static double[,] SigmoidBackward(double[,] z, double[,] outputGradient)
    {
        var dz = new double[z.GetLength(0), z.GetLength(1)];
        for (int r = 0; r < z.GetLength(0); r++)
        {
            for (int c = 0; c < z.GetLength(1); c++)
            {
                double s = 1 / (1 + Math.Exp(-z[r, c]));
                dz[r, c] = outputGradient[r, c] * s * (1 - s);
            }
        }

        return dz;
    }
}
