using System.Globalization;
using DeepLearning;
using DeepLearning.Layers;
using DeepLearning.Training;

namespace DigitTrainer;

/// <summary>
/// Refuses, before anything is allocated, a network that cannot exist or that does not fit in the memory this process may
/// use, with one line that says how much it needs. It asks the layers: each layer's plan (from the registry, nothing built)
/// says how many parameters it allocates and how many values it keeps per sample of a batch, and the optimizer says how
/// many values of its own it keeps per parameter.
/// </summary>
internal static class MemoryCheck
{
    /// <summary>The rows the library evaluates at a time.</summary>
    public const int EvaluationRows = 1024;

    /// <summary>Throws a <see cref="UsageException"/> naming the network's option when the network is impossible or too large.</summary>
    public static void Check(TrainerOptions options, int trainSamples, int testSamples, long availableBytes)
    {
        long bytes, parameters;
        try
        {
            bytes = Estimate(options, trainSamples, testSamples, out parameters);
        }
        catch (OverflowException)
        {
            throw new UsageException($"{options.NetworkOption}: this network needs more memory than can be counted in 64 bits; use fewer or smaller layers.");
        }

        if (bytes > availableBytes)
        {
            string batch = options.BatchSize > 1024 ? string.Create(CultureInfo.InvariantCulture, $" with --batch-size {options.BatchSize}") : string.Empty;
            throw new UsageException(string.Create(
                CultureInfo.InvariantCulture,
                $"{options.NetworkOption}{batch}: this network ({parameters:N0} parameters) needs about {Gigabytes(bytes)} of memory to {(trainSamples > 0 ? "train" : "evaluate")}, but only {Gigabytes(availableBytes)} is available; use {(options.Layers is null ? "fewer neurons" : "fewer or smaller layers")}{(batch.Length > 0 ? " or smaller batches" : string.Empty)}."));
        }
    }

    /// <summary>
    /// Bytes to train (or, with no training samples, to evaluate): parameters, their gradients and the optimizer's state;
    /// each layer's buffers for every size of batch the run meets (a full and a last, partial training batch, a full and a
    /// last, partial evaluation batch); the data and its sample-major copy. Sizes in checked 64-bit arithmetic.
    /// </summary>
    public static long Estimate(TrainerOptions options, int trainSamples, int testSamples, out long parameters)
    {
        long size = options.UseDouble ? sizeof(double) : sizeof(float);
        parameters = 0;
        long perSample = 0;
        FeatureShape shape = TrainerOptions.Input;
        foreach (string spec in options.LayerSpecs())
        {
            LayerPlan plan = Registries.Layers.Plan(spec, shape); // the options were checked: every spec plans
            parameters = checked(parameters + plan.Parameters);
            perSample = checked(perSample + plan.ValuesPerSample);
            shape = plan.Output;
        }

        // A layer keeps its buffers for each size of batch it meets (up to four): the training batch and the last, partial
        // one of an epoch, the evaluation batch and the last, partial one of the test set.
        long rows = (trainSamples == 0 ? 0 : BatchRows(options.BatchSize, trainSamples)) + BatchRows(EvaluationRows, Math.Max(testSamples, 1));
        long copies = trainSamples == 0 ? 1 : 2 + options.CreateOptimizer().StatePerValue; // W; while training also ∂L/∂W and the optimizer's state
        long features = TrainerOptions.Input.Size + TrainerOptions.Classes;
        long data = checked((((long)trainSamples * 2) + testSamples) * features); // the images and targets, and the shuffled copy of the training set
        return checked(size * ((copies * parameters) + (perSample * rows) + data));
    }

    /// <summary>
    /// Refuses a loaded model whose layers would need more memory to run than this process may use — a small file can
    /// describe a network whose buffers need gigabytes — before its first forward pass, in one line naming the file.
    /// </summary>
    /// <param name="network">The model, loaded: its parameters are already in memory.</param>
    /// <param name="path">The model file, as given.</param>
    /// <param name="rows">The rows it reads at a time: 1,024 (the library's evaluation batch) to evaluate, 1 to predict.</param>
    /// <param name="availableBytes">What this process may use.</param>
    public static void CheckModel<T>(Network<T> network, string path, int rows, long availableBytes)
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        long perSample = 0;
        FeatureShape shape = network.InputShape;
        try
        {
            foreach (ILayer<T> layer in network.Layers)
            {
                LayerPlan plan = Registries.Layers.Plan(LayerRegistry.SpecOf(layer), shape);
                perSample = checked(perSample + plan.ValuesPerSample);
                shape = plan.Output;
            }

            long bytes = checked(System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * perSample * rows);
            if (bytes <= availableBytes)
            {
                return;
            }

            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}: its network ({network.Layers.Count:N0} layers, {network.ParameterCount:N0} parameters) needs about {Gigabytes(bytes)} of buffers to read {rows:N0} {(rows == 1 ? "image" : "images")} at a time, but only {Gigabytes(availableBytes)} is available."));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{path}: its network needs more memory to run than can be counted in 64 bits.");
        }
    }

    /// <summary>The rows of the batches <paramref name="samples"/> are cut into, one of each size: a full batch and the remainder.</summary>
    private static long BatchRows(int batch, int samples) => samples <= batch ? samples : batch + (samples % batch);

    private static string Gigabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:F1} GB");
}
