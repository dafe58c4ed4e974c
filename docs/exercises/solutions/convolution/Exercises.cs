namespace Exercises;

/// <summary>The exercises of the convolution chapter: the reference solution, which CI runs the
/// chapter's tests against (<c>-p:Solutions=true</c>).</summary>
public static class Convolution
{
    // Exercise 14 (the task is in the stub's doc comment).
    public static double[,] FeatureMap(double[,] image, double[,] filter, double bias)
    {
        int n = image.GetLength(0), k = filter.GetLength(0), side = n - k + 1;
        var map = new double[side, side];
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                double sum = bias;
                for (int i = 0; i < k; i++)
                {
                    for (int j = 0; j < k; j++)
                    {
                        sum += image[r + i, c + j] * filter[i, j];
                    }
                }

                map[r, c] = sum;
            }
        }

        return map;
    }

    // Exercise 15 (the task is in the stub's doc comment).
    public static double[,] MaxPool(double[,] map, int size)
    {
        int rows = map.GetLength(0) / size, columns = map.GetLength(1) / size;
        var pooled = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                double largest = double.NegativeInfinity;
                for (int i = 0; i < size; i++)
                {
                    for (int j = 0; j < size; j++)
                    {
                        largest = Math.Max(largest, map[(r * size) + i, (c * size) + j]);
                    }
                }

                pooled[r, c] = largest;
            }
        }

        return pooled;
    }

    // Exercise 16 (the task is in the stub's doc comment).
    public static int OutputSide(int n, int k, int padding, int stride)
    {
        return ((n + (2 * padding) - k) / stride) + 1;
    }
}
