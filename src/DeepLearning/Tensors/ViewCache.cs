using System.Numerics;

namespace DeepLearning;

/// <summary>
/// Views of tensors under other shapes (<see cref="Tensor{T}.Reshape"/>), kept so that asking again for the same view of
/// the same storage allocates nothing: how a training step sees a sequence's m×(D·T) batch as its (m·T)×D positions
/// batch after batch without allocating. Holds the last few views; not thread-safe.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal sealed class ViewCache<T>(int capacity = 8)
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly Tensor<T>?[] _views = new Tensor<T>?[capacity];
    private int _next;

    /// <summary>
    /// <paramref name="source"/>'s values seen as <paramref name="rows"/>×<paramref name="columns"/>, sharing its storage —
    /// or, for a tensor whose storage is larger than its values (a slice), a view of a copy.
    /// </summary>
    public Tensor<T> Get(Tensor<T> source, int rows, int columns)
    {
        if (source.Rows == rows && source.Columns == columns)
        {
            return source;
        }

        foreach (Tensor<T>? view in _views)
        {
            if (view is not null && view.Rows == rows && view.Columns == columns && view.SharesStorageWith(source))
            {
                return view;
            }
        }

        Tensor<T> created;
        try
        {
            created = source.Reshape(rows, columns);
        }
        catch (NotSupportedException)
        {
            created = source.Clone().Reshape(rows, columns);
        }

        _views[_next++ % _views.Length] = created;
        return created;
    }
}
