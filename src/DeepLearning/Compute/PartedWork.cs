namespace DeepLearning.Compute;

/// <summary>
/// A loop over units — a layer's channels, the columns of a matrix, the samples of a batch — cut into contiguous parts
/// that run on the library's worker threads (the managed matrix product's), for layers written inside or outside the
/// library. The body must write only what its units own; then the numbers are the same on any thread count. Make one per
/// layer (the body is a delegate created once, reading the layer's fields), so a call allocates nothing.
/// </summary>
/// <example>
/// <code>
/// private readonly PartedWork _normalize;   // in the constructor: _normalize = new PartedWork((first, last) => Normalize(first, last));
/// _normalize.Run(channels, values);          // in ForwardCore: channels [0, C) on as many threads as the values are worth
/// </code>
/// </example>
/// <param name="body">Runs units [first, last).</param>
/// <param name="valuesPerThread">
/// How many values a thread must have to be worth using: below this many per thread the loop runs on fewer threads, on
/// the calling thread alone below twice as many. Lower it for loops whose values cost more than a read and a write.
/// </param>
public sealed class PartedWork(Action<int, int> body, int valuesPerThread) : IWork
{
    /// <summary>The default values per thread, 65,536: below that, waking a worker costs more than it saves.</summary>
    public const int DefaultValuesPerThread = 1 << 16;

    private readonly Action<int, int> _body = body ?? throw new ArgumentNullException(nameof(body));
    private readonly int _valuesPerThread = Preconditions.CheckPositive(valuesPerThread, nameof(valuesPerThread));
    private int _units;

    /// <summary>A loop that uses a thread per <see cref="DefaultValuesPerThread"/> values.</summary>
    /// <param name="body">Runs units [first, last).</param>
    public PartedWork(Action<int, int> body)
        : this(body, DefaultValuesPerThread)
    {
    }

    /// <summary>
    /// Runs the body over [0, <paramref name="units"/>), on as many threads as the values touched are worth (one per
    /// values-per-thread, at most the backend's threads), the calling thread taking the first part; returns when every part is done.
    /// </summary>
    /// <param name="units">How many units there are.</param>
    /// <param name="values">How many values the whole loop reads or writes.</param>
    /// <exception cref="AggregateException">A part threw; the exception holds what it threw.</exception>
    public void Run(int units, long values)
    {
        Preconditions.CheckNonNegative(units, nameof(units));
        _units = units;
        long worth = Math.Max(1, values / _valuesPerThread);
        int parts = (int)Math.Min(Math.Min(units, worth), Math.Min(ManagedBackend.Instance.MaxThreads, WorkerPool.Count + 1));
        if (parts <= 1)
        {
            _body(0, units);
        }
        else
        {
            WorkerPool.Run(this, parts);
        }
    }

    /// <inheritdoc/>
    void IWork.Run(int index, int parts)
        => _body((int)((long)_units * index / parts), (int)((long)_units * (index + 1) / parts));
}
