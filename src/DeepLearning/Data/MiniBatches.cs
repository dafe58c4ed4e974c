using System.Numerics;

namespace DeepLearning.Data;

/// <summary>
/// Splits (X, Y) into mini-batches of a fixed size (the last one may be smaller), in an order that can be reshuffled,
/// copying each batch into buffers allocated once.
/// </summary>
internal sealed class MiniBatches<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _inputs;
    private readonly Tensor<T> _targets;
    private readonly int[] _order;
    private readonly bool _whole;
    private readonly (Tensor<T> X, Tensor<T> Y) _full;
    private readonly (Tensor<T> X, Tensor<T> Y) _last;

    public MiniBatches(Tensor<T> inputs, Tensor<T> targets, int batchSize, bool shuffled)
    {
        _inputs = inputs;
        _targets = targets;
        int m = inputs.Rows;
        BatchSize = Math.Min(batchSize, m);
        Count = (m + BatchSize - 1) / BatchSize;
        _order = new int[m];
        for (int i = 0; i < m; i++)
        {
            _order[i] = i;
        }

        _whole = BatchSize == m && !shuffled;
        if (_whole)
        {
            _full = _last = (inputs, targets);
            return;
        }

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
        _inputs.GatherRowsTo(_order.AsSpan(start, count), x);
        _targets.GatherRowsTo(_order.AsSpan(start, count), y);
        return (x, y);
    }
}
