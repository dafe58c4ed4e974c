using System.Numerics;

namespace DeepLearning.Data;

/// <summary>
/// Samples for training or testing: inputs X (one row per sample) with their targets Y, and for classification the class
/// label of each sample (Y is then its one-hot encoding).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>Immutable in shape; <see cref="Take"/>, <see cref="Shuffle"/> and <see cref="Split"/> return new data sets with their own copies.</remarks>
/// <example>
/// <code>
/// var digits = DataSet&lt;float&gt;.FromImages(IdxFile.ReadImages("t10k-images-idx3-ubyte"), IdxFile.ReadLabels("t10k-labels-idx1-ubyte"));
/// // digits.Inputs is 10000×784 with pixels scaled to [0, 1]; digits.Targets is 10000×10, one-hot
/// </code>
/// </example>
public sealed class DataSet<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly int[]? _labels;

    /// <summary>Creates a data set from inputs and targets of any kind (regression, several labels, …).</summary>
    /// <param name="inputs">X, one row per sample.</param>
    /// <param name="targets">Y, one row per sample.</param>
    /// <exception cref="ArgumentException">The row counts differ.</exception>
    public DataSet(Tensor<T> inputs, Tensor<T> targets)
    {
        Preconditions.CheckNotNull(inputs, nameof(inputs));
        Preconditions.CheckNotNull(targets, nameof(targets));
        if (inputs.Rows != targets.Rows)
        {
            throw new ArgumentException($"targets have {targets.Rows} rows but inputs have {inputs.Rows}; there must be one target row per sample.", nameof(targets));
        }

        Inputs = inputs;
        Targets = targets;
    }

    /// <summary>Creates a classification data set: the targets are the one-hot encoding of <paramref name="labels"/>.</summary>
    /// <param name="inputs">X, one row per sample.</param>
    /// <param name="labels">The class of each sample, in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">The number of classes.</param>
    /// <exception cref="ArgumentException">The counts differ, or a label is out of range.</exception>
    public DataSet(Tensor<T> inputs, IReadOnlyList<int> labels, int classes)
        : this(inputs, Tensor<T>.OneHot(labels, classes))
    {
        _labels = [.. labels];
        Classes = classes;
    }

    /// <summary>X: one row per sample, one column per feature.</summary>
    public Tensor<T> Inputs { get; }

    /// <summary>Y: one row per sample (one-hot for a classification data set).</summary>
    public Tensor<T> Targets { get; }

    /// <summary>The class of each sample, or <see langword="null"/> when the data set was not made from labels.</summary>
    public IReadOnlyList<int>? Labels => _labels;

    /// <summary>The number of classes, or 0 when the data set was not made from labels.</summary>
    public int Classes { get; }

    /// <summary>The number of samples.</summary>
    public int Count => Inputs.Rows;

    /// <summary>
    /// Makes a classification data set from IDX images and labels: each image becomes one row of
    /// Height·Width features, pixel/255 so that they lie in [0, 1]; each label becomes a one-hot row.
    /// </summary>
    /// <param name="images">The images.</param>
    /// <param name="labels">One label per image.</param>
    /// <param name="classes">The number of classes; 10 for digits.</param>
    /// <returns>A new data set.</returns>
    /// <exception cref="ArgumentException">The counts differ, or a label is not below <paramref name="classes"/>.</exception>
    public static DataSet<T> FromImages(IdxImages images, ReadOnlySpan<byte> labels, int classes = 10)
    {
        Preconditions.CheckNotNull(images, nameof(images));
        if (images.Count != labels.Length)
        {
            throw new ArgumentException($"{images.Count} images but {labels.Length} labels; there must be one label per image.", nameof(labels));
        }

        Preconditions.CheckPositive(images.Count, "images.Count");
        int m = images.Count, n = images.PixelsPerImage;
        var inputs = new Tensor<T>(m, n);
        T[] data = inputs.Data;
        T scale = T.One / T.CreateChecked(255);
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<byte> pixels = images.Pixels.AsSpan(i * n, n);
            for (int j = 0; j < n; j++)
            {
                data[i + (j * m)] = T.CreateChecked(pixels[j]) * scale;
            }
        }

        var classLabels = new int[m];
        for (int i = 0; i < m; i++)
        {
            classLabels[i] = labels[i];
        }

        return new DataSet<T>(inputs, classLabels, classes);
    }

    /// <summary>The first <paramref name="count"/> samples (all of them when there are fewer).</summary>
    /// <param name="count">How many samples to keep, at least 1.</param>
    /// <returns>A new data set.</returns>
    public DataSet<T> Take(int count)
    {
        Preconditions.CheckPositive(count, nameof(count));
        count = Math.Min(count, Count);
        return Select(Enumerable.Range(0, count).ToArray());
    }

    /// <summary>The same samples in a random order.</summary>
    /// <param name="seed">The seed of the order.</param>
    /// <returns>A new data set.</returns>
    public DataSet<T> Shuffle(int seed)
    {
        int[] order = Enumerable.Range(0, Count).ToArray();
        new Random(seed).Shuffle(order);
        return Select(order);
    }

    /// <summary>Splits off the last <paramref name="validationCount"/> samples as validation data (shuffle first for a random split).</summary>
    /// <param name="validationCount">How many samples go to validation, between 1 and Count − 1.</param>
    /// <returns>The training part and the validation part.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationCount"/> leaves no sample on one side.</exception>
    public (DataSet<T> Training, DataSet<T> Validation) Split(int validationCount)
    {
        if (validationCount < 1 || validationCount >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(validationCount), validationCount, $"validationCount must be between 1 and {Count - 1} for {Count} samples.");
        }

        int trainCount = Count - validationCount;
        return (Select(Enumerable.Range(0, trainCount).ToArray()), Select(Enumerable.Range(trainCount, validationCount).ToArray()));
    }

    /// <summary>
    /// Enumerates the data in mini-batches of <paramref name="batchSize"/> samples (the last may be smaller). The batches are
    /// copied into two buffers allocated once, so a batch is only valid until the next one is taken.
    /// </summary>
    /// <param name="batchSize">Samples per batch, at least 1.</param>
    /// <param name="shuffleSeed">When given, the samples are visited in a random order from this seed.</param>
    /// <returns>The batches, as (inputs, targets).</returns>
    public IEnumerable<(Tensor<T> Inputs, Tensor<T> Targets)> Batches(int batchSize, int? shuffleSeed = null)
    {
        Preconditions.CheckPositive(batchSize, nameof(batchSize));
        return Iterate();

        IEnumerable<(Tensor<T>, Tensor<T>)> Iterate()
        {
            var batches = new MiniBatches<T>(Inputs, Targets, batchSize, shuffleSeed.HasValue);
            if (shuffleSeed is { } seed)
            {
                batches.Shuffle(new Random(seed));
            }

            for (int b = 0; b < batches.Count; b++)
            {
                yield return batches.Get(b);
            }
        }
    }

    private DataSet<T> Select(int[] rows)
    {
        var inputs = new Tensor<T>(rows.Length, Inputs.Columns);
        Inputs.GatherRowsTo(rows, inputs);
        if (_labels is not null)
        {
            return new DataSet<T>(inputs, rows.Select(i => _labels[i]).ToArray(), Classes);
        }

        var targets = new Tensor<T>(rows.Length, Targets.Columns);
        Targets.GatherRowsTo(rows, targets);
        return new DataSet<T>(inputs, targets);
    }
}
