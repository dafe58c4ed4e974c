namespace DeepLearning.Compute;

/// <summary>A part of a product that a worker thread can run.</summary>
internal interface IWork
{
    void Run(int index, int parts);
}

/// <summary>
/// Dedicated worker threads (processor count − 1) that run the parts of one job at a time (a matrix product, a layer's loop over channels), without allocating:
/// the caller runs part 0 and waits for the others. A second product that arrives while one is running runs on its own
/// thread alone (the same numbers: every part writes only what it owns).
/// </summary>
internal static class WorkerPool
{
    private static readonly object Gate = new();
    private static readonly SemaphoreSlim[] Start = [.. Enumerable.Range(0, Count).Select(_ => new SemaphoreSlim(0))];
    private static readonly object DoneLock = new(); // allocated once: waiting on it never allocates (a CountdownEvent allocates its lock the first time it blocks)
    private static int _remaining;
    private static IWork? _work;
    private static int _parts;
    private static Exception? _failure;
    private static bool _started;

    public static int Count => Math.Max(0, Math.Min(Environment.ProcessorCount, 64) - 1);

    public static void Run(IWork work, int parts)
    {
        if (!Monitor.TryEnter(Gate))
        {
            for (int i = 0; i < parts; i++)
            {
                work.Run(i, parts);
            }

            return;
        }

        try
        {
            EnsureStarted();
            _work = work;
            _parts = parts;
            _failure = null;
            Volatile.Write(ref _remaining, parts - 1);
            for (int i = 1; i < parts; i++)
            {
                Start[i - 1].Release();
            }

            work.Run(0, parts);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _remaining) > 0 && !spin.NextSpinWillYield)
            {
                spin.SpinOnce();
            }

            lock (DoneLock)
            {
                while (Volatile.Read(ref _remaining) > 0)
                {
                    Monitor.Wait(DoneLock);
                }
            }
            if (_failure is { } failure)
            {
                throw new AggregateException("A worker of the managed matrix product failed.", failure);
            }
        }
        finally
        {
            _work = null;
            Monitor.Exit(Gate);
        }
    }

    private static void EnsureStarted()
    {
        if (_started)
        {
            return;
        }

        for (int i = 0; i < Count; i++)
        {
            int id = i;
            new Thread(() => Loop(id)) { IsBackground = true, Name = $"DeepLearning GEMM worker {id + 1}" }.Start();
        }

        _started = true;
    }

    private static void Loop(int id)
    {
        while (true)
        {
            Start[id].Wait();
            try
            {
                _work!.Run(id + 1, _parts);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                if (Interlocked.Decrement(ref _remaining) == 0)
                {
                    lock (DoneLock)
                    {
                        Monitor.PulseAll(DoneLock);
                    }
                }
            }
        }
    }
}
