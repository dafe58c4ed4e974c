namespace Exercises;

/// <summary>The exercises of the backpropagation chapter: replace each <c>throw</c> with your code, then run
/// <c>dotnet test</c> in this folder until every test passes.</summary>
public static class Backpropagation
{
    /// <summary>
    /// Exercise 12. Dense's backward pass. Forward, a batch X (m×n_in, one row per sample) gave Z = X·W + b. Given δ =
    /// ∂L/∂Z (m×n_out), return ∂L/∂W = Xᵀ·δ (n_in×n_out), ∂L/∂b = the sum of δ's rows (one per output neuron), and
    /// ∂L/∂X = δ·Wᵀ (m×n_in), which the layer before needs.
    /// </summary>
    public static (double[,] DW, double[] DB, double[,] DX) DenseBackward(double[,] x, double[,] w, double[,] delta)
    {
        throw new NotImplementedException("Exercise 12: not written yet.");
    }

    /// <summary>
    /// Exercise 13. Backward through a sigmoid: A = σ(Z) element by element, so given ∂L/∂A the gradient is ∂L/∂Z =
    /// ∂L/∂A ⊙ σ(Z)·(1 − σ(Z)) (⊙: element by element).
    /// </summary>
    public static double[,] SigmoidBackward(double[,] z, double[,] outputGradient)
    {
        throw new NotImplementedException("Exercise 13: not written yet.");
    }
}
