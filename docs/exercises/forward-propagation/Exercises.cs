namespace Exercises;

/// <summary>The exercises of the forward propagation chapter: replace each <c>throw</c> with your code, then run
/// <c>dotnet test</c> in this folder until every test passes.</summary>
public static class ForwardPropagation
{
    /// <summary>
    /// Exercise 1. One layer by hand: z_j = Σ_i x_i·W[i, j] + b_j. W has one row per neuron the connections come from
    /// and one column per neuron they go to, so x has W's row count and z has its column count.
    /// </summary>
    public static double[] LayerOutput(double[] x, double[,] w, double[] b)
    {
        throw new NotImplementedException("Exercise 1: not written yet.");
    }

    /// <summary>
    /// Exercise 2. How many numbers a network of dense layers learns: for each pair of neighbouring layers, the weight
    /// matrix (n_in×n_out) and one bias per neuron of the second layer. sizes = [784, 30, 10] is Nielsen's network.
    /// </summary>
    public static long ParameterCount(int[] sizes)
    {
        throw new NotImplementedException("Exercise 2: not written yet.");
    }

    /// <summary>
    /// Exercise 3. Forward propagation through a whole network: h = σ(h·W + b), layer after layer, starting from h = x;
    /// every layer uses the same activation σ except the last, which gives z as it is (no activation).
    /// </summary>
    public static double[] Forward(
        double[] x, IReadOnlyList<(double[,] W, double[] B)> layers, Func<double, double> sigma)
    {
        throw new NotImplementedException("Exercise 3: not written yet.");
    }
}
