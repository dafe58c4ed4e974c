using System.Diagnostics;

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
/// <remarks>
/// A training step hands the workers a job every few microseconds (each layer's products, its element-wise loops), and
/// waking a thread blocked in the kernel takes tens of microseconds — as long as a batch-64 product itself. So a worker
/// that finished a job spins for <see cref="SpinTime"/> watching for the next one before it blocks, and the caller spins
/// as long for the workers' parts before it blocks (as OpenMP runtimes do); an idle process still sleeps within a
/// fraction of a millisecond. A side that is about to block raises a flag and then checks once more under a lock the
/// other side takes to pulse it, so a wake-up is never lost. Which thread runs which part never depends on timing.
/// </remarks>
internal static class WorkerPool
{
    /// <summary>How long a waiting side spins before it blocks.</summary>
    private static readonly long SpinTime = Stopwatch.Frequency / 4000; // 250 µs

    private const int PartsBits = 7; // parts ≤ 64 fit below the generation in a ticket

    private static readonly object Gate = new();
    private static readonly object[] Wake = [.. Enumerable.Range(0, Count).Select(_ => new object())]; // allocated once: waiting on a monitor allocates nothing
    private static readonly int[] Sleeping = new int[Count];
    private static readonly object Done = new();
    private static int _callerSleeping;
    private static long _ticket; // (generation << PartsBits) | parts of the job being handed out
    private static int _remaining;
    private static IWork? _work;
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
            _failure = null;
            Volatile.Write(ref _remaining, parts - 1);
            long generation = (Volatile.Read(ref _ticket) >> PartsBits) + 1;
            Interlocked.Exchange(ref _ticket, (generation << PartsBits) | (uint)parts); // a full fence: the job is visible first
            for (int i = 1; i < parts; i++)
            {
                if (Volatile.Read(ref Sleeping[i - 1]) == 1)
                {
                    lock (Wake[i - 1])
                    {
                        Monitor.Pulse(Wake[i - 1]);
                    }
                }
            }

            try
            {
                work.Run(0, parts);
            }
            finally
            {
                WaitForWorkers(); // even when part 0 threw: no worker may still be in this job when the next one starts
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

    private static void WaitForWorkers()
    {
        long start = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _remaining) > 0)
        {
            if (Stopwatch.GetTimestamp() - start > SpinTime)
            {
                Interlocked.Exchange(ref _callerSleeping, 1); // a full fence: the last worker sees the flag, or this sees its count
                lock (Done)
                {
                    while (Volatile.Read(ref _remaining) > 0)
                    {
                        Monitor.Wait(Done);
                    }
                }

                Volatile.Write(ref _callerSleeping, 0);
                return;
            }

            Thread.SpinWait(8);
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
            // Captured inside the loop, so that the early return above allocates no closure. Read here, not in the
            // thread: a thread that starts late must still see the first job.
            int id = i;
            long seen = Volatile.Read(ref _ticket) >> PartsBits;
            new Thread(() => Loop(id, seen)) { IsBackground = true, Name = $"DeepLearning GEMM worker {id + 1}" }.Start();
        }

        _started = true;
    }

    private static void Loop(int id, long seen)
    {
        while (true)
        {
            long ticket = NextTicket(id, seen);
            seen = ticket >> PartsBits;
            int parts = (int)(ticket & ((1 << PartsBits) - 1));
            if (id + 1 >= parts)
            {
                continue; // a job of fewer parts: the caller neither waits for nor wakes this worker
            }

            try
            {
                _work!.Run(id + 1, parts);
            }
            catch (Exception e)
            {
                _failure = e;
            }
            finally
            {
                if (Interlocked.Decrement(ref _remaining) == 0 && Volatile.Read(ref _callerSleeping) == 1)
                {
                    lock (Done)
                    {
                        Monitor.PulseAll(Done);
                    }
                }
            }
        }
    }

    // The ticket of a job after generation `seen`: spin for it a while, then block until the caller wakes this worker.
    // A job this worker takes part in cannot be replaced by the next one before it finishes, so the ticket read is its own.
    private static long NextTicket(int id, long seen)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            if (ticket >> PartsBits != seen)
            {
                return ticket;
            }

            if (Stopwatch.GetTimestamp() - start > SpinTime)
            {
                break;
            }

            Thread.SpinWait(8);
        }

        Interlocked.Exchange(ref Sleeping[id], 1); // a full fence: the caller sees the flag, or this sees its ticket
        long next;
        lock (Wake[id])
        {
            while ((next = Volatile.Read(ref _ticket)) >> PartsBits == seen)
            {
                Monitor.Wait(Wake[id]);
            }
        }

        Volatile.Write(ref Sleeping[id], 0);
        return next;
    }
}
