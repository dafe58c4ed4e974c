using System.Globalization;

namespace DigitTrainer;

/// <summary>
/// Refuses, before anything is allocated, a network that cannot exist (a weight matrix over .NET's array limit) or that
/// does not fit in the memory this process may use, with one line that says how much it needs.
/// </summary>
internal static class MemoryCheck
{
    private const int Pixels = 784;
    private const int Classes = 10;
    private const int EvaluationRows = 1024;

    /// <summary>Throws a <see cref="UsageException"/> naming --hidden when the network is impossible or too large.</summary>
    public static void Check(TrainerOptions options, int trainSamples, int testSamples, long availableBytes)
    {
        long bytes, parameters;
        try
        {
            bytes = Estimate(options, trainSamples, testSamples, out parameters);
        }
        catch (OverflowException)
        {
            throw new UsageException($"--hidden {string.Join(',', options.Hidden)} with --batch-size {options.BatchSize}: this network needs more memory than can be counted in 64 bits; use fewer neurons or smaller batches.");
        }

        if (bytes > availableBytes)
        {
            throw new UsageException(string.Create(
                CultureInfo.InvariantCulture,
                $"--hidden {string.Join(',', options.Hidden)}: this network ({parameters:N0} parameters) needs about {Gigabytes(bytes)} of memory to train, but only {Gigabytes(availableBytes)} is available; use fewer neurons."));
        }
    }

    /// <summary>
    /// Bytes to train: weights, gradients and velocities; each layer's buffers for a training batch and an evaluation batch;
    /// the data set and its sample-major copy. Sizes in checked 64-bit arithmetic; a matrix over the array limit is refused.
    /// </summary>
    public static long Estimate(TrainerOptions options, int trainSamples, int testSamples, out long parameters)
    {
        long size = options.UseDouble ? sizeof(double) : sizeof(float);
        int[] sizes = [Pixels, .. options.Hidden, Classes];
        parameters = 0;
        long activations = 0;
        for (int l = 1; l < sizes.Length; l++)
        {
            long weights = checked((long)sizes[l - 1] * sizes[l]);
            if (weights > Array.MaxLength)
            {
                throw new UsageException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"--hidden {string.Join(',', options.Hidden)}: layer {l}'s weight matrix would be {sizes[l - 1]:N0}×{sizes[l]:N0} = {weights:N0} values, more than the {Array.MaxLength:N0} a .NET array can hold; use fewer neurons."));
            }

            parameters = checked(parameters + weights + sizes[l]);
            long rows = Math.Max(Math.Min(options.BatchSize, trainSamples), EvaluationRows);
            activations = checked(activations + (rows * ((3L * sizes[l]) + sizes[l - 1])));
        }

        long optimizerCopies = options.CreateOptimizer() switch
        {
            DeepLearning.Optimizers.Adam => 4, // W, ∂L/∂W, m and v
            DeepLearning.Optimizers.GradientDescent { Momentum: > 0 } => 3, // W, ∂L/∂W and the velocity
            _ => 2,
        };
        long data = checked((long)(trainSamples + testSamples) * (Pixels + Classes) * 2); // tensors + the shuffled copy
        return checked(size * ((optimizerCopies * parameters) + activations + data));
    }

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F1} GB");
}
