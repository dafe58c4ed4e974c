namespace DeepLearning.Training;

/// <summary>
/// Thrown when the loss becomes NaN or infinite during training: the steps were so large that the weights blew up.
/// The message names the epoch and batch and suggests a smaller learning rate.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception for a loss that diverged.</summary>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="batch">The batch within the epoch, from 1.</param>
    /// <param name="loss">The loss that was not finite.</param>
    /// <param name="learningRate">The learning rate in use.</param>
    public TrainingDivergedException(int epoch, int batch, double loss, double learningRate)
        : base(FormattableString.Invariant(
            $"Training diverged in epoch {epoch}, batch {batch}: the loss became {loss}. The steps are too large; try a smaller learning rate than {learningRate} (for example {learningRate / 10})."))
    {
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>The epoch in which the loss stopped being finite, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The batch within the epoch, from 1.</summary>
    public int Batch { get; }

    /// <summary>The loss value: NaN or an infinity.</summary>
    public double Loss { get; }

    /// <summary>The learning rate that was in use.</summary>
    public double LearningRate { get; }
}
