using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Generation;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Serialization;
using DeepLearning.Text;
using DeepLearning.Training;
using Samples.Common;

namespace NameWriter;

/// <summary>The name writer's whole run, callable from tests with their own writers.</summary>
internal static class WriterApp
{
    /// <summary>Runs the name writer: 0 when done, 2 after a usage error, 1 after a data or file error (one <c>error:</c> line).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, int width, bool progress)
        => SampleCommand.RunAsync(
            args, output, error, width, WriterOptions.Command(), WriterOptions.Help, WriterOptions.From, o => o.Outputs(), o => o.Report,
            async (options, human) => (await RunAsync(options, human, progress ? error : null, width)).ToJson());

    private static async Task<WriterReport> RunAsync(WriterOptions options, TextWriter output, TextWriter? progress, int width)
    {
        (string[] all, NameOrigin origin, string where) = await NameSource.LoadAsync(options.Data, options.Cache, options.Offline, output);
        (string[] train, string[] dev, string[] test) = NameList.Split(all, WriterOptions.SplitSeed);
        if (options.Quick && train.Length > WriterOptions.QuickNames)
        {
            train = train[..WriterOptions.QuickNames];
        }

        Network<float> network;
        CharacterVocabulary vocabulary;
        int longest = all.Max(n => n.EnumerateRunes().Count());
        if (options.Load is { } load)
        {
            (network, vocabulary) = Load(load, options, all, longest + 1);
        }
        else
        {
            vocabulary = CharacterVocabulary.FromTexts(all);
            network = Build(options, vocabulary.Count, longest + 1);
            vocabulary.WriteTo(network);
        }

        int positions = network.InputShape.IsSequence ? network.InputShape.Positions : network.InputSize;
        if (longest >= positions)
        {
            throw new InvalidDataException($"{where}: its longest name has {longest} characters, but {options.Load}'s network reads {positions} positions (at most {positions - 1} characters and the start).");
        }

        DataSet<float> trainData = Encode(vocabulary, train, positions, where), devData = Encode(vocabulary, dev, positions, where), testData = Encode(vocabulary, test, positions, where);
        await output.WriteLineAsync(Invariant($"Data: {all.Length:N0} names ({Origin(origin)}: {where}), {vocabulary.Count - 1} characters, the longest {longest}; {train.Length:N0} for training, {dev.Length:N0} for validation, {test.Length:N0} for testing"));
        string layers = options.Load is null ? Rung.Substitute(options.LayerText, vocabulary.Count, positions) : string.Join(" ", network.Layers.Select(LayerRegistry.SpecOf));
        await output.WriteLineAsync(Invariant($"Network: {options.Load ?? options.NetworkName}: {layers} ({network.InputShape}→{network.OutputShape}, {network.ParameterCount:N0} parameters)"));

        var epochs = new List<WriterReport.Epoch>();
        double seconds = 0;
        IOptimizer? optimizer = null;
        if (options.Load is null && options.EpochCount > 0)
        {
            optimizer = Registries.Optimizers.Create(options.OptimizerSpec);
            await output.WriteLineAsync(Invariant($"Training: {optimizer.Spec}, schedule {options.ScheduleOrDefault.Spec}, batch size {options.Batch}, {options.EpochCount} {(options.EpochCount == 1 ? "epoch" : "epochs")}, seed {options.Seed}"));
            long started = Stopwatch.GetTimestamp();
            var trainingOptions = new TrainingOptions
            {
                Epochs = options.EpochCount,
                BatchSize = options.Batch,
                Seed = options.Seed,
                Schedule = options.ScheduleOrDefault,
                BatchProgress = progress is null ? null : new Callback<BatchReport>(b => progress.Write(Invariant($"\repoch {b.Epoch}/{options.EpochCount}: {100 * b.Batch / b.Batches,3}%"))),
            };
            network.Fit(trainData, Loss.CrossEntropy, optimizer, trainingOptions, devData, new Callback<EpochReport>(e =>
            {
                progress?.Write("\r" + new string(' ', 24) + "\r");
                epochs.Add(new WriterReport.Epoch(e.Epoch, e.TrainingLoss, e.ValidationLoss ?? double.NaN, e.Elapsed.TotalSeconds));
                string count = options.EpochCount.ToString(CultureInfo.InvariantCulture);
                output.WriteLine(Invariant($"epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(count.Length)}/{count}  training loss {e.TrainingLoss:F4}  validation loss {e.ValidationLoss:F4}  {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s"));
            }));
            seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        // The final model on each split (the training loss measured again, not the running average of the epoch).
        double trainLoss = network.Evaluate(trainData, Loss.CrossEntropy).Loss;
        double devLoss = network.Evaluate(devData, Loss.CrossEntropy).Loss;
        double testLoss = network.Evaluate(testData, Loss.CrossEntropy).Loss;
        double counting = CountingBigram(vocabulary, train, test);
        await output.WriteLineAsync();
        await output.WriteLineAsync("Loss in nats per character (−ln p of each next character, its end included):");
        string makemore = options.Layers is null && options.Load is null && options.Model.Makemore is { } m ? Invariant($"{m:F2}") : "—";
        await output.WriteAsync(Table.Format(
            ["", "training", "validation", "test", $"makemore's {(options.Layers is null ? options.Model.Name : "model")} (test)"],
            [[options.Load is null ? "this run" : "loaded", Invariant($"{trainLoss:F4}"), Invariant($"{devLoss:F4}"), Invariant($"{testLoss:F4}"), makemore]],
            width));
        await output.WriteLineAsync(Invariant($"Counting pairs of characters (a bigram table with add-one smoothing) scores {counting:F4} on this test set; {(seconds > 0 ? $"{seconds:F1} s of training" : "no training")}."));

        // New names: every one starts with the boundary token and ends when the model writes it again.
        var sampler = new TokenSampler(options.Temperature, options.TopK);
        string[] written = options.Names == 0 ? [] : [.. sampler.Generate(network, options.Names, CharacterVocabulary.Boundary, CharacterVocabulary.Boundary, new Random(options.Seed)).Select(vocabulary.Decode)];
        var known = new HashSet<string>(train, StringComparer.Ordinal);
        int fresh = written.Count(n => !known.Contains(n));
        if (written.Length > 0)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync(Invariant($"{written.Length} names written (seed {options.Seed}, temperature {options.Temperature}, {(options.TopK is { } k ? $"top {k}" : "all characters")}); * marks one of the training set:"));
            await output.WriteLineAsync(ConsoleLayout.Format("  " + string.Join("  ", written.Select(n => ConsoleLayout.Keep((n.Length == 0 ? "(empty)" : n) + (known.Contains(n) ? "*" : string.Empty)))), width, 0));
            await output.WriteLineAsync(Invariant($"{fresh} of {written.Length} ({100.0 * fresh / written.Length:F0}%) are not in the training set."));
        }

        if (options.Save is { } save)
        {
            if (save.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            {
                SafeTensors.Save(network, save);
            }
            else
            {
                ModelFile.Save(network, save);
            }

            await output.WriteLineAsync($"Model saved to {save} (with its vocabulary)");
        }

        if (options.Onnx is { } onnx)
        {
            OnnxExport.Save(network, onnx);
            await output.WriteLineAsync(Invariant($"ONNX model written to {onnx} (input 'input' [batch, {positions}] token ids; outputs 'output' [batch, {positions}, {vocabulary.Count}] logits and 'probabilities')"));
        }

        return new WriterReport(
            options.Load is null ? options.NetworkName : "--load",
            [.. network.Layers.Select(LayerRegistry.SpecOf)],
            network.ParameterCount,
            Origin(origin),
            where,
            vocabulary.Count,
            positions,
            train.Length,
            dev.Length,
            test.Length,
            trainLoss,
            devLoss,
            testLoss,
            options.Layers is null && options.Load is null ? options.Model.Makemore : null,
            counting,
            optimizer?.Spec,
            optimizer is null ? null : options.ScheduleOrDefault.Spec,
            optimizer is null ? null : options.Batch,
            options.Seed,
            seconds,
            epochs,
            options.Temperature,
            options.TopK,
            written,
            written.Length == 0 ? null : (double)fresh / written.Length);
    }

    /// <summary>The network of --model or --layers for V tokens and T positions; a spec that does not build is a usage error naming the option.</summary>
    private static Network<float> Build(WriterOptions options, int vocabulary, int positions)
    {
        string option = options.Layers is null ? $"--model {options.Model.Name}" : "--layers";
        var builder = new NetworkBuilder<float>(FeatureShape.Sequence(positions, 1), options.Seed);
        try
        {
            foreach (string spec in LayerRegistry.SplitSpecs(Rung.Substitute(options.LayerText, vocabulary, positions)))
            {
                builder.Add(spec);
            }
        }
        catch (ArgumentException e)
        {
            throw new UsageError($"{option}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}");
        }

        Network<float> network = builder.Build(Loss.CrossEntropy);
        FeatureShape output = network.OutputShape;
        if (!output.IsSequence || output.Positions != positions || output.Features != vocabulary)
        {
            throw new UsageError(Invariant($"{option}: the network ends in {output}; a name writer needs the {vocabulary} logits of the next character at each of the {positions} positions ({positions}×{vocabulary}: end with dense(V))."));
        }

        return network;
    }

    /// <summary>
    /// A saved model: ours (.dlnn, or .safetensors with our metadata) brings its vocabulary; PyTorch's safetensors is
    /// loaded into --model's or --layers' network, its vocabulary that of the data.
    /// </summary>
    private static (Network<float> Network, CharacterVocabulary Vocabulary) Load(string path, WriterOptions options, string[] names, int positions)
    {
        Network<float> network;
        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            network = ModelFile.Load<float>(path);
        }
        else
        {
            try
            {
                network = SafeTensors.Load<float>(path);
            }
            catch (InvalidDataException e) when (e.Message.Contains("no 'deeplearning.layers' metadata", StringComparison.Ordinal))
            {
                var data = CharacterVocabulary.FromTexts(names);
                network = Build(options, data.Count, positions);
                SafeTensors.LoadInto(network, path);
                if (!network.Metadata.ContainsKey(CharacterVocabulary.MetadataKey))
                {
                    data.WriteTo(network);
                }
            }
        }

        network.Loss ??= Loss.CrossEntropy;
        CharacterVocabulary vocabulary;
        try
        {
            vocabulary = CharacterVocabulary.ReadFrom(network);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}", e);
        }

        if (!network.OutputShape.IsSequence || network.OutputShape.Features != vocabulary.Count)
        {
            throw new InvalidDataException($"{path}: the network ends in {network.OutputShape}, not the {vocabulary.Count} logits of its vocabulary at each position.");
        }

        return (network, vocabulary);
    }

    /// <summary>The next-character data of some names; a character the model's vocabulary lacks is one line naming the file.</summary>
    private static DataSet<float> Encode(CharacterVocabulary vocabulary, string[] names, int positions, string where)
    {
        try
        {
            return vocabulary.NextCharacterData<float>(names, positions);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{where}: {e.Message.Split(" (Parameter", StringSplitOptions.None)[0]} (the model's vocabulary is {vocabulary})", e);
        }
    }

    /// <summary>
    /// The loss on the test names of counting: p(b | a) = (count(a b) + 1) / (count(a ·) + V) over the training names —
    /// the best a bigram can do, up to the smoothing; makemore's 2.45 is this figure on its split.
    /// </summary>
    internal static double CountingBigram(CharacterVocabulary vocabulary, IEnumerable<string> train, IEnumerable<string> test)
    {
        int v = vocabulary.Count;
        var counts = new double[v, v];
        var totals = new double[v];
        foreach (string name in train)
        {
            int previous = CharacterVocabulary.Boundary;
            foreach (int token in vocabulary.Encode(name).Append(CharacterVocabulary.Boundary))
            {
                counts[previous, token]++;
                totals[previous]++;
                previous = token;
            }
        }

        double sum = 0;
        long predictions = 0;
        foreach (string name in test)
        {
            int previous = CharacterVocabulary.Boundary;
            foreach (int token in vocabulary.Encode(name).Append(CharacterVocabulary.Boundary))
            {
                sum -= Math.Log((counts[previous, token] + 1) / (totals[previous] + v));
                predictions++;
                previous = token;
            }
        }

        return sum / predictions;
    }

    private static string Origin(NameOrigin origin) => origin switch
    {
        NameOrigin.File => "--data",
        NameOrigin.Cache => "cache",
        NameOrigin.Fetched => "fetched",
        _ => "embedded subset",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>An <see cref="IProgress{T}"/> that reports on the training thread.</summary>
    private sealed class Callback<TValue>(Action<TValue> action) : IProgress<TValue>
    {
        public void Report(TValue value) => action(value);
    }
}
