namespace DeepLearning.Training;

/// <summary>
/// Thrown when training diverges: the loss became NaN or infinite (the steps were so large that the weights blew up), or
/// an epoch's mean loss rose above <see cref="TrainingOptions.DivergenceFactor"/> times the untrained network's loss.
/// The message names the epoch (and batch) and suggests a smaller learning rate.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for a loss that diverged.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch within the epoch, from 1.</param>
    /// <param name="loss">The loss that was not finite.</param>
    /// <param name="learningRate">The learning rate in use.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate)
        : this(epoch, batch, loss, learningRate, null)
    {
    }

    /// <summary>As the public constructor, naming the regularizer in the advice when there is one (its penalty can make the steps too large as well).</summary>
    internal TrainingDivergedException(int epoch, int batch, double loss, double learningRate, string? regularizer)
        : base(FormattableString.Invariant(
            $"Training diverged in epoch {epoch}, batch {batch}: the loss became {loss}. The steps are too large; {Advice(learningRate, regularizer)}."))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>Creates the exception for an epoch whose mean loss rose too far above the untrained network's.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="loss">The epoch's mean training loss.</param>
    /// <param name="initialLoss">L₀, the loss before training.</param>
    /// <param name="factor">The factor that was exceeded (<see cref="TrainingOptions.DivergenceFactor"/>).</param>
    /// <param name="learningRate">The learning rate in use.</param>
    public TrainingDivergedException(int epoch, double loss, double initialLoss, double factor, double learningRate)
        : this(epoch, loss, initialLoss, factor, learningRate, null)
    {
    }

    /// <summary>As the public constructor, naming the regularizer in the advice when there is one.</summary>
    internal TrainingDivergedException(int epoch, double loss, double initialLoss, double factor, double learningRate, string? regularizer)
        : base(FormattableString.Invariant(
            $"Training diverged in epoch {epoch}: the mean training loss {loss:G4} is more than {factor:G3}× the untrained network's {initialLoss:G4}. The steps are too large; {Advice(learningRate, regularizer)}."))
    {
        Epoch = epoch;
        Loss = loss;
        InitialLoss = initialLoss;
        LearningRate = learningRate;
    }

    /// <summary>The loss the network had before training (L₀), when the exception is about a loss that rose too far; otherwise null.</summary>
    public double? InitialLoss { get; }

    /// <summary>The epoch in which the loss stopped being finite, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The batch within the epoch, from 1; 0 when the whole epoch's loss was too high (see <see cref="InitialLoss"/>).</summary>
    public int Batch { get; }

    /// <summary>The loss value: NaN or an infinity, or the epoch's mean loss that rose too far.</summary>
    public double Loss { get; }

    /// <summary>The learning rate that was in use.</summary>
    public double LearningRate { get; }

    private static string Advice(double learningRate, string? regularizer)
        => FormattableString.Invariant($"try a smaller learning rate than {learningRate} (for example {learningRate / 10})")
            + (regularizer is null ? string.Empty : $", or a weaker regularizer than {regularizer}");
}
