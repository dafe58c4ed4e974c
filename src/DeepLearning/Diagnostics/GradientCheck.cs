using System.Numerics;
using DeepLearning.Layers;
using DeepLearning.Losses;
using DeepLearning.Training;

namespace DeepLearning.Diagnostics;

/// <summary>
/// Gradient checking: compares the gradients that backpropagation computes with central finite differences,
/// ∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε, one parameter value at a time. If they agree, backpropagation is right.
/// </summary>
/// <remarks>
/// <para>
/// For each parameter tensor the result gives the relative error ‖g − n‖ / (‖g‖ + ‖n‖) between the analytic gradient g and
/// the numerical one n (Euclidean norms; 0 when both are zero). In double precision a correct backpropagation gives
/// errors around 1e-9 or smaller; an error above 1e-6 means a bug. Float is too coarse for this: use double.
/// </para>
/// <para>
/// It costs two forward passes per parameter value, so use small networks and a few samples. The network's parameters
/// are restored exactly afterwards; its gradients hold the analytic ones.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// GradientCheckResult check = GradientCheck.Run(network, x, y, Loss.CrossEntropy);
/// Console.WriteLine(check); // one line per parameter tensor
/// bool ok = check.MaxRelativeError &lt; 1e-6;
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>Checks every parameter of <paramref name="network"/> on one batch.</summary>
    /// <typeparam name="T">float or double (double recommended).</typeparam>
    /// <param name="network">The network to check.</param>
    /// <param name="inputs">A small batch X.</param>
    /// <param name="targets">Its targets Y.</param>
    /// <param name="loss">The loss L.</param>
    /// <param name="epsilon">The step ε of the finite differences; default 1e-5.</param>
    /// <returns>One entry per parameter tensor.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not positive and finite.</exception>
    public static GradientCheckResult Run<T>(Network<T> network, Tensor<T> inputs, Tensor<T> targets, ILoss loss, double epsilon = 1e-5)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(loss, nameof(loss));
        Preconditions.CheckPositiveFinite(epsilon, nameof(epsilon));
        network.ComputeGradients(inputs, targets, loss, training: false); // inference mode: dropout off, so both sides see one function
        var entries = new List<ParameterGradientCheck>();
        foreach (Parameter<T> parameter in network.Parameters)
        {
            T[] analytic = parameter.Gradients.ToArray();
            Span<T> values = parameter.Values;
            double differenceSquared = 0, analyticSquared = 0, numericSquared = 0, maxAbsolute = 0;
            for (int k = 0; k < values.Length; k++)
            {
                T original = values[k];
                values[k] = original + T.CreateChecked(epsilon);
                double plus = double.CreateChecked(loss.Value(network.Forward(inputs), targets));
                values[k] = original - T.CreateChecked(epsilon);
                double minus = double.CreateChecked(loss.Value(network.Forward(inputs), targets));
                values[k] = original;

                double numeric = (plus - minus) / (2 * epsilon);
                double g = double.CreateChecked(analytic[k]);
                differenceSquared += (g - numeric) * (g - numeric);
                analyticSquared += g * g;
                numericSquared += numeric * numeric;
                maxAbsolute = Math.Max(maxAbsolute, Math.Abs(g - numeric));
            }

            double denominator = Math.Sqrt(analyticSquared) + Math.Sqrt(numericSquared);
            double relative = denominator == 0 ? 0 : Math.Sqrt(differenceSquared) / denominator;
            entries.Add(new ParameterGradientCheck(parameter.Name, parameter.Shape, relative, maxAbsolute));
            analytic.CopyTo(parameter.Gradients);
        }

        network.Forward(inputs);
        return new GradientCheckResult(entries.AsReadOnly());
    }
}
