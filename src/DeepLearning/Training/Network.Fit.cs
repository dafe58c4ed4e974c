using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using DeepLearning.Data;
using DeepLearning.Losses;
using DeepLearning.Optimizers;

namespace DeepLearning.Training;

/// <content>The training loop.</content>
public sealed partial class Network<T>
{
    /// <summary>Trains on a <see cref="DataSet{T}"/>; see the overload taking tensors for the details.</summary>
    /// <param name="training">The training data.</param>
    /// <param name="loss">The loss to minimise.</param>
    /// <param name="optimizer">The update rule.</param>
    /// <param name="options">Epochs, batch size, shuffling and its seed; defaults when null.</param>
    /// <param name="validation">Data measured after every epoch, or null.</param>
    /// <param name="progress">Receives one <see cref="EpochReport"/> per epoch, or null.</param>
    /// <param name="cancellationToken">Checked before every mini-batch.</param>
    /// <returns>The report of every epoch.</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The tensor and data-set overloads differ in their first parameter's type, so calls cannot be ambiguous.")]
    public TrainingHistory Fit(
        DataSet<T> training,
        ILoss loss,
        IOptimizer optimizer,
        TrainingOptions? options = null,
        DataSet<T>? validation = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(training, nameof(training));
        return Fit(
            training.Inputs,
            training.Targets,
            loss,
            optimizer,
            options,
            validation is null ? null : (validation.Inputs, validation.Targets),
            progress,
            cancellationToken);
    }

    /// <summary>
    /// Trains the network with gradient descent: for each epoch, shuffle the samples, split them into mini-batches, and
    /// for each mini-batch run forward propagation, the loss, backward propagation and one optimizer step.
    /// </summary>
    /// <param name="inputs">The training inputs X, m×<see cref="InputSize"/>, all finite.</param>
    /// <param name="targets">The training targets Y, m×<see cref="OutputSize"/>, all finite (one-hot rows for classes).</param>
    /// <param name="loss">The loss to minimise.</param>
    /// <param name="optimizer">The update rule, for example <see cref="GradientDescent"/>.</param>
    /// <param name="options">Epochs, batch size, shuffling and its seed; <see cref="TrainingOptions"/>' defaults when null.</param>
    /// <param name="validation">Data measured after every epoch (loss and accuracy), or null.</param>
    /// <param name="progress">Receives one <see cref="EpochReport"/> per epoch, or null.</param>
    /// <param name="cancellationToken">Checked before every mini-batch.</param>
    /// <returns>The report of every epoch.</returns>
    /// <remarks>
    /// The network records <paramref name="loss"/> as its <see cref="Loss"/>, so that afterwards <see cref="Predict(Tensor{T})"/>
    /// gives what the outputs stand for (probabilities for a classifier) and a saved model knows it.
    /// With shuffling, the loop keeps a sample-by-sample copy of the inputs and targets for the duration of the call (as
    /// large as the data), so that gathering a shuffled mini-batch reads each sample in one piece; see
    /// <c>docs/performance.md</c>. After the first mini-batch of each size, a step allocates nothing.
    /// </remarks>
    /// <exception cref="ArgumentException">A shape does not match the network, or the data holds NaN or an infinity (the message names the first one).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="TrainingOptions.Epochs"/> is negative or <see cref="TrainingOptions.BatchSize"/> is less than 1.</exception>
    /// <exception cref="TrainingDivergedException">The loss became NaN or infinite; the message names the epoch and batch.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The tensor and data-set overloads differ in their first parameter's type, so calls cannot be ambiguous.")]
    public TrainingHistory Fit(
        Tensor<T> inputs,
        Tensor<T> targets,
        ILoss loss,
        IOptimizer optimizer,
        TrainingOptions? options = null,
        (Tensor<T> Inputs, Tensor<T> Targets)? validation = null,
        IProgress<EpochReport>? progress = null,
        CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(loss, nameof(loss));
        Preconditions.CheckNotNull(optimizer, nameof(optimizer));
        options ??= new TrainingOptions();
        Preconditions.CheckNonNegative(options.Epochs, nameof(options.Epochs));
        Preconditions.CheckPositive(options.BatchSize, nameof(options.BatchSize));
        CheckData(inputs, targets, loss, nameof(Fit));
        Preconditions.CheckFinite(inputs, nameof(inputs));
        Preconditions.CheckFinite(targets, nameof(targets));
        if (validation is { } v)
        {
            CheckData(v.Inputs, v.Targets, loss, nameof(Fit) + " (validation)");
            Preconditions.CheckFinite(v.Inputs, "validation.Inputs");
            Preconditions.CheckFinite(v.Targets, "validation.Targets");
        }

        if (options.DivergenceFactor is { } factor && !(factor > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), factor, $"options.DivergenceFactor must be greater than 1 (or null to turn the check off), but was {Preconditions.Format(factor)}.");
        }

        TrainingProgress start = options.Resume ?? new TrainingProgress(0, 0, double.NaN);
        if (start.Epoch < 0 || start.Step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), start, "options.Resume: the epochs and steps done must be 0 or more.");
        }

        Loss = loss; // the network now knows what its outputs mean
        var random = new Random(options.Seed);
        var batches = new MiniBatches<T>(inputs, targets, options.BatchSize, options.Shuffle);
        for (int done = 0; done < start.Epoch && done < options.Epochs && options.Shuffle; done++)
        {
            batches.Shuffle(random); // the shuffles of the epochs already done, so the next one is the uninterrupted run's
        }

        double initialLoss = options.Resume is { } resumed ? resumed.InitialLoss
            : options.DivergenceFactor is null || options.Epochs == 0 ? double.NaN : InitialLoss(inputs, targets, loss);
        long step = start.Step, totalSteps = checked((long)options.Epochs * batches.Count);
        var control = new TrainingControl();
        var reports = new List<EpochReport>(); // not sized by Epochs: a run may be cancelled long before int.MaxValue epochs
        int epoch = start.Epoch;
        while (epoch < options.Epochs && !control.StopRequested)
        {
            epoch++;
            long started = Stopwatch.GetTimestamp();
            if (options.Shuffle)
            {
                batches.Shuffle(random);
            }

            double lossSum = 0, learningRate = optimizer.LearningRate;
            long scoredSum = 0;
            for (int b = 0; b < batches.Count; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (Tensor<T> x, Tensor<T> y) = batches.Get(b);
                learningRate = options.Schedule?.LearningRate(optimizer.LearningRate, new Schedules.ScheduleProgress(step, batches.Count, totalSteps)) ?? optimizer.LearningRate;
                double batchLoss = double.CreateChecked(ComputeGradients(x, y, loss, training: true, out int scored));
                if (!double.IsFinite(batchLoss))
                {
                    throw new TrainingDivergedException(epoch, b + 1, batchLoss, learningRate, options.Regularizer?.Spec);
                }

                options.Regularizer?.AddGradient<T>(_parameters, inputs.Rows);
                options.Clipping?.Clip<T>(_parameters);
                optimizer.Step(_parameters, learningRate);
                step++;
                lossSum += batchLoss * scored;
                scoredSum += scored;
                var batchReport = new BatchReport(epoch, b + 1, batches.Count, batchLoss);
                options.BatchProgress?.Report(batchReport);
                for (int c = 0; c < options.Callbacks.Count; c++) // indexed: no enumerator allocated per step
                {
                    options.Callbacks[c].OnBatchEnd(batchReport, control);
                }
            }

            double? validationLoss = null, validationAccuracy = null;
            if (validation is { } data)
            {
                Evaluation evaluation = Evaluate(data.Inputs, data.Targets, loss);
                (validationLoss, validationAccuracy) = (evaluation.Loss, evaluation.Accuracy);
            }

            double epochLoss = scoredSum == 0 ? 0 : lossSum / scoredSum;
            if (options.DivergenceFactor is { } limit && epochLoss > limit * initialLoss)
            {
                throw new TrainingDivergedException(epoch, epochLoss, initialLoss, limit, learningRate, options.Regularizer?.Spec);
            }

            var report = new EpochReport(epoch, epochLoss, validationLoss, validationAccuracy, Stopwatch.GetElapsedTime(started)) { LearningRate = learningRate };
            reports.Add(report);
            progress?.Report(report);
            for (int c = 0; c < options.Callbacks.Count; c++)
            {
                options.Callbacks[c].OnEpochEnd(report, control);
            }
        }

        return new TrainingHistory(reports.AsReadOnly(), new TrainingProgress(epoch, step, initialLoss), control.Reason);
    }

    /// <summary>L₀: the untrained network's mean loss on the first min(m, 1,000) samples (per prediction scored), the reference of the divergence check.</summary>
    private double InitialLoss(Tensor<T> inputs, Tensor<T> targets, ILoss loss)
    {
        int rows = Math.Min(inputs.Rows, 1000);
        double sum = 0;
        long scored = 0;
        for (int start = 0; start < rows; start += EvaluationBatchSize)
        {
            Tensor<T> output = ByPosition(ForwardRows(inputs, start, rows));
            Tensor<T> batchTargets = ByPosition(Rows(targets, start, _evaluationTargets, rows));
            int count = Scored(output, batchTargets, loss);
            sum += count == 0 ? 0 : double.CreateChecked(loss.Value(output, batchTargets)) * count;
            scored += count;
        }

        return scored == 0 ? 0 : sum / scored;
    }
}
