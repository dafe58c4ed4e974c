using DeepLearning;
using DeepLearning.Data;

namespace Playground.Model;

/// <summary>
/// The mini-batches a page trains on: the rows of a data set in a seeded random order, taken a batch at a time and
/// shuffled again after each pass — the same seed, the same batches. The Digits and Names pages share it.
/// </summary>
public sealed class ShuffledBatches
{
    private readonly DataSet<float> _data;
    private readonly int[] _order, _batch;
    private readonly Random _shuffle;
    private int _cursor;

    /// <summary>Starts the first pass.</summary>
    /// <param name="data">The rows to learn from; at least one.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="seed">Seeds the order.</param>
    public ShuffledBatches(DataSet<float> data, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(data.Count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _data = data;
        _order = [.. Enumerable.Range(0, data.Count)];
        _batch = new int[batchSize];
        _shuffle = new Random(seed);
        _shuffle.Shuffle(_order);
        Inputs = new Tensor<float>(batchSize, data.Inputs.Columns);
        Targets = new Tensor<float>(batchSize, data.Targets.Columns);
    }

    /// <summary>The inputs of the current batch, one row per sample.</summary>
    public Tensor<float> Inputs { get; }

    /// <summary>The targets of the current batch.</summary>
    public Tensor<float> Targets { get; }

    /// <summary>Fills <see cref="Inputs"/> and <see cref="Targets"/> with the next batch of the order.</summary>
    public void Next()
    {
        for (int r = 0; r < _batch.Length; r++)
        {
            _batch[r] = _order[_cursor];
            if (++_cursor == _order.Length)
            {
                _cursor = 0;
                _shuffle.Shuffle(_order);
            }
        }

        Gather(_data.Inputs, Inputs);
        Gather(_data.Targets, Targets);
    }

    /// <summary>The batch's rows, column by column (a tensor stores its columns contiguously): no indexer per value.</summary>
    private void Gather(Tensor<float> from, Tensor<float> to)
    {
        for (int c = 0; c < from.Columns; c++)
        {
            Span<float> source = from.ColumnSpan(c), target = to.ColumnSpan(c);
            for (int r = 0; r < _batch.Length; r++)
            {
                target[r] = source[_batch[r]];
            }
        }
    }
}
