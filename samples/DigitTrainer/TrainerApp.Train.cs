using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Metrics;
using DeepLearning.Optimizers;
using DeepLearning.Serialization;
using DeepLearning.Training;
using Spectre.Console;

namespace DigitTrainer;

/// <content>Training: the data, the network, the epochs, the test, and what is saved and reported.</content>
internal static partial class TrainerApp
{
    private static async Task<int> TrainAsync<T>(TrainerOptions options, TextWriter output, TextWriter? json, bool interactive)
        where T : struct, IFloatingPointIeee754<T>
    {
        // --resume: the run's network, optimizer (with its state) and settings come from its file, and it goes on from there.
        Network<T>? resumed = null;
        Checkpoint? checkpoint = null;
        if (options.ResumePath is { } resumePath)
        {
            (resumed, checkpoint) = ModelFile.LoadCheckpoint<T>(resumePath);
            if (checkpoint is null)
            {
                throw new InvalidDataException($"{resumePath}: the model holds no checkpoint of its training run; --resume continues a run the trainer saved with --save FILE.dlnn.");
            }

            options = options.WithRun(checkpoint.Settings, resumed.Layers.Select(LayerRegistry.SpecOf), resumed.Loss ?? options.Loss, resumePath);
            if (checkpoint.Progress.Epoch >= options.Epochs)
            {
                throw new UsageException(FormattableString.Invariant($"--resume {TrainerOptions.Quote(resumePath)}: the run already has {checkpoint.Progress.Epoch} epochs; --epochs counts the whole run, so give more than {checkpoint.Progress.Epoch}."));
            }
        }

        // Everything that can be refused is refused before minutes of loading and training: the network's size and memory,
        // and every output path (an unwritable --save would otherwise fail only after training).
        MemoryCheck.Check(options, Math.Min(options.TrainLimit ?? TrainerOptions.TrainingImages, TrainerOptions.TrainingImages), TrainerOptions.TestImages, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
        CheckOutputs(options);

        (MnistData<T> data, DataSource source, string where) = await MnistSource.LoadAsync<T>(options, output);
        DataSet<T> training = options.TrainLimit is { } limit ? data.Training.Take(limit) : data.Training;
        DataSet<T> test = data.Test;
        if (checkpoint is not null && training.Count != options.TrainLimit)
        {
            throw new InvalidDataException($"{options.ResumePath}: the run trained on {options.TrainLimit:N0} images, but {training.Count:N0} are here ({source.ToString().ToLowerInvariant()}); give the same data with --data to continue it.");
        }

        Network<T> network = resumed ?? options.BuildNetwork<T>();
        CheckFinite(network, options);
        IOptimizer optimizer = checkpoint?.Optimizer ?? options.CreateOptimizer();
        using IDisposable backendScope = DeepLearning.Compute.Backend.Use(ChooseBackend(options, output));
        string backend = DeepLearning.Compute.Backend.Current.Description;

        await output.WriteLineAsync($"Data: {training.Count:N0} training and {test.Count:N0} test images ({source.ToString().ToLowerInvariant()}: {where})");
        await output.WriteLineAsync($"Network: {string.Join(" ", options.LayerSpecs())} ({Shapes(network)}, {network.ParameterCount:N0} parameters), {options.Loss.Spec} loss, {(typeof(T) == typeof(float) ? "float" : "double")}");
        string extras = (options.Regularizer is { } r ? $", {r.Spec}" : string.Empty) + (options.Schedule is { } sc ? $", schedule {sc.Spec}" : string.Empty) + (options.Clip is { } c ? $", clip {c.Spec}" : string.Empty);
        string resuming = checkpoint is null ? string.Empty : FormattableString.Invariant($", resuming after epoch {checkpoint.Progress.Epoch} of {options.ResumePath}");
        await output.WriteLineAsync(FormattableString.Invariant($"Training: {optimizer.Spec}{extras}, batch size {options.BatchSize}, {options.Epochs} {(options.Epochs == 1 ? "epoch" : "epochs")}, seed {options.Seed}{resuming}"));

        var epochs = new List<EpochEntry>();
        var trainingOptions = new TrainingOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Regularizer = options.Regularizer,
            Schedule = options.Schedule,
            Clipping = options.Clip,
            Resume = checkpoint?.Progress,
        };
        TrainingHistory? history = null;
        long started = Stopwatch.GetTimestamp();
        if (interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SecondsColumn())
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
                    history = network.Fit(training, options.Loss, optimizer, trainingOptions with { BatchProgress = batchProgress }, test, epochProgress);
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
            history = network.Fit(training, options.Loss, optimizer, trainingOptions, test, epochProgress);
        }

        double totalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // The final model on the test set (never the best epoch's figure).
        Evaluation evaluation = network.Evaluate(test, options.Loss);
        int[] predicted = network.PredictClasses(test.Inputs);
        var confusion = new ConfusionMatrix(test.Labels!, predicted, 10);
        double[] perDigit = confusion.PerClassAccuracy();

        await output.WriteLineAsync();
        await output.WriteLineAsync(FormattableString.Invariant($"Test accuracy: {100 * evaluation.Accuracy!.Value:F2}% ({confusion.Total - (int)Math.Round(evaluation.Accuracy.Value * confusion.Total)} of {confusion.Total:N0} wrong), test loss {evaluation.Loss:F4}, {totalSeconds:F1} s of training"));
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
            else if (options.ModelOnly)
            {
                ModelFile.Save(network, savePath);
            }
            else
            {
                // With a checkpoint of the run (the optimizer's state, where it stands, its settings): --resume continues it.
                ModelFile.Save(network, savePath, new Checkpoint(optimizer, history!.Progress, options.RunSettings(training.Count)));
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
                evaluation.Accuracy!.Value,
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

    private static EpochEntry Entry(EpochReport e) => new(e.Epoch, e.TrainingLoss, e.ValidationAccuracy ?? double.NaN, e.Elapsed.TotalSeconds);

    private static string CompactEpochLine(EpochEntry e, int epochs)
        => string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  loss {e.TrainLoss:F4}  test {100 * e.TestAccuracy:F2}%");

    private static string EpochLine(EpochEntry e, int epochs)
        => string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.ToString(CultureInfo.InvariantCulture).Length)}/{epochs}  training loss {e.TrainLoss:F4}  test accuracy {100 * e.TestAccuracy:F2}%  {e.Seconds:F1} s");
}
