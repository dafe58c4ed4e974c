namespace DeepLearning.Compute;

/// <summary>
/// A loop over units (a layer's channels, the columns of a matrix) cut into contiguous parts that run on the managed
/// matrix product's worker threads. The body writes only what its units own, so the numbers are the same on any thread
/// count. Made once per layer (the body is a delegate created once), so a call allocates nothing.
/// </summary>
/// <param name="body">Runs units [first, last).</param>
internal sealed class PartedWork(Action<int, int> body) : IWork
{
    /// <summary>Below this many values per thread the loop runs on the calling thread alone (waking a worker costs more).</summary>
    private const long ValuesPerThread = 1L << 16;

    private int _units;

    /// <summary>Runs the body over [0, <paramref name="units"/>), on as many threads as the values touched are worth.</summary>
    /// <param name="units">How many units there are.</param>
    /// <param name="values">How many values the whole loop reads or writes.</param>
    public void Run(int units, long values)
    {
        _units = units;
        long worth = Math.Max(1, values / ValuesPerThread);
        int parts = (int)Math.Min(Math.Min(units, worth), Math.Min(ManagedBackend.Instance.MaxThreads, WorkerPool.Count + 1));
        if (parts <= 1)
        {
            body(0, units);
        }
        else
        {
            WorkerPool.Run(this, parts);
        }
    }

    /// <inheritdoc/>
    void IWork.Run(int index, int parts)
        => body((int)((long)_units * index / parts), (int)((long)_units * (index + 1) / parts));
}
