using System.Numerics;
using System.Numerics.Tensors;
using DeepLearning.Compute;
using DeepLearning.Layers;

namespace DeepLearning.Regularization;

/// <summary>
/// L2 regularization (weight decay) in Nielsen's convention: <c>C = C₀ + (λ/2n)·Σ w²</c> over the weights (not the
/// biases), n the number of training samples, so each step is <c>w ← (1 − ηλ/n)·w − η·∂C₀/∂w</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Gradient</b>: ∂C/∂w = ∂C₀/∂w + (λ/n)·w. Biases are left alone, as in the book.
/// </para>
/// <para>
/// <b>PyTorch</b>: <c>torch.optim.SGD(..., weight_decay=λ/n)</c> does the same step, if the biases are put in a parameter
/// group with <c>weight_decay=0</c>. Nielsen's chapter 3 uses λ = 5.0 with n = 50,000, that is weight_decay = 1e-4.
/// Registry name <c>l2(λ)</c>. Stateless and thread-safe.
/// </para>
/// </remarks>
/// <example>
/// w = 5 with ∂C₀/∂w = 8, η = 0.1, λ = 5, n = 50,000: w ← (1 − 0.1·5/50,000)·5 − 0.1·8 = 4.19995.
/// </example>
public sealed class L2 : IRegularizer
{
    /// <summary>Creates the regularizer.</summary>
    /// <param name="lambda">λ, at least 0 (0 turns it off).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is negative or not finite.</exception>
    public L2(double lambda)
    {
        if (!(lambda >= 0) || !double.IsFinite(lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"lambda must be 0 or a positive finite number, but was {Preconditions.Format(lambda)}.");
        }

        Lambda = lambda;
    }

    /// <summary>λ, the regularization parameter.</summary>
    public double Lambda { get; }

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"l2({Lambda:R})");

    /// <inheritdoc/>
    /// <returns>(λ/2n)·Σ w² over the weights.</returns>
    public double Penalty<T>(IReadOnlyList<Parameter<T>> parameters, int trainingSamples)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckPositive(trainingSamples, nameof(trainingSamples));
        double sum = 0;
        foreach (Parameter<T> parameter in parameters.Where(p => p.IsWeight))
        {
            sum += double.CreateChecked(TensorPrimitives.SumOfSquares<T>(parameter.Values));
        }

        return Lambda / (2.0 * trainingSamples) * sum;
    }

    /// <inheritdoc/>
    /// <remarks>Adds (λ/n)·w to ∂C₀/∂w for every weight.</remarks>
    public void AddGradient<T>(IReadOnlyList<Parameter<T>> parameters, int trainingSamples)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckPositive(trainingSamples, nameof(trainingSamples));
        T scale = T.CreateChecked(Lambda / trainingSamples);
        for (int i = 0; i < parameters.Count; i++) // indexed: no enumerator allocated per step
        {
            Parameter<T> parameter = parameters[i];
            if (parameter.IsWeight)
            {
                InCache.MultiplyAdd<T>(parameter.Values, scale, parameter.Gradients, parameter.Gradients);
            }
        }
    }

    /// <summary>Returns the spec, for example <c>l2(5)</c>.</summary>
    /// <returns>The spec.</returns>
    public override string ToString() => Spec;
}
