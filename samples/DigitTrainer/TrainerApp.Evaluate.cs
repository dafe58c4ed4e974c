using System.Numerics;
using DeepLearning.Data;
using DeepLearning.Training;

namespace DigitTrainer;

/// <content>evaluate: a saved model on the test set.</content>
internal static partial class TrainerApp
{
    private static async Task<int> EvaluateAsync<T>(TrainerOptions options, TextWriter output, TextWriter? json)
        where T : struct, IFloatingPointIeee754<T>
    {
        CheckOutputs(options);
        Network<T> network = LoadModel<T>(options);
        if (network.InputSize != 784 || network.OutputSize != 10)
        {
            throw new InvalidDataException($"{options.ModelPath}: the model maps {network.InputSize} inputs to {network.OutputSize} outputs; a digit model maps 784 pixels to 10 digits.");
        }

        MemoryCheck.CheckModel(network, options.ModelPath!, MemoryCheck.EvaluationRows, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

        (MnistData<T> data, DataSource source, string where) = await MnistSource.LoadAsync<T>(options, TextWriter.Null, testSetOnly: true);
        int[] predicted = network.PredictClasses(data.Test.Inputs);
        double accuracy = DeepLearning.Metrics.Accuracy.Compute(predicted, data.Test.Labels!);
        await output.WriteLineAsync($"Model: {options.ModelPath} ({network})");
        await output.WriteLineAsync($"Data: {data.Test.Count:N0} test images ({source.ToString().ToLowerInvariant()}: {where})");
        await output.WriteLineAsync(FormattableString.Invariant($"Test accuracy: {100 * accuracy:F2}% ({predicted.Where((p, i) => p != data.Test.Labels![i]).Count()} of {data.Test.Count:N0} wrong)"));
        if (options.ReportPath is { } reportPath)
        {
            string report = System.Text.Json.JsonSerializer.Serialize(new { testAccuracy = accuracy, model = options.ModelPath, network = network.ToString(), dataSource = source.ToString().ToLowerInvariant(), testSamples = data.Test.Count }, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            if (json is not null)
            {
                await json.WriteLineAsync(report);
            }
            else
            {
                DeepLearning.IO.AtomicFile.WriteAllText(reportPath, report);
                await output.WriteLineAsync($"Report written to {reportPath}");
            }
        }

        return 0;
    }
}
