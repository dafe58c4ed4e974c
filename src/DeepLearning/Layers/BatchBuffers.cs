namespace DeepLearning.Layers;

/// <summary>
/// Buffers sized for a batch, kept for the last few batch sizes seen (a training epoch alternates between the full
/// mini-batch size and the smaller last batch), so that steady-state training allocates nothing.
/// </summary>
internal sealed class BatchBuffers<TBuffers>(Func<int, TBuffers> create)
    where TBuffers : class
{
    private const int Capacity = 4;
    private readonly int[] _rows = new int[Capacity];
    private readonly TBuffers?[] _buffers = new TBuffers?[Capacity];
    private int _next;

    public TBuffers Get(int rows)
    {
        for (int i = 0; i < Capacity; i++)
        {
            if (_rows[i] == rows && _buffers[i] is { } found)
            {
                return found;
            }
        }

        TBuffers created = create(rows);
        _rows[_next] = rows;
        _buffers[_next] = created;
        _next = (_next + 1) % Capacity;
        return created;
    }
}
