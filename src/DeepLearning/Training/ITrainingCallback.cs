namespace DeepLearning.Training;

/// <summary>
/// Code told about a training run as it goes — after every mini-batch and every epoch — that may act on it: stop it
/// (<see cref="TrainingControl.Stop"/>). <see cref="EarlyStopping"/> is one; a learner's own (save the best network, log
/// to a file) is a class implementing either method, passed in <see cref="TrainingOptions.Callbacks"/>.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>After a mini-batch's step. Nothing by default.</summary>
    /// <param name="report">The batch's report.</param>
    /// <param name="control">What the callback may do to the run.</param>
    void OnBatchEnd(BatchReport report, TrainingControl control)
    {
    }

    /// <summary>After an epoch, its validation measured. Nothing by default.</summary>
    /// <param name="report">The epoch's report.</param>
    /// <param name="control">What the callback may do to the run.</param>
    void OnEpochEnd(EpochReport report, TrainingControl control)
    {
    }
}
