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

    /// <summary>Receives a <see cref="BatchReport"/> after every mini-batch (for a progress bar), or null (the default).</summary>
    public IProgress<BatchReport>? BatchProgress { get; init; }
}
