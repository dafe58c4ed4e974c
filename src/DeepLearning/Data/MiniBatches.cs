using System.Numerics;
using DeepLearning.Compute;

namespace DeepLearning.Data;

/// <summary>
/// Splits (X, Y) into mini-batches of a fixed size (the last one may be smaller), in an order that can be reshuffled,
/// copying each batch into buffers allocated once.
/// </summary>
/// <remarks>
/// Tensors store each feature's column contiguously, so the features of one sample are scattered over the whole matrix and
/// gathering a shuffled batch straight from it misses the cache once per feature per sample (for MNIST that cost more than
/// the matrix products). The batcher therefore keeps one copy of X and Y sample by sample (row-major), built once, and
/// gathers from it: each sample is one contiguous read. A batch of at least <see cref="ParallelValues"/> values is
/// gathered by the product's worker threads, each copying its own groups of samples (the reads are scattered over the
/// whole data set, so two threads fetch from memory twice as fast).
/// </remarks>
internal sealed class MiniBatches<T>
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>The fewest values of a batch (samples × features) copied on more than one thread.</summary>
    internal const int ParallelValues = 1 << 14;

    private const int Group = 8; // samples transposed together, so each write of a column fills one cache line

    private readonly T[] _inputRows;
    private readonly T[] _targetRows;
    private readonly int[] _order;
    private readonly bool _whole;
    private readonly (Tensor<T> X, Tensor<T> Y) _full;
    private readonly (Tensor<T> X, Tensor<T> Y) _last;
    private readonly PartedWork _gather; // over groups of samples, a thread per ParallelValues / 2 values
    private int _start; // the batch being gathered: positions [_start, _start + _count) of the order, into _x and _y
    private int _count;
    private Tensor<T>? _x;
    private Tensor<T>? _y;

    public MiniBatches(Tensor<T> inputs, Tensor<T> targets, int batchSize, bool shuffled)
    {
        int m = inputs.Rows;
        BatchSize = Math.Min(batchSize, m);
        Count = (m + BatchSize - 1) / BatchSize;
        _order = new int[m];
        for (int i = 0; i < m; i++)
        {
            _order[i] = i;
        }

        _gather = new PartedWork(GatherGroups, ParallelValues / 2);
        _whole = BatchSize == m && !shuffled;
        if (_whole)
        {
            _full = _last = (inputs, targets);
            _inputRows = _targetRows = [];
            return;
        }

        _inputRows = RowMajor(inputs);
        _targetRows = RowMajor(targets);

        _full = (new Tensor<T>(BatchSize, inputs.Columns), new Tensor<T>(BatchSize, targets.Columns));
        int rest = m % BatchSize;
        _last = rest == 0 ? _full : (new Tensor<T>(rest, inputs.Columns), new Tensor<T>(rest, targets.Columns));
    }

    public int BatchSize { get; }

    public int Count { get; }

    public void Shuffle(Random random) => random.Shuffle(_order);

    /// <summary>Batch <paramref name="index"/> (from 0), in buffers that the next call overwrites.</summary>
    public (Tensor<T> X, Tensor<T> Y) Get(int index)
    {
        if (_whole)
        {
            return _full;
        }

        int start = index * BatchSize;
        int count = Math.Min(BatchSize, _order.Length - start);
        (Tensor<T> x, Tensor<T> y) = count == BatchSize ? _full : _last;
        (_start, _count, _x, _y) = (start, count, x, y);
        _gather.Run((count + Group - 1) / Group, (long)count * (x.Columns + y.Columns));
        _x = _y = null;
        return (x, y);
    }

    // Groups [firstGroup, lastGroup) of the batch being gathered.
    private void GatherGroups(int firstGroup, int lastGroup)
    {
        int first = firstGroup * Group, last = Math.Min(_count, lastGroup * Group);
        ReadOnlySpan<int> rows = _order.AsSpan(_start, _count);
        Gather(_inputRows, rows, first, last, _x!);
        Gather(_targetRows, rows, first, last, _y!);
    }

    private static T[] RowMajor(Tensor<T> tensor)
    {
        var rows = new T[checked(tensor.Rows * tensor.Columns)];
        StorageOrder.ToRowByRow<T>(tensor.AsSpan(), tensor.Rows, tensor.Columns, rows);
        return rows;
    }

    /// <summary>Copies samples [first, last) of <paramref name="rows"/> (rows of a row-major array) into the column-major batch.</summary>
    private static void Gather(T[] source, ReadOnlySpan<int> rows, int first, int last, Tensor<T> batch)
    {
        int n = batch.Columns, mb = batch.Rows;
        T[] target = batch.Data;
        int r0 = first;
        for (; r0 + Group <= last; r0 += Group)
        {
            int s0 = rows[r0] * n, s1 = rows[r0 + 1] * n, s2 = rows[r0 + 2] * n, s3 = rows[r0 + 3] * n;
            int s4 = rows[r0 + 4] * n, s5 = rows[r0 + 5] * n, s6 = rows[r0 + 6] * n, s7 = rows[r0 + 7] * n;
            for (int j = 0, t = r0; j < n; j++, t += mb)
            {
                target[t] = source[s0 + j];
                target[t + 1] = source[s1 + j];
                target[t + 2] = source[s2 + j];
                target[t + 3] = source[s3 + j];
                target[t + 4] = source[s4 + j];
                target[t + 5] = source[s5 + j];
                target[t + 6] = source[s6 + j];
                target[t + 7] = source[s7 + j];
            }
        }

        for (int r = r0; r < last; r++)
        {
            ReadOnlySpan<T> sample = source.AsSpan(rows[r] * n, n);
            for (int j = 0; j < sample.Length; j++)
            {
                target[r + (j * mb)] = sample[j];
            }
        }
    }
}
