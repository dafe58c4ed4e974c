using System.Diagnostics;
using System.Globalization;
using DeepLearning;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Optimizers;
using DeepLearning.Training;
using Samples.Common;

namespace SpamFilter;

/// <summary>The spam filter's whole run, callable from tests with their own writers.</summary>
internal static class SpamApp
{
    /// <summary>Runs the comparison: 0 when done, 2 after a usage error, 1 after a data or file error (one <c>error:</c> line).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, int width, bool progress)
        => SampleCommand.RunAsync(
            args, output, error, width, SpamOptions.Command(), SpamOptions.Help, SpamOptions.From, o => o.Outputs(), o => o.Report,
            async (options, human) => (await RunAsync(options, human, progress ? error : null, width)).ToJson());

    private static async Task<SpamReport> RunAsync(SpamOptions options, TextWriter output, TextWriter? progress, int width)
    {
        (Mail[] mails, CorpusOrigin origin, string where) = await Corpus.LoadAsync(options.Cache, options.Offline, output);
        (Mail[] train, Mail[] dev, Mail[] test) = Split(mails);
        await output.WriteLineAsync(Invariant($"Data: {mails.Length:N0} mails ({Origin(origin)}: {where}), {mails.Count(m => m.IsSpam):N0} of them spam; {train.Length:N0} for training, {dev.Length:N0} for validation, {test.Length:N0} for testing (the same for every model)"));

        // 1. The flat baseline: hand-made features (word counts) and naive Bayes.
        long started = Stopwatch.GetTimestamp();
        var bayes = new NaiveBayes(train);
        bool[] bayesSaysSpam = [.. test.Select(bayes.IsSpam)];
        double bayesSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await output.WriteLineAsync();
        await output.WriteLineAsync(Invariant($"Naive Bayes: {bayes.VocabularySize:N0} words counted in the training mails, prior ln p(spam) − ln p(ham) = {bayes.Prior:+0.000;−0.000}; {bayesSeconds:F1} s"));
        await output.WriteLineAsync("  most spam-like words: " + string.Join(", ", bayes.Strongest(8, spam: true).Select(w => ConsoleLayout.Keep(Invariant($"{w.Word} {w.Weight:+0.0;−0.0}")))));
        await output.WriteLineAsync("  most ham-like words:  " + string.Join(", ", bayes.Strongest(8, spam: false).Select(w => ConsoleLayout.Keep(Invariant($"{w.Word} {w.Weight:+0.0;−0.0}")))));

        // 2. A network on the same kind of features: the commonest words' counts.
        string[] words = WordFeatures.Vocabulary(train, SpamOptions.WordFeatures);
        var wordData = (Train: WordFeatures.Encode(train, words), Dev: WordFeatures.Encode(dev, words), Test: WordFeatures.Encode(test, words));
        (bool[] wordsSaySpam, ModelRun wordsRun) = await TrainAsync("Words network", SpamOptions.WordsNetwork, new FeatureShape(words.Length, 1, 1), wordData, options, output, progress);

        // 3. A network on raw bytes: no hand-made features at all.
        var byteData = (Train: ByteFeatures.Encode(train, options.Length), Dev: ByteFeatures.Encode(dev, options.Length), Test: ByteFeatures.Encode(test, options.Length));
        (bool[] bytesSaySpam, ModelRun bytesRun) = await TrainAsync("Bytes network", options.BytesLayers, FeatureShape.Sequence(options.Length, 1), byteData, options, output, progress);

        // The comparison, on the held-out mails.
        SpamReport.Scores bayesScores = SpamReport.Scores.Of(test, bayesSaysSpam), wordsScores = SpamReport.Scores.Of(test, wordsSaySpam), bytesScores = SpamReport.Scores.Of(test, bytesSaySpam);
        await output.WriteLineAsync();
        await output.WriteLineAsync(Invariant($"On the {test.Length:N0} test mails ({test.Count(m => m.IsSpam):N0} spam); spam is the positive class:"));
        (string Name, SpamReport.Scores Scores)[] rows = [("naive Bayes, words", bayesScores), ("network, words", wordsScores), ("network, bytes", bytesScores)];
        await output.WriteAsync(Table.Format(
            ["model", "accuracy", "precision", "recall", "ham → spam", "spam missed"],
            rows.Select(r => (IReadOnlyList<string>)[r.Name, Table.Percent(r.Scores.Accuracy), Table.Percent(r.Scores.Precision), Table.Percent(r.Scores.Recall), Invariant($"{r.Scores.FalsePositives}"), Invariant($"{r.Scores.FalseNegatives}")]),
            width));

        // What each gets wrong: per folder, and the mails all three get wrong.
        await output.WriteLineAsync();
        await output.WriteLineAsync("Wrong answers by folder (test mails in the folder):");
        await output.WriteAsync(Table.Format(
            ["folder", "mails", "naive Bayes", "words network", "bytes network"],
            Corpus.Folders.Where(f => test.Any(m => m.Folder == f)).Select(f => (IReadOnlyList<string>)[
                f, Invariant($"{test.Count(m => m.Folder == f)}"), Wrong(test, bayesSaysSpam, f), Wrong(test, wordsSaySpam, f), Wrong(test, bytesSaySpam, f)]),
            width));
        int[] allWrong = [.. Enumerable.Range(0, test.Length).Where(i => bayesSaysSpam[i] != test[i].IsSpam && wordsSaySpam[i] != test[i].IsSpam && bytesSaySpam[i] != test[i].IsSpam)];
        await output.WriteLineAsync(Invariant($"All three wrong on {allWrong.Length} mails{(allWrong.Length > 0 ? ", for example:" : ".")}"));
        foreach (int i in allWrong.Take(5))
        {
            string subject = test[i].Subject.Length == 0 ? "(no subject)" : test[i].Subject;
            await output.WriteLineAsync(ConsoleLayout.Format($"  {test[i].Folder}/{test[i].Name[..5]}: \"{Printable(subject, 60)}\"", width, 4));
        }

        return new SpamReport(
            Data: Origin(origin),
            DataFile: where,
            Mails: mails.Length,
            TrainMails: train.Length,
            DevMails: dev.Length,
            TestMails: test.Length,
            TestSpam: test.Count(m => m.IsSpam),
            NaiveBayesAccuracy: bayesScores.Accuracy,
            NaiveBayesPrecision: bayesScores.Precision,
            NaiveBayesRecall: bayesScores.Recall,
            WordsNetworkAccuracy: wordsScores.Accuracy,
            WordsNetworkPrecision: wordsScores.Precision,
            WordsNetworkRecall: wordsScores.Recall,
            NetworkAccuracy: bytesScores.Accuracy,
            NetworkPrecision: bytesScores.Precision,
            NetworkRecall: bytesScores.Recall,
            NaiveBayes: bayesScores,
            WordsNetwork: wordsRun with { Test = wordsScores },
            BytesNetwork: bytesRun with { Test = bytesScores },
            AllWrong: allWrong.Length,
            Seed: options.Seed);
    }

    /// <summary>Builds and trains one network (Adam, batch 32, cross-entropy over spam and ham), then reads the test mails.</summary>
    private static async Task<(bool[] SaysSpam, ModelRun Run)> TrainAsync(string title, string specs, FeatureShape input, (DataSet<float> Train, DataSet<float> Dev, DataSet<float> Test) data, SpamOptions options, TextWriter output, TextWriter? progress)
    {
        var builder = new NetworkBuilder<float>(input, seed: options.Seed);
        foreach (string spec in LayerRegistry.SplitSpecs(specs))
        {
            builder.Add(spec);
        }

        Network<float> network = builder.Build(Loss.CrossEntropy);
        if (network.OutputSize != 2)
        {
            throw new UsageError(Invariant($"--layers: the network gives {network.OutputShape}; it must end in 2 outputs, ham and spam (dense(2))."));
        }

        await output.WriteLineAsync();
        await output.WriteLineAsync(Invariant($"{title}: {specs} ({network.InputShape}→{network.OutputShape}, {network.ParameterCount:N0} parameters); Adam 0.001, batch 32, {ConsoleLayout.Keep(Invariant($"{options.EpochCount} {(options.EpochCount == 1 ? "epoch" : "epochs")}"))}, {ConsoleLayout.Keep(Invariant($"seed {options.Seed}"))}"));
        long started = Stopwatch.GetTimestamp();
        var trainingOptions = new TrainingOptions
        {
            Epochs = options.EpochCount,
            BatchSize = 32,
            Seed = options.Seed,
            BatchProgress = progress is null ? null : new Callback<BatchReport>(b => progress.Write(Invariant($"\repoch {b.Epoch}/{options.EpochCount}: {100 * b.Batch / b.Batches,3}%"))),
        };
        if (options.EpochCount > 0)
        {
            network.Fit(data.Train, Loss.CrossEntropy, new Adam(0.001), trainingOptions, data.Dev, new Callback<EpochReport>(e =>
            {
                progress?.Write("\r" + new string(' ', 24) + "\r");
                string count = options.EpochCount.ToString(CultureInfo.InvariantCulture);
                output.WriteLine(Invariant($"  epoch {e.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(count.Length)}/{count}  training loss {e.TrainingLoss:F4}  validation accuracy {Table.Percent(e.ValidationAccuracy ?? double.NaN)}  {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s"));
            }));
        }

        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        Tensor<float> probabilities = network.Predict(data.Test.Inputs);
        bool[] saysSpam = [.. Enumerable.Range(0, probabilities.Rows).Select(i => probabilities[i, 1] > probabilities[i, 0])];
        return (saysSpam, new ModelRun(specs, network.ParameterCount, options.EpochCount, seconds, null));
    }

    /// <summary>The fixed split: the mails shuffled with <see cref="SpamOptions.SplitSeed"/>; a fifth for testing, a tenth for validation, the rest for training.</summary>
    internal static (Mail[] Train, Mail[] Dev, Mail[] Test) Split(Mail[] mails)
    {
        Mail[] shuffled = [.. mails];
        new Random(SpamOptions.SplitSeed).Shuffle(shuffled);
        int test = shuffled.Length / 5, dev = shuffled.Length / 10;
        return (shuffled[(test + dev)..], shuffled[test..(test + dev)], shuffled[..test]);
    }

    private static string Wrong(Mail[] test, bool[] saysSpam, string folder)
        => Invariant($"{Enumerable.Range(0, test.Length).Count(i => test[i].Folder == folder && saysSpam[i] != test[i].IsSpam)}");

    private static string Printable(string text, int length)
    {
        string clean = new([.. text.Select(c => char.IsControl(c) ? ' ' : c)]);
        return clean.Length <= length ? clean : clean[..(length - 1)] + "…";
    }

    private static string Origin(CorpusOrigin origin) => origin switch
    {
        CorpusOrigin.Cache => "cache",
        CorpusOrigin.Fetched => "fetched",
        _ => "shipped subset",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>An <see cref="IProgress{T}"/> that reports on the training thread.</summary>
    private sealed class Callback<TValue>(Action<TValue> action) : IProgress<TValue>
    {
        public void Report(TValue value) => action(value);
    }
}
