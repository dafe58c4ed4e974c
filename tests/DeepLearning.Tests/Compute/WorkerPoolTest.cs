using DeepLearning.Compute;

namespace DeepLearning.Tests.Compute;

/// <summary>
/// The hand-over between the caller and the worker threads: every part of every job runs exactly once, whether the
/// workers are still spinning for the next job or have gone to sleep, and a failing part neither loses nor leaks a job.
/// The assertions hold whatever the timing; the pauses only make both kinds of hand-over happen.
/// </summary>
public class WorkerPoolTest
{
    private static int Parts => WorkerPool.Count + 1;

    [Fact]
    public void Jobs_BackToBackAndAfterPauses_RunEveryPartOnce()
    {
        for (int job = 0; job < 400; job++)
        {
            if (job % 40 == 39)
            {
                Thread.Sleep(5); // longer than the workers spin: the next job has to wake them
            }

            var counting = new Counting(Parts);
            WorkerPool.Run(counting, Parts);
            counting.Runs.Should().AllSatisfy(r => r.Should().Be(1), $"job {job} runs each of its {Parts} parts once");
        }
    }

    [Fact]
    public void AJobOfOnePart_RunsOnTheCaller_AndTheNextFullJobStillRunsEveryPart()
    {
        var one = new Counting(1);
        WorkerPool.Run(one, 1);
        one.Runs.Should().Equal([1]);
        one.Threads.Should().Equal([Environment.CurrentManagedThreadId]);

        var all = new Counting(Parts);
        WorkerPool.Run(all, Parts);
        all.Runs.Should().AllSatisfy(r => r.Should().Be(1));
    }

    [Fact]
    public void APartThatThrows_SurfacesAsAggregateException_AndThePoolKeepsWorking()
    {
        for (int failing = 0; failing < Parts; failing++)
        {
            var job = new Counting(Parts, failing);
            Action run = () => WorkerPool.Run(job, Parts);
            if (failing == 0)
            {
                run.Should().Throw<InvalidOperationException>().WithMessage("part 0 failed"); // the caller's own part
            }
            else
            {
                run.Should().Throw<AggregateException>().WithInnerException<InvalidOperationException>().WithMessage($"part {failing} failed");
            }

            job.Runs.Should().AllSatisfy(r => r.Should().Be(1), "every part ran, the failing one included, before Run returned");
            var next = new Counting(Parts);
            WorkerPool.Run(next, Parts);
            next.Runs.Should().AllSatisfy(r => r.Should().Be(1), "a failure leaves no part of the old job behind");
        }
    }

    [Fact]
    public void CallersOnSeveralThreads_EachJobRunsEveryPartOnce()
    {
        const int Jobs = 300;
        var jobs = Enumerable.Range(0, Jobs).Select(_ => new Counting(Parts)).ToArray();
        Parallel.For(0, Jobs, new ParallelOptions { MaxDegreeOfParallelism = 4 }, j => WorkerPool.Run(jobs[j], Parts));
        jobs.Should().AllSatisfy(j => j.Runs.Should().AllSatisfy(r => r.Should().Be(1)));
    }

    [Fact]
    public void PartedWork_ValuesPerThread_DecidesTheThreadsAndEveryUnitRunsOnce()
    {
        var calls = new System.Collections.Concurrent.ConcurrentBag<(int First, int Last, int Thread)>();
        var cheap = new PartedWork((first, last) => calls.Add((first, last, Environment.CurrentManagedThreadId)), valuesPerThread: 10);
        cheap.Run(100, values: 1_000);
        calls.Should().HaveCount(Math.Min(Parts, 100), "a thread per 10 values: every thread is worth it");
        calls.SelectMany(c => Enumerable.Range(c.First, c.Last - c.First)).Should().BeEquivalentTo(Enumerable.Range(0, 100));

        calls.Clear();
        var costly = new PartedWork((first, last) => calls.Add((first, last, Environment.CurrentManagedThreadId)), valuesPerThread: 1 << 30);
        costly.Run(100, values: 1_000);
        calls.Should().Equal([(0, 100, Environment.CurrentManagedThreadId)], "too few values for a second thread");

        Action zero = () => _ = new PartedWork((_, _) => { }, valuesPerThread: 0);
        zero.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("valuesPerThread");
    }

    private sealed class Counting(int parts, int failing = -1) : IWork
    {
        public int[] Runs { get; } = new int[parts];

        public int[] Threads { get; } = new int[parts];

        public void Run(int index, int parts)
        {
            Interlocked.Increment(ref Runs[index]);
            Threads[index] = Environment.CurrentManagedThreadId;
            Thread.SpinWait(50 * (index + 1)); // parts of unequal length: the caller waits, or a worker is the last
            if (index == failing)
            {
                throw new InvalidOperationException($"part {index} failed");
            }
        }
    }
}
