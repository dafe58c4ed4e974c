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
/// For each parameter tensor the result gives the relative error ‖g − n‖ / max(‖g‖ + ‖n‖, floor) between the analytic
/// gradient g and the numerical one n (Euclidean norms). In double precision a correct backpropagation gives errors around
/// 1e-9 or smaller; an error above 1e-6 means a bug. Float is too coarse for this: use double.
/// </para>
/// <para>
/// <b>The floor.</b> A tensor whose true gradient is zero — the bias of a layer followed by a batch normalization, which
/// subtracts the batch's mean and with it any bias — has a numerical gradient of rounding noise (about 1e-11) and an
/// analytic one of 0: their relative error would be about 1, for no bug. Below the floor (1e-4 by default) the error is
/// measured against the floor instead: the absolute difference ÷ 1e-4, still large for a real mistake.
/// </para>
/// <para>
/// <b>Inference or training mode.</b> By default the network runs in inference mode (dropout off, batch normalization on its
/// running averages). In training mode every pass is a training pass of the same function: the layers' state (running
/// averages, dropout's pass count, which picks its masks) is saved before the check and restored before each pass, so
/// every pass sees the same masks and the same batch statistics — and the network ends with the state it started with.
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
/// GradientCheckResult trained = GradientCheck.Run(network, x, y, Loss.CrossEntropy, training: true); // dropout and batch norm as in training
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
    /// <param name="training">Whether the passes are training passes (dropout and batch normalization as in training); default false.</param>
    /// <param name="floor">The smallest ‖g‖ + ‖n‖ a relative error is taken against; default 1e-4.</param>
    /// <returns>One entry per parameter tensor.</returns>
    /// <exception cref="ArgumentException">A shape does not match the network.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> or <paramref name="floor"/> is not positive and finite.</exception>
    public static GradientCheckResult Run<T>(Network<T> network, Tensor<T> inputs, Tensor<T> targets, ILoss loss, double epsilon = 1e-5, bool training = false, double floor = 1e-4)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(network, nameof(network));
        Preconditions.CheckNotNull(loss, nameof(loss));
        Preconditions.CheckPositiveFinite(epsilon, nameof(epsilon));
        Preconditions.CheckPositiveFinite(floor, nameof(floor));
        T[][] state = [.. network.State.Select(s => s.Values.ToArray())];
        network.ComputeGradients(inputs, targets, loss, training);
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
                double plus = LossOf(network, inputs, targets, loss, training, state);
                values[k] = original - T.CreateChecked(epsilon);
                double minus = LossOf(network, inputs, targets, loss, training, state);
                values[k] = original;
                double numeric = (plus - minus) / (2 * epsilon);
                double g = double.CreateChecked(analytic[k]);
                differenceSquared += (g - numeric) * (g - numeric);
                analyticSquared += g * g;
                numericSquared += numeric * numeric;
                maxAbsolute = Math.Max(maxAbsolute, Math.Abs(g - numeric));
            }

            double denominator = Math.Max(Math.Sqrt(analyticSquared) + Math.Sqrt(numericSquared), floor);
            entries.Add(new ParameterGradientCheck(parameter.Name, parameter.Shape, Math.Sqrt(differenceSquared) / denominator, maxAbsolute));
            analytic.CopyTo(parameter.Gradients);
        }

        Restore(network, state);
        network.Forward(inputs);
        return new GradientCheckResult(entries.AsReadOnly());
    }

    /// <summary>The loss of one pass, the layers' state put back first so that every pass computes the same function.</summary>
    private static double LossOf<T>(Network<T> network, Tensor<T> inputs, Tensor<T> targets, ILoss loss, bool training, T[][] state)
        where T : struct, IFloatingPointIeee754<T>
    {
        Restore(network, state);
        return double.CreateChecked(network.LossOf(inputs, targets, loss, training));
    }

    private static void Restore<T>(Network<T> network, T[][] state)
        where T : struct, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < state.Length; i++)
        {
            state[i].CopyTo(network.State[i].Values);
        }
    }
}
