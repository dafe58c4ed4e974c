using DeepLearning;
using DeepLearning.Activations;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace Exercises.Tests;

/// <summary>Checks the backpropagation exercises: by hand, by finite differences, or against the library.</summary>
public class BackpropagationTests
{
    // A loss whose gradient we know: L = Σ G ⊙ f(…) for a fixed G, so ∂L/∂(output) = G. Every gradient is then
    // checked against the slope of L by central differences, one number at a time.
    private static readonly double[,] X = { { 0.5, -1.0, 2.0 }, { 1.5, 0.3, -0.7 } };
    private static readonly double[,] W = { { 0.2, -0.4 }, { 0.7, 0.1 }, { -0.3, 0.9 } };
    private static readonly double[] B = [0.05, -0.1];
    private static readonly double[,] G = { { 1.0, -2.0 }, { 0.5, 3.0 } };

    private static double Loss(double[,] x, double[,] w, double[] b)
    {
        double sum = 0;
        for (int s = 0; s < 2; s++)
        {
            for (int j = 0; j < 2; j++)
            {
                double z = b[j];
                for (int i = 0; i < 3; i++)
                {
                    z += x[s, i] * w[i, j];
                }

                sum += G[s, j] * z;
            }
        }

        return sum;
    }

    private static double Slope(double[,] a, int r, int c, Func<double> loss)
    {
        double keep = a[r, c];
        a[r, c] = keep + 1e-6;
        double up = loss();
        a[r, c] = keep - 1e-6;
        double down = loss();
        a[r, c] = keep;
        return (up - down) / 2e-6;
    }

    [Fact(DisplayName = "Exercise 12: every ∂L/∂W[i, j] equals the slope of L measured by central differences")]
    public void Exercise12_WeightGradient_MatchesTheSlopes()
    {
        var (dw, _, _) = Backpropagation.DenseBackward(X, W, G);
        double[,] w = (double[,])W.Clone();
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(Slope(w, i, j, () => Loss(X, w, B)), dw[i, j], 1e-7);
            }
        }
    }

    [Fact(DisplayName = "Exercise 12: ∂L/∂b is the sum of δ's rows")]
    public void Exercise12_BiasGradient_IsTheSumOfDeltasRows()
    {
        var (_, db, _) = Backpropagation.DenseBackward(X, W, G);
        Assert.Equal([1.5, 1.0], db);
    }

    [Fact(DisplayName = "Exercise 12: every ∂L/∂X[s, i] equals the slope of L measured by central differences")]
    public void Exercise12_InputGradient_MatchesTheSlopes()
    {
        var (_, _, dx) = Backpropagation.DenseBackward(X, W, G);
        double[,] x = (double[,])X.Clone();
        for (int s = 0; s < 2; s++)
        {
            for (int i = 0; i < 3; i++)
            {
                Assert.Equal(Slope(x, s, i, () => Loss(x, W, B)), dx[s, i], 1e-7);
            }
        }
    }

    [Fact(DisplayName = "Exercise 13: every ∂L/∂Z equals the slope of L measured by central differences")]
    public void Exercise13_MatchesTheSlopes()
    {
        double[,] z = { { -2.0, 0.0, 1.5 }, { 0.3, 4.0, -0.8 } };
        double[,] g = { { 1.0, -1.0, 2.0 }, { 0.5, 0.25, -3.0 } };
        double[,] dz = Backpropagation.SigmoidBackward(z, g);
        double Loss() => Enumerable.Range(0, 6).Sum(k => g[k / 3, k % 3] / (1 + Math.Exp(-z[k / 3, k % 3])));
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(Slope(z, r, c, Loss), dz[r, c], 1e-8);
            }
        }
    }
}
