using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Layers;

namespace DeepLearning.Clipping;

/// <summary>Clipping by value: every gradient entry is cut to [−limit, limit]. Simple, but it changes the gradient's direction.</summary>
/// <remarks>PyTorch: <c>torch.nn.utils.clip_grad_value_(parameters, clip_value=limit)</c>. Registry name <c>value(limit)</c>.</remarks>
/// <example>With limit 0.5, gradients (3, −0.2, −4) become (0.5, −0.2, −0.5).</example>
public sealed class ClipValue : IGradientClipping
{
    /// <summary>Creates the rule.</summary>
    /// <param name="limit">The largest magnitude an entry may keep, positive and finite.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive and finite.</exception>
    public ClipValue(double limit) => Limit = Preconditions.CheckPositiveFinite(limit, nameof(limit));

    /// <summary>The largest magnitude an entry may keep.</summary>
    public double Limit { get; }

    /// <inheritdoc/>
    public string Name => "ClipValue";

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"value({Limit:R})");

    /// <inheritdoc/>
    public double Clip<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        T high = T.CreateChecked(Limit), low = -high;
        double squares = 0;
        for (int index = 0; index < parameters.Count; index++) // indexed: no enumerator allocated per step
        {
            Parameter<T> parameter = parameters[index];
            double norm = double.CreateChecked(TensorPrimitives.Norm<T>(parameter.Gradients));
            squares += norm * norm;
            TensorPrimitives.Clamp<T>(parameter.Gradients, low, high, parameter.Gradients);
        }

        return Math.Sqrt(squares);
    }

    /// <summary>Returns the setting, for example <c>ClipValue(0.5)</c>.</summary>
    /// <returns>The rule as text.</returns>
    public override string ToString() => FormattableString.Invariant($"ClipValue({Limit})");
}
