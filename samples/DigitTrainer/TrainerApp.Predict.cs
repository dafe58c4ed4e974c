using System.Numerics;
using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Training;

namespace DigitTrainer;

/// <content>predict: one picture or one test image through a saved model.</content>
internal static partial class TrainerApp
{
    private static async Task<int> PredictAsync<T>(TrainerOptions options, TextWriter output)
        where T : struct, IFloatingPointIeee754<T>
    {
        Network<T> network = LoadModel<T>(options);
        if (network.InputSize != 784 || network.OutputSize != 10)
        {
            throw new InvalidDataException($"{options.ModelPath}: the model maps {network.InputSize} inputs to {network.OutputSize} outputs; a digit model maps 784 pixels to 10 digits.");
        }

        MemoryCheck.CheckModel(network, options.ModelPath!, 1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

        byte[] pixels;
        string what;
        int? label = null;
        if (options.ImagePath is { } imagePath)
        {
            pixels = DigitImage.ToMnist(DigitImage.LoadGrey(imagePath), Path.GetFileName(imagePath));
            what = imagePath;
        }
        else
        {
            (MnistData<T> data, _, _) = await MnistSource.LoadAsync<T>(options, TextWriter.Null, testSetOnly: true);
            int index = options.Index!.Value;
            if (index >= data.Test.Count)
            {
                throw new UsageException($"--index {index}: the test set has {data.Test.Count} images (0 to {data.Test.Count - 1}).");
            }

            pixels = Pixels(data.Test.Inputs, index);
            label = data.Test.Labels![index];
            what = $"test image {index}";
        }

        var x = new Tensor<T>(1, 784);
        for (int j = 0; j < 784; j++)
        {
            x[0, j] = T.CreateChecked(pixels[j] / 255.0);
        }

        // The network knows its loss (a model file of format 3 stores it; else --loss): its head gives the probabilities.
        double[] outputs = [.. network.Predict(x).GetRow(0).Select(v => double.CreateChecked(v))];
        double sum = outputs.Sum();
        int digit = Array.IndexOf(outputs, outputs.Max());
        await output.WriteAsync(DigitImage.Draw([pixels], [what.Length > 30 ? "…" + what[^29..] : what], Width));
        if (what.Length > 30)
        {
            await output.WriteLineAsync(what);
        }

        await output.WriteLineAsync(label is { } l ? $"Predicted digit: {digit} (true label {l})" : $"Predicted digit: {digit}");
        await output.WriteLineAsync("Probabilities:");
        for (int d = 0; d < 10; d++)
        {
            double p = outputs[d] / sum; // softmax outputs already sum to 1; sigmoid outputs are normalised to read as shares
            await output.WriteLineAsync(FormattableString.Invariant($"  {d}: {100 * p,6:F2}% {new string('#', (int)Math.Round(p * 40))}"));
        }

        return 0;
    }
}
