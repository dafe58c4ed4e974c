using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Layers;

namespace DeepLearning.Clipping;

/// <summary>
/// Clipping by global norm: when the gradient of all parameters together, as one long vector g, is longer than
/// <see cref="MaxNorm"/>, it is scaled down to that length, <c>g ← g·max/‖g‖</c>; its direction is kept.
/// </summary>
/// <remarks>
/// ‖g‖ = √(Σ g²) over every gradient of every parameter. PyTorch: <c>torch.nn.utils.clip_grad_norm_(parameters,
/// max_norm)</c>, which scales by max/(‖g‖ + 10⁻⁶) when that is below 1 — the same here. Registry name
/// <c>norm(max)</c>; the trainer's <c>--clip 1.0</c> is <c>norm(1.0)</c>.
/// </remarks>
/// <example>Gradients (3, 4) have norm 5; with max 1 they become (0.6, 0.8) (to within 10⁻⁶).</example>
public sealed class ClipNorm : IGradientClipping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="maxNorm">The longest the gradient may be, positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    public ClipNorm(double maxNorm) => MaxNorm = Preconditions.CheckPositiveFinite(maxNorm, nameof(maxNorm));

    /// <summary>The longest the gradient may be.</summary>
    public double MaxNorm { get; }

    /// <inheritdoc/>
    public string Name => "ClipNorm";

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"norm({MaxNorm:R})");

    /// <inheritdoc/>
    public double Clip<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        double squares = 0;
        for (int index = 0; index < parameters.Count; index++) // indexed: no enumerator allocated per step
        {
            Parameter<T> parameter = parameters[index];
            double norm = double.CreateChecked(TensorPrimitives.Norm<T>(parameter.Gradients));
            squares += norm * norm;
        }

        double total = Math.Sqrt(squares), scale = MaxNorm / (total + 1e-6);
        if (scale < 1)
        {
            T factor = T.CreateChecked(scale);
            for (int index = 0; index < parameters.Count; index++) // indexed: no enumerator allocated per step
            {
                Parameter<T> parameter = parameters[index];
                TensorPrimitives.Multiply<T>(parameter.Gradients, factor, parameter.Gradients);
            }
        }

        return total;
    }

    /// <summary>Returns the setting, for example <c>ClipNorm(1)</c>.</summary>
    /// <returns>The rule as text.</returns>
    public override string ToString() => FormattableString.Invariant($"ClipNorm({MaxNorm})");
}
