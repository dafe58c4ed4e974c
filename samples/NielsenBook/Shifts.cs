using DeepLearning.Data;

namespace NielsenBook;

/// <summary>
/// network3.py's expanded training data (expand_mnist.py): every image, then the same image moved one pixel up, down,
/// left and right with a row or column of zeros coming in — five times the images, each with its label.
/// </summary>
internal static class Shifts
{
    private const int Side = 28;

    // (dy, dx): where a pixel moves to.
    private static readonly (int Dy, int Dx)[] Moves = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)];

    public static DataSet<float> Expand(DataSet<float> data)
    {
        IReadOnlyList<int> labels = data.Labels ?? throw new InvalidOperationException("expanding needs labelled images");
        int n = data.Count;
        var inputs = new Tensor<float>(checked(n * Moves.Length), Side * Side);

        // Samples are rows and a tensor is stored column by column, so each output pixel of each move is one copy of
        // the n values of one input pixel: rows [s·n, (s + 1)·n) hold move s of every image.
        for (int s = 0; s < Moves.Length; s++)
        {
            (int dy, int dx) = Moves[s];
            for (int y = 0; y < Side; y++)
            {
                for (int x = 0; x < Side; x++)
                {
                    Span<float> target = inputs.ColumnSpan((y * Side) + x).Slice(s * n, n);
                    int fromY = y - dy, fromX = x - dx;
                    if ((uint)fromY < Side && (uint)fromX < Side)
                    {
                        data.Inputs.ColumnSpan((fromY * Side) + fromX).CopyTo(target);
                    }
                    else
                    {
                        target.Clear();
                    }
                }
            }
        }

        return new DataSet<float>(inputs, [.. Enumerable.Range(0, Moves.Length).SelectMany(_ => labels)], data.Classes);
    }
}
