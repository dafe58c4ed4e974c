using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DeepLearning;
using Samples.Common;
using DeepLearning.Activations;
using DeepLearning.Data;
using DeepLearning.Initialization;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Metrics;
using DeepLearning.Optimizers;
using DeepLearning.Serialization;
using DeepLearning.Training;
using Spectre.Console;

namespace DigitTrainer;

/// <summary>The trainer's whole run, callable from tests with their own writers.</summary>
internal static class TrainerApp
{
    private static readonly AsyncLocal<int?> LayoutWidth = new();

    /// <summary>
    /// The columns everything a person reads is laid out in (<see cref="ConsoleLayout"/>): the terminal's width, $COLUMNS, or
    /// 80 when there is none (output piped or redirected, tests); each run (and each test) has its own.
    /// </summary>
    public static int Width
    {
        get => LayoutWidth.Value ?? ConsoleLayout.DefaultWidth;
        set => LayoutWidth.Value = Math.Max(ConsoleLayout.MinimumWidth, value);
    }

    /// <summary>
    /// Whether an error is wrapped at <see cref="Width"/> (the standard error is a terminal a person reads) instead of
    /// written as the one line a script reads.
    /// </summary>
    public static bool WrapErrors { get; set; }

    /// <summary>Runs the trainer with these arguments; what a person reads is laid out at <paramref name="width"/> columns (default <see cref="Width"/>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool interactive, int? width = null)
    {
        if (width is { } columns)
        {
            Width = columns;
        }

        var laidOut = new LayoutWriter(output, Width);
        try
        {
            return await RunAsync(args, output, laidOut, error, interactive);
        }
        finally
        {
            await laidOut.FlushAsync();
        }
    }

    private static async Task<int> RunAsync(string[] args, TextWriter raw, TextWriter output, TextWriter error, bool interactive)
    {
        try
        {
            TrainerOptions options = TrainerOptions.Parse(args);
            if (options.ShowHelp)
            {
                await output.WriteAsync(TrainerOptions.Help);
                return 0;
            }

            // --report -: the JSON alone on the standard output, as written, so it pipes; what a person reads goes to the
            // standard error, laid out.
            (TextWriter human, TextWriter? json) = options.ReportPath == "-" ? ((TextWriter)new LayoutWriter(error, Width), (TextWriter?)raw) : (output, null);
            if (options.Evaluate)
            {
                return options.UseDouble ? await EvaluateAsync<double>(options, human, json) : await EvaluateAsync<float>(options, human, json);
            }

            if (options.Predict)
            {
                return options.UseDouble ? await PredictAsync<double>(options, output) : await PredictAsync<float>(options, output);
            }

            return options.UseDouble
                ? await TrainAsync<double>(options, human, json, interactive)
                : await TrainAsync<float>(options, human, json, interactive);
        }
        catch (UsageException e)
        {
            await WriteErrorAsync(error, e.Message);
            return 2;
        }
        catch (Exception e) when (e is MnistSource.DataException or IOException or InvalidDataException or UnauthorizedAccessException or TrainingDivergedException
            or ArgumentException or NotSupportedException)
        {
            // ArgumentException and NotSupportedException: what the library refuses to save or load (non-finite weights, a
            // kind it cannot build); the checks above refuse what they can before training, this says the rest in one line.
            await WriteErrorAsync(error, e.Message);
            return 1;
        }
        catch (OutOfMemoryException)
        {
            await WriteErrorAsync(error, "out of memory: the network, the batch or the data is larger than this machine can hold; try fewer or smaller layers or a smaller --batch-size.");
            return 1;
        }
    }

    /// <summary>
    /// <c>error: </c> and the message: one line for a script (the error contract), wrapped at spaces when
    /// <see cref="WrapErrors"/> says a person reads it in a terminal.
    /// </summary>
    private static Task WriteErrorAsync(TextWriter error, string message)
    {
        string line = $"error: {OneLine(message)}";
        return error.WriteLineAsync(WrapErrors ? ConsoleLayout.Format(line, Width) : line);
    }

    /// <summary>A message as one line: line breaks become spaces, other control characters '?', .NET's "(Parameter 'x')" dropped.</summary>
    internal static string OneLine(string message)
    {
        string line = message.Split(" (Parameter '", StringSplitOptions.None)[0].Trim();
        return new string([.. line.Select(c => c is '\n' or '\r' or '\t' ? ' ' : char.IsControl(c) ? '?' : c)]);
    }

    private static async Task<int> TrainAsync<T>(TrainerOptions options, TextWriter output, TextWriter? json, bool interactive)
        where T : struct, IFloatingPointIeee754<T>
    {
        // Everything that can be refused is refused before minutes of loading and training: the network's size and memory,
        // and every output path (an unwritable --save would otherwise fail only after training).
        MemoryCheck.Check(options, Math.Min(options.TrainLimit ?? TrainerOptions.TrainingImages, TrainerOptions.TrainingImages), TrainerOptions.TestImages, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        CheckOutputs(options);

        (MnistData<T> data, DataSource source, string where) = await MnistSource.LoadAsync<T>(options, output);
        DataSet<T> training = options.TrainLimit is { } limit ? data.Training.Take(limit) : data.Training;
        DataSet<T> test = data.Test;
        Network<T> network = options.BuildNetwork<T>();
        CheckFinite(network, options);
        IOptimizer optimizer = options.CreateOptimizer();
        using IDisposable backendScope = DeepLearning.Compute.Backend.Use(ChooseBackend(options, output));
        string backend = DeepLearning.Compute.Backend.Current.Description;

        await output.WriteLineAsync($"Data: {training.Count:N0} training and {test.Count:N0} test images ({source.ToString().ToLowerInvariant()}: {where})");
        await output.WriteLineAsync($"Network: {string.Join(" ", options.LayerSpecs())} ({Shapes(network)}, {network.ParameterCount:N0} parameters), {options.Loss.Spec} loss, {(typeof(T) == typeof(float) ? "float" : "double")}");
        await output.WriteLineAsync(FormattableString.Invariant($"Training: {optimizer.Spec}{(options.Regularizer is { } r ? $", {r.Spec}" : string.Empty)}, batch size {options.BatchSize}, {options.Epochs} {(options.Epochs == 1 ? "epoch" : "epochs")}, seed {options.Seed}"));

        var epochs = new List<EpochEntry>();
        var trainingOptions = new TrainingOptions { Epochs = options.Epochs, BatchSize = options.BatchSize, Seed = options.Seed, Regularizer = options.Regularizer };
        long started = Stopwatch.GetTimestamp();
        if (interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(context =>
                {
                    ProgressTask? task = null;
                    var batchProgress = new Callback<BatchReport>(b =>
                    {
                        task ??= context.AddTask($"epoch {b.Epoch}/{options.Epochs}", maxValue: b.Batches);
                        task.Value = b.Batch;
                    });
                    var epochProgress = new Callback<EpochReport>(e =>
                    {
                        EpochEntry entry = Entry(e);
                        epochs.Add(entry);
                        task ??= context.AddTask($"epoch {e.Epoch}/{options.Epochs}", maxValue: 1);
                        task.Description = CompactEpochLine(entry, options.Epochs); // the bar, % and clock follow: keep it short
                        task.Value = task.MaxValue;
                        task.StopTask(); // a finished epoch's clock stops at its own duration
                        task = null;
                    });
                    network.Fit(training, options.Loss, optimizer, trainingOptions with { BatchProgress = batchProgress }, test, epochProgress);
                });
        }
        else
        {
            var epochProgress = new Callback<EpochReport>(e =>
            {
                EpochEntry entry = Entry(e);
                epochs.Add(entry);
                output.WriteLine(EpochLine(entry, options.Epochs));
            });
            network.Fit(training, options.Loss, optimizer, trainingOptions, test, epochProgress);
        }

        double totalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The final model on the test set (never the best epoch's figure).
        Evaluation evaluation = network.Evaluate(test, options.Loss);
        int[] predicted = network.PredictClasses(test.Inputs);
        var confusion = new ConfusionMatrix(test.Labels!, predicted, 10);
        double[] perDigit = confusion.PerClassAccuracy();

        await output.WriteLineAsync();
        await output.WriteLineAsync(FormattableString.Invariant($"Test accuracy: {100 * evaluation.Accuracy:F2}% ({confusion.Total - (int)Math.Round(evaluation.Accuracy * confusion.Total)} of {confusion.Total:N0} wrong), test loss {evaluation.Loss:F4}, {totalSeconds:F1} s of training"));
        await output.WriteLineAsync();
        await output.WriteLineAsync("Confusion matrix (rows: true digit, columns: predicted digit):");
        await output.WriteLineAsync(confusion.ToString());
        await output.WriteLineAsync();
        await output.WriteLineAsync("Per-digit accuracy: " + string.Join("  ", perDigit.Select((a, d) => FormattableString.Invariant($"{d}:\u00a0{100 * a:F1}%"))));
        await ShowMistakesAsync(output, data.Test, predicted, options.Show);

        if (options.SavePath is { } savePath)
        {
            if (IsSafeTensors(savePath))
            {
                SafeTensors.Save(network, savePath);
            }
            else
            {
                ModelFile.Save(network, savePath);
            }

            await output.WriteLineAsync($"Model saved to {savePath}");
        }

        if (options.OnnxPath is { } onnxPath)
        {
            OnnxExport.Save(network, onnxPath);
            await output.WriteLineAsync($"ONNX model written to {onnxPath} (input 'input' [batch, 784]; outputs 'output' and 'probabilities')");
        }

        if (options.PlotPath is { } plotPath)
        {
            TrainingPlot.Save(plotPath, epochs, FormattableString.Invariant(
                $"MNIST, {Shapes(network)} network, {options.Loss.Spec.Replace('_', '-')} loss: {100 * evaluation.Accuracy:F2}% on the test set"));
            await output.WriteLineAsync($"Plot saved to {plotPath}");
        }

        if (options.ReportPath is { } reportPath)
        {
            var report = new TrainingReport(
                evaluation.Accuracy,
                evaluation.Loss,
                source.ToString().ToLowerInvariant(),
                training.Count,
                test.Count,
                backend,
                typeof(T) == typeof(float) ? "float" : "double",
                network.ToString(),
                options.LayerSpecs(),
                options.Loss.Spec,
                optimizer.Spec,
                optimizer.LearningRate,
                options.BatchSize,
                options.Seed,
                totalSeconds,
                epochs,
                perDigit);
            if (json is not null)
            {
                await json.WriteLineAsync(report.ToJson());
            }
            else
            {
                report.Write(reportPath);
                await output.WriteLineAsync($"Report written to {reportPath}");
            }
        }

        return 0;
    }

    /// <summary>Every output path is checked before any work: a folder, a special file or a symbolic link is refused, nothing is created.</summary>
    private static void CheckOutputs(TrainerOptions options)
    {
        foreach ((string option, string path) in options.Outputs())
        {
            try
            {
                DeepLearning.IO.AtomicFile.CheckWritable(path);
            }
            catch (IOException e)
            {
                throw new UsageException($"{option} {OneLine(e.Message)}");
            }
        }
    }

    /// <summary>
    /// The initial weights must be numbers: an initializer whose draws overflow the element type (gaussian(0, 1e300) in
    /// float) is refused before training, naming the option, rather than after it when nothing can be saved.
    /// </summary>
    private static void CheckFinite<T>(Network<T> network, TrainerOptions options)
        where T : struct, IFloatingPointIeee754<T>
    {
        foreach (ILayer<T> layer in network.Layers)
        {
            foreach (Parameter<T> parameter in layer.Parameters)
            {
                foreach (T value in parameter.Values)
                {
                    if (!T.IsFinite(value))
                    {
                        string option = options.Layers is not null ? "--layers" : parameter.IsWeight ? $"--init {options.Init}" : $"--bias-init {options.BiasInit}";
                        throw new UsageException($"{option}: the initial {parameter.Name} holds {value} in {(typeof(T) == typeof(float) ? "float" : "double")}; choose an initializer whose values are finite (a smaller standard deviation).");
                    }
                }
            }
        }
    }

    /// <summary>The backend: managed unless native is asked for (a choice that never depends on a timing), said in one line.</summary>
    private static DeepLearning.Compute.LinearAlgebraBackend ChooseBackend(TrainerOptions options, TextWriter output)
    {
        string? setting = options.Backend ?? Environment.GetEnvironmentVariable(DeepLearning.Compute.Backend.EnvironmentVariable);
        var chosen = DeepLearning.Compute.Backend.Choose(setting, output);
        string why = string.IsNullOrWhiteSpace(setting) ? "the default" : $"as asked with {(options.Backend is null ? DeepLearning.Compute.Backend.EnvironmentVariable + "=" + setting : "--backend " + setting)}";
        output.WriteLine($"Backend: {chosen.Description}, {why}");
        return chosen;
    }

    /// <summary>The shapes through the network, without its element type: <c>1×28×28→800→10</c>.</summary>
    private static string Shapes<T>(Network<T> network)
        where T : struct, IFloatingPointIeee754<T>
        => $"{network.InputShape}→{string.Join("→", network.Layers.Select(l => l.OutputShape))}";

    private static async Task<int> PredictAsync<T>(TrainerOptions options, TextWriter output)
        where T : struct, IFloatingPointIeee754<T>
    {
        Network<T> network = LoadModel<T>(options);
        if (network.InputSize != 784 || network.OutputSize != 10)
        {
            throw new InvalidDataException($"{options.ModelPath}: the model maps {network.InputSize} inputs to {network.OutputSize} outputs; a digit model maps 784 pixels to 10 digits.");
        }

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

    private static bool IsSafeTensors(string path) => path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);

    /// <summary>A .dlnn model, or a .safetensors one: with our architecture metadata, or (PyTorch's) built from --layers or --hidden.</summary>
    private static Network<T> LoadModel<T>(TrainerOptions options)
        where T : struct, IFloatingPointIeee754<T>
    {
        string path = options.ModelPath!;
        Network<T> network;
        if (!IsSafeTensors(path))
        {
            network = ModelFile.Load<T>(path);
        }
        else
        {
            try
            {
                network = SafeTensors.Load<T>(path);
            }
            catch (InvalidDataException e) when (e.Message.Contains("no 'deeplearning.layers' metadata", StringComparison.Ordinal))
            {
                MemoryCheck.Check(options, 0, TrainerOptions.TestImages, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
                network = options.BuildNetwork<T>();
                SafeTensors.LoadInto(network, path);
            }
        }

        network.Loss ??= options.Loss; // a file that does not store its loss (format 2, PyTorch): --loss, cross-entropy by default
        return network;
    }

    private static async Task<int> EvaluateAsync<T>(TrainerOptions options, TextWriter output, TextWriter? json)
        where T : struct, IFloatingPointIeee754<T>
    {
        CheckOutputs(options);
        Network<T> network = LoadModel<T>(options);
        if (network.InputSize != 784 || network.OutputSize != 10)
        {
            throw new InvalidDataException($"{options.ModelPath}: the model maps {network.InputSize} inputs to {network.OutputSize} outputs; a digit model maps 784 pixels to 10 digits.");
        }

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

    private static async Task ShowMistakesAsync<T>(TextWriter output, DataSet<T> test, int[] predicted, int count)
        where T : struct, IFloatingPointIeee754<T>
    {
        var wrong = Enumerable.Range(0, test.Count).Where(i => predicted[i] != test.Labels![i]).Take(count).ToArray();
        if (wrong.Length == 0)
        {
            return;
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync($"Some misclassified test digits:");
        var images = wrong.Select(i => (ReadOnlyMemory<byte>)Pixels(test.Inputs, i)).ToList();
        var captions = wrong.Select(i => $"#{i}: true {test.Labels![i]}, predicted {predicted[i]}").ToList();
        await output.WriteAsync(DigitImage.Draw(images, captions, Width));
    }

    /// <summary>One image of a data set back as grey bytes, 0–255.</summary>
    private static byte[] Pixels<T>(Tensor<T> images, int index)
        where T : struct, IFloatingPointIeee754<T>
        => [.. images.GetRow(index).Select(v => (byte)Math.Round(255 * double.CreateChecked(v)))];

    private static EpochEntry Entry(EpochReport e) => new(e.Epoch, e.TrainingLoss, e.ValidationAccuracy ?? double.NaN, e.Elapsed.TotalSeconds);

    private static string CompactEpochLine(EpochEntry e, int epochs)
        => string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  loss {e.TrainLoss:F4}  test {100 * e.TestAccuracy:F2}%");

    private static string EpochLine(EpochEntry e, int epochs)
        => string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  training loss {e.TrainLoss:F4}  test accuracy {100 * e.TestAccuracy:F2}%  {e.Seconds:F1} s");

    /// <summary>An <see cref="IProgress{T}"/> that reports on the training thread (no synchronisation context).</summary>
    private sealed class Callback<TValue>(Action<TValue> action) : IProgress<TValue>
    {
        public void Report(TValue value) => action(value);
    }
}
