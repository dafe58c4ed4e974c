namespace DeepLearning.Training;

/// <summary>How <c>Network.Fit</c> trains: how many epochs, how many samples per gradient step, and the shuffling seed.</summary>
/// <remarks>
/// Batch gradient descent: <see cref="BatchSize"/> at least the number of samples. Mini-batch: a few dozen (the default, 32).
/// Stochastic: 1.
/// </remarks>
public sealed record TrainingOptions
{
    /// <summary>The number of passes over the whole training set. Default 10; 0 trains nothing.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The number of samples per gradient step. Default 32; values above the number of samples mean the whole set.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether the samples are put in a new random order before every epoch. Default <see langword="true"/>.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffling, so that a run can be repeated exactly. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Stops training with a <see cref="TrainingDivergedException"/> when an epoch's mean training loss is more than this
    /// many times the loss L₀ the network had before training (its mean loss on the first min(m, 1,000) training samples).
    /// Default 3; <see langword="null"/> turns the check off (a NaN or infinite loss always stops training).
    /// </summary>
    /// <remarks>
    /// A learning rate that is far too large rarely produces NaN at once: the loss jumps up and stays there while accuracy
    /// sits at chance (MNIST with ε = 1000: L₀ ≈ 2.3, then 12.2, 14.4, 14.7). Training that works brings every epoch's loss
    /// below L₀, so an epoch three times above it means the steps are too large. Turn the check off when fine-tuning a
    /// trained network whose loss is already near zero and may rise several-fold while staying small.
    /// </remarks>
    public double? DivergenceFactor { get; init; } = 3;

    /// <summary>
    /// A penalty on the weights, such as <see cref="Regularization.L2"/>, whose gradient is added to the loss's before every
    /// optimizer step, with n = the number of training samples; <see langword="null"/> (the default) for none. The
    /// training loss reported per epoch is the loss without the penalty.
    /// </summary>
    public Regularization.IRegularizer? Regularizer { get; init; }

    /// <summary>Receives a <see cref="BatchReport"/> after every mini-batch (for a progress bar), or null (the default).</summary>
    public IProgress<BatchReport>? BatchProgress { get; init; }

    /// <summary>
    /// How the learning rate changes from step to step (<see cref="Schedules.ISchedule"/>: warm-up, cosine, step decay), the
    /// optimizer's <see cref="Optimizers.IOptimizer.LearningRate"/> its peak; <see langword="null"/> (the default) keeps it
    /// constant. The run's length for the schedule is <see cref="Epochs"/> × the mini-batches of an epoch.
    /// </summary>
    public Schedules.ISchedule? Schedule { get; init; }

    /// <summary>A limit on the gradients before every optimizer step (<see cref="Clipping.IGradientClipping"/>: by global norm or by value), or <see langword="null"/> (the default).</summary>
    public Clipping.IGradientClipping? Clipping { get; init; }

    /// <summary>Code that watches the run and may stop it (<see cref="EarlyStopping"/>), told after every batch and epoch. Empty by default.</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];

    /// <summary>
    /// A run to continue: the epochs and steps already done and the loss the network had before them
    /// (<see cref="TrainingHistory.Progress"/> of the earlier run, saved in a checkpoint). Training goes on from epoch
    /// <see cref="TrainingProgress.Epoch"/> + 1 to <see cref="Epochs"/>, with the shuffles, the schedule's steps and — with
    /// the optimizer's state restored — the very updates an uninterrupted run makes. <see langword="null"/> (the default)
    /// starts a new run.
    /// </summary>
    public TrainingProgress? Resume { get; init; }
}
