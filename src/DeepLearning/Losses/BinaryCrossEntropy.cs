using System.Numerics;
using DeepLearning.Activations;

namespace DeepLearning.Losses;

/// <summary>
/// The binary cross-entropy on logits: with p = σ(z) for each output, ℓ(z, y) = −Σₖ [yₖ log pₖ + (1 − yₖ) log(1 − pₖ)] per
/// sample (summed over the outputs), and L = (1/m) Σᵢ ℓ(zᵢ, yᵢ) over a batch of m. Each output is an independent yes/no
/// question; the network's last layer gives its logit z (no activation), and the sigmoid is part of the loss.
/// </summary>
/// <remarks>
/// <para>
/// <b>Computed on logits, exact at any value</b>, with the softplus form ℓₖ = max(z, 0) − z·y + log(1 + e^(−|z|)), which
/// never takes the log of a probability that rounded to 0 or 1 (for z = 25 it keeps every digit; for z = ±1000 the loss
/// is exactly 1000 or 0).
/// </para>
/// <para>
/// <b>Gradient</b> with respect to the logits: ∂L/∂z = (σ(z) − y)/m, fused in the loss.
/// </para>
/// <para>
/// <b>PyTorch</b>: <c>torch.nn.BCEWithLogitsLoss(reduction="sum")(z, y) / m</c> — the sum over the outputs, the mean over
/// the samples — which is n times <c>BCEWithLogitsLoss()</c> for n outputs. Summing over the outputs is Nielsen's
/// chapter-3 cross-entropy. <see cref="ILoss.Predictions{T}"/> turns logits into probabilities (the sigmoid).
/// </para>
/// </remarks>
/// <example>A logit ln 4 (p = 0.8) for label 1: ℓ = −log 0.8 ≈ 0.223144; for label 0: ℓ = −log 0.2 ≈ 1.609438.</example>
public sealed class BinaryCrossEntropy : ILoss
{
    internal BinaryCrossEntropy()
    {
    }

    /// <inheritdoc/>
    public string Name => "BinaryCrossEntropy";

    /// <inheritdoc/>
    /// <remarks>σ for each output: the probability each logit stands for.</remarks>
    public IActivation? Head => Activation.Sigmoid;

    /// <inheritdoc/>
    public string Spec => "binary_cross_entropy";

    /// <inheritdoc/>
    public T Value<T>(Tensor<T> predictions, Tensor<T> targets)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Value), predictions, targets);
        Span<T> zs = predictions.AsSpan(), ys = targets.AsSpan();
        double sum = 0;
        for (int i = 0; i < zs.Length; i++)
        {
            double z = double.CreateChecked(zs[i]), y = double.CreateChecked(ys[i]);
            sum += Math.Max(z, 0) - (z * y) + LogOnePlus(Math.Exp(-Math.Abs(z)));
        }

        return T.CreateChecked(sum / predictions.Rows);
    }

    /// <inheritdoc/>
    public void Gradient<T>(Tensor<T> predictions, Tensor<T> targets, Tensor<T> result)
        where T : struct, IFloatingPointIeee754<T>
    {
        Loss.CheckShapes(this, nameof(Gradient), predictions, targets, result);
        Span<T> z = predictions.AsSpan(), g = result.AsSpan(), y = targets.AsSpan();
        T m = T.CreateChecked(predictions.Rows);
        for (int i = 0; i < g.Length; i++)
        {
            // σ(z) one value at a time: TensorPrimitives' vectorized exp can differ in the last bit with where the
            // destination sits in memory, and a loss's gradient (m×outputs values) is too small to need it.
            T sigma = T.One / (T.One + T.Exp(-z[i]));
            g[i] = (sigma - y[i]) / m;
        }
    }

    /// <summary>log(1 + x) for 0 ≤ x ≤ 1, exact also for tiny x (where 1 + x rounds to 1).</summary>
    private static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1); // the classic correction of the rounding in 1 + x
    }

    /// <summary>Returns <c>BinaryCrossEntropy</c>.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}
