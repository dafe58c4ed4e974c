using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// What the recurrent layers (<see cref="Rnn{T}"/>, <see cref="Gru{T}"/>) share: moving one position's rows between the
/// (m·T)×H matrix of every position (rows t·m … t·m + m − 1 are position t, see <see cref="FeatureShape"/>) and an m×H
/// matrix of their own for the step's products, and PyTorch's initialization of recurrent weights.
/// </summary>
internal static class Recurrence
{
    /// <summary>Copies position <paramref name="t"/>'s m rows of <paramref name="all"/> into <paramref name="step"/>.</summary>
    public static void Read<T>(Tensor<T> all, int t, Tensor<T> step)
        where T : struct, IFloatingPointIeee754<T>
    {
        int m = step.Rows;
        for (int j = 0; j < step.Columns; j++)
        {
            all.ColumnSpan(j).Slice(t * m, m).CopyTo(step.ColumnSpan(j));
        }
    }

    /// <summary>Copies <paramref name="step"/> into position <paramref name="t"/>'s m rows of <paramref name="all"/>.</summary>
    public static void Write<T>(Tensor<T> step, Tensor<T> all, int t)
        where T : struct, IFloatingPointIeee754<T>
    {
        int m = step.Rows;
        for (int j = 0; j < step.Columns; j++)
        {
            step.ColumnSpan(j).CopyTo(all.ColumnSpan(j).Slice(t * m, m));
        }
    }

    /// <summary>The hidden states one position late — position t holds h_(t−1), position 0 the zeros of h_(−1) — for ∂L/∂W_h = Σ h_(t−1)ᵀ·δ_t.</summary>
    public static void Shift<T>(Tensor<T> all, Tensor<T> shifted, int m)
        where T : struct, IFloatingPointIeee754<T>
    {
        int rows = all.Rows;
        for (int j = 0; j < all.Columns; j++)
        {
            Span<T> target = shifted.ColumnSpan(j);
            target[..m].Clear();
            all.ColumnSpan(j)[..(rows - m)].CopyTo(target[m..]);
        }
    }

    /// <summary>PyTorch's initialization of nn.RNN and nn.GRU: every weight and bias from U(−1/√H, 1/√H).</summary>
    public static void Uniform<T>(Span<T> values, int hidden, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        double limit = 1 / Math.Sqrt(hidden);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = T.CreateChecked(((2 * random.NextDouble()) - 1) * limit);
        }
    }
}
