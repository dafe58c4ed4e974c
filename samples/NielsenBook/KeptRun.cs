using System.Diagnostics;
using System.Globalization;
using DeepLearning.Data;
using DeepLearning.Layers;
using DeepLearning.Optimizers;
using DeepLearning.Serialization;

namespace NielsenBook;

/// <summary>
/// <c>--keep DIR</c>: one network's run, saved after every epoch, so that a row too long for one sitting — a dropout
/// network takes 40 epochs of 250,000 images, an ensemble several of them — can be trained over several. In DIR,
/// <c>{run}-seed{seed}.dlnn</c> is a model file with a checkpoint of the run (the optimizer, where the run stands, and the
/// row's settings with its best epoch so far), and <c>{run}-seed{seed}-best.dlnn</c> the network at its best validation
/// epoch. A run found there goes on from its last epoch to the bits of an uninterrupted one
/// (<see cref="TrainingOptions.Resume"/>), up to <c>--epochs</c> when that is more; a finished one is read, not trained
/// again. The ensemble's members are the <c>dropout</c> row's networks with seeds s, s + 1, …, so they share its files:
/// the <c>dropout</c> row is the first member. Two commands on one folder at once would train the same run twice (to the
/// same files): give each its own folder.
/// </summary>
internal sealed class KeptRun
{
    private readonly Arguments _expected;
    private readonly int _epochs;

    public KeptRun(string folder, Experiment experiment, int seed, int trainingImages, int epochs)
    {
        string name = FormattableString.Invariant($"{experiment.RunName}-seed{seed}");
        Path = System.IO.Path.Combine(folder, name + ".dlnn");
        BestPath = System.IO.Path.Combine(folder, name + "-best.dlnn");
        _expected = new Arguments(
            ("run", experiment.RunName),
            ("seed", Invariant(seed)),
            ("training_images", Invariant(trainingImages)),
            ("regularizer", experiment.Regularizer?.Spec ?? "none"));
        _epochs = epochs;
    }

    /// <summary>The run's file: the network after its last epoch, with the checkpoint.</summary>
    public string Path { get; }

    /// <summary>The network at the best validation epoch so far.</summary>
    public string BestPath { get; }

    /// <summary>
    /// The run as saved, or null when there is none yet. A file that is not this row's run — another network than
    /// <paramref name="fresh"/> (the row's network, untrained), seed, data or optimizer, or more epochs than asked for — is
    /// an <see cref="InvalidDataException"/> naming it, as is one that does not read. A run of fewer epochs goes on: with no
    /// schedule, training to epoch n in two sittings gives what one sitting gives.
    /// </summary>
    public (Network<float> Network, IOptimizer Optimizer, TrainingProgress Progress, Arguments Settings)? Load(Network<float> fresh)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        (Network<float> network, Checkpoint? checkpoint) = ModelFile.LoadCheckpoint<float>(Path);
        if (checkpoint is null)
        {
            throw new InvalidDataException($"{Path}: a model without a checkpoint of its run, not a run --keep saved; move it out of the folder.");
        }

        string specs = string.Join(" ", network.Layers.Select(LayerRegistry.SpecOf));
        string expectedSpecs = string.Join(" ", fresh.Layers.Select(LayerRegistry.SpecOf));
        foreach ((string key, string value) in _expected.Pairs)
        {
            string saved = checkpoint.Settings.Contains(key) ? checkpoint.Settings.Get(key) : "(none)";
            if (saved != value)
            {
                throw new InvalidDataException($"{Path}: this run has {key} {saved}, but this row asks for {value}; give another --keep folder or move the file away.");
            }
        }

        if (specs != expectedSpecs)
        {
            throw new InvalidDataException($"{Path}: its network is not this row's ({specs}); give another --keep folder or move the file away.");
        }

        if (checkpoint.Progress.Epoch > _epochs)
        {
            throw new InvalidDataException($"{Path}: this run has {checkpoint.Progress.Epoch} epochs, more than the {_epochs} asked for; give at least {checkpoint.Progress.Epoch} with --epochs, or another --keep folder.");
        }

        if (!File.Exists(BestPath))
        {
            throw new InvalidDataException($"{Path}: its best network {System.IO.Path.GetFileName(BestPath)} is missing beside it; move both away to start the run again.");
        }

        return (network, checkpoint.Optimizer, checkpoint.Progress, checkpoint.Settings);
    }

    /// <summary>Saves the run after an epoch: the network, the optimizer, where it stands, the row's settings and <paramref name="more"/>.</summary>
    public void Save(Network<float> network, IOptimizer optimizer, TrainingProgress progress, Arguments more)
        => ModelFile.Save(network, Path, new Checkpoint(optimizer, progress, new Arguments(_expected.Pairs.Concat(more.Pairs).Select(p => (p.Key, p.Value)))));

    /// <summary>
    /// Trains <paramref name="experiment"/>'s network one epoch at a time to the run's last epoch, saving the run after each;
    /// a run found in the folder goes on from its last epoch (<paramref name="fresh"/>, the row's untrained network, is then
    /// only compared with it). Returns the run's figures — for an ensemble with the best epoch's test probabilities, from
    /// its saved network — and the seconds of all its epochs, earlier sittings included.
    /// </summary>
    public static (BestEpoch Best, double Seconds) Train(
        KeptRun kept, Network<float> fresh, Experiment experiment, TrainingOptions fit, DataSet<float> data, DataSet<float> validation, DataSet<float> test)
    {
        IOptimizer optimizer = new GradientDescent(experiment.LearningRate);
        Network<float> network = fresh;
        TrainingProgress? progress = null;
        double seconds = 0;
        Arguments? figures = null;
        if (kept.Load(fresh) is { } saved)
        {
            if (saved.Optimizer.Spec != optimizer.Spec)
            {
                throw new InvalidDataException($"{kept.Path}: this run's optimizer is {saved.Optimizer.Spec}, but this row asks for {optimizer.Spec}; give another --keep folder or move the file away.");
            }

            (network, optimizer, progress, figures) = (saved.Network, saved.Optimizer, saved.Progress, saved.Settings);
        }

        var best = new BestEpoch(network, test, experiment.Loss, keepPredictions: experiment.Members > 1, experiment.Chapter6 ? Console.Out : null, fit.Epochs)
        {
            BestPath = kept.BestPath,
        };
        if (figures is not null)
        {
            try
            {
                best.Restore(figures);
                seconds = figures.GetNumber("seconds");
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{kept.Path}: its figures do not read ({e.Message.Split(" (Parameter", StringSplitOptions.None)[0]}).");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {kept.Path}: {progress!.Epoch} of {fit.Epochs} epochs trained in {seconds:F0} s, best validation {Table.Percent(best.BestValidation)} at epoch {best.BestEpochNumber}{(progress.Epoch < fit.Epochs ? "; going on" : "")}"));
        }

        for (int epoch = (progress?.Epoch ?? 0) + 1; epoch <= fit.Epochs; epoch++)
        {
            long started = Stopwatch.GetTimestamp();
            progress = network.Fit(data, experiment.Loss, optimizer, fit with { Epochs = epoch, Resume = progress }, validation, best).Progress;
            seconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            kept.Save(network, optimizer, progress, new Arguments(best.Figures.Pairs.Select(p => (p.Key, p.Value)).Append(("seconds", seconds.ToString("R", CultureInfo.InvariantCulture)))));
        }

        if (experiment.Members > 1)
        {
            best.UsePredictions(kept.LoadBest().Predict(test.Inputs));
        }

        best.Finish();
        return (best, seconds);
    }

    /// <summary>The network at the best validation epoch, as saved.</summary>
    public Network<float> LoadBest() => ModelFile.Load<float>(BestPath);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
