using System.Numerics;
using DeepLearning.Layers;
using DeepLearning.Optimizers;

namespace OutsideConcepts;

/// <summary>
/// RMSprop (Hinton): each weight's step is divided by a running average of its squared gradient:
/// v ← ρ·v + (1 − ρ)·g², w ← w − ε·g / (√v + δ). PyTorch: <c>torch.optim.RMSprop(lr=ε, alpha=ρ, eps=δ)</c>. It follows a
/// schedule (a step at a given rate) and exports its averages for a checkpoint.
/// </summary>
public sealed class RMSprop(double learningRate, double rho, double epsilon) : IOptimizer
{
    private readonly Dictionary<object, Array> _averages = new(ReferenceEqualityComparer.Instance);

    public double LearningRate { get; } = learningRate > 0 ? learningRate : throw new ArgumentOutOfRangeException(nameof(learningRate), "lr must be positive.");

    public int StatePerValue => 1;

    public string Spec => FormattableString.Invariant($"rmsprop({LearningRate:R}, {rho:R}, {epsilon:R})");

    public void Step<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => Step(parameters, LearningRate);

    /// <summary>A step at the rate a schedule gives.</summary>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters, double learningRate)
        where T : struct, IFloatingPointIeee754<T>
    {
        T lr = T.CreateChecked(learningRate), r = T.CreateChecked(rho), oneMinusR = T.CreateChecked(1 - rho), eps = T.CreateChecked(epsilon);
        foreach (Parameter<T> parameter in parameters)
        {
            if (!_averages.TryGetValue(parameter, out Array? average))
            {
                _averages[parameter] = average = new T[parameter.Count];
            }

            Span<T> w = parameter.Values, g = parameter.Gradients, v = ((T[])average).AsSpan();
            for (int i = 0; i < w.Length; i++)
            {
                v[i] = (r * v[i]) + (oneMinusR * g[i] * g[i]);
                w[i] -= lr * g[i] / (T.Sqrt(v[i]) + eps);
            }
        }
    }

    /// <summary>The running averages v, one array per parameter, for a checkpoint.</summary>
    public OptimizerState<T> GetState<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => new(0, [.. parameters.Select((p, i) => (p, i)).Where(e => _averages.ContainsKey(e.p)).Select(e => new OptimizerTensor<T>(e.i, "square_avg", [.. (T[])_averages[e.p]]))]);

    public void SetState<T>(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
        where T : struct, IFloatingPointIeee754<T>
    {
        _averages.Clear();
        foreach (OptimizerTensor<T> tensor in state.Tensors)
        {
            _averages[parameters[tensor.Parameter]] = (T[])tensor.Values.Clone();
        }
    }
}
