using System.Numerics;
using DeepLearning.Layers;

namespace DeepLearning.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015): gradient descent whose step for each weight is scaled by running averages of its gradient
/// and of its squared gradient. At step t, with g = ∂L/∂w:
/// <c>m ← β₁·m + (1 − β₁)·g</c>, <c>v ← β₂·v + (1 − β₂)·g²</c>, <c>m̂ = m / (1 − β₁ᵗ)</c>, <c>v̂ = v / (1 − β₂ᵗ)</c>,
/// <c>w ← w − ε·m̂ / (√v̂ + δ)</c>.
/// </summary>
/// <remarks>
/// <para>
/// The averages start at zero, so the first steps would be too small; dividing by 1 − βᵗ (bias correction) fixes that.
/// Because each weight's step is divided by the size of its recent gradients, Adam needs little tuning of ε; 0.001 is the
/// usual start. This is PyTorch's <c>torch.optim.Adam(lr=ε, betas=(β₁, β₂), eps=δ)</c> without weight decay; a test
/// checks five steps against it.
/// </para>
/// <para>Registry name <c>adam(ε, β₁, β₂, δ)</c>. Keeps m and v per parameter: use one optimizer per network. Not thread-safe.</para>
/// </remarks>
/// <example>
/// One weight w = 5 with gradient 8 at the first step, ε = 0.1: m̂ = 8, v̂ = 64, so w ← 5 − 0.1·8/(8 + 1e-8) ≈ 4.9 —
/// the first step of Adam moves every weight by about ε, whatever the gradient's size.
/// </example>
public sealed class Adam : IOptimizer
{
    private readonly Dictionary<object, (Array M, Array V)> _moments = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">ε; default 0.001.</param>
    /// <param name="beta1">β₁, the decay of the gradient's average; default 0.9.</param>
    /// <param name="beta2">β₂, the decay of the squared gradient's average; default 0.999.</param>
    /// <param name="epsilon">δ, added to √v̂ so that nothing is divided by zero; default 1e-8.</param>
    /// <exception cref="ArgumentOutOfRangeException">ε or δ is not positive and finite, or a β is not in [0, 1).</exception>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        LearningRate = Preconditions.CheckPositiveFinite(learningRate, nameof(learningRate));
        Beta1 = Preconditions.CheckInRange(beta1, 0, 1, nameof(beta1));
        Beta2 = Preconditions.CheckInRange(beta2, 0, 1, nameof(beta2));
        Epsilon = Preconditions.CheckPositiveFinite(epsilon, nameof(epsilon));
    }

    /// <inheritdoc/>
    public double LearningRate { get; }

    /// <summary>β₁, the decay of the running average of the gradient.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, the decay of the running average of the squared gradient.</summary>
    public double Beta2 { get; }

    /// <summary>δ, the small number added to √v̂.</summary>
    public double Epsilon { get; }

    /// <summary>The number of steps taken so far (t).</summary>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public int StatePerValue => 2;

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"adam({LearningRate:R}, {Beta1:R}, {Beta2:R}, {Epsilon:R})");

    /// <inheritdoc/>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => Step(parameters, LearningRate);

    /// <inheritdoc/>
    /// <remarks>The step's ε replaces <see cref="LearningRate"/> in ε/(1 − β₁ᵗ), as in PyTorch with a scheduler.</remarks>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters, double learningRate)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckNonNegativeFinite(learningRate, nameof(learningRate));

        Steps++;
        // Constants are formed in double and rounded once, and the operations run in PyTorch's order, so that float
        // results agree with torch.optim.Adam to the last bits.
        T beta1 = T.CreateChecked(Beta1), beta2 = T.CreateChecked(Beta2), epsilon = T.CreateChecked(Epsilon);
        T oneMinusBeta1 = T.CreateChecked(1 - Beta1), oneMinusBeta2 = T.CreateChecked(1 - Beta2);
        T stepSize = T.CreateChecked(learningRate / (1 - Math.Pow(Beta1, Steps)));
        T correction2 = T.CreateChecked(Math.Sqrt(1 - Math.Pow(Beta2, Steps)));
        for (int index = 0; index < parameters.Count; index++) // indexed: no enumerator allocated per step
        {
            Parameter<T> parameter = parameters[index];
            if (!_moments.TryGetValue(parameter, out var moments))
            {
                moments = (new T[parameter.Count], new T[parameter.Count]);
                _moments.Add(parameter, moments);
            }

            Span<T> w = parameter.Values, g = parameter.Gradients;
            Span<T> m = ((T[])moments.M).AsSpan(), v = ((T[])moments.V).AsSpan();
            int i = 0;
            if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            {
                // The same operations lane by lane (square root and division are exact in IEEE arithmetic): same numbers.
                Vector<T> b1 = new(beta1), b2 = new(beta2), c1 = new(oneMinusBeta1), c2 = new(oneMinusBeta2);
                Vector<T> eps = new(epsilon), step = new(stepSize), root = new(correction2);
                for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
                {
                    Vector<T> gi = new(g[i..]);
                    Vector<T> mi = (new Vector<T>(m[i..]) * b1) + (gi * c1);
                    Vector<T> vi = (new Vector<T>(v[i..]) * b2) + (c2 * gi * gi);
                    mi.CopyTo(m[i..]);
                    vi.CopyTo(v[i..]);
                    (new Vector<T>(w[i..]) - (step * (mi / ((Vector.SquareRoot(vi) / root) + eps)))).CopyTo(w[i..]);
                }
            }

            for (; i < w.Length; i++)
            {
                m[i] = (m[i] * beta1) + (g[i] * oneMinusBeta1);
                v[i] = (v[i] * beta2) + (oneMinusBeta2 * g[i] * g[i]);
                w[i] -= stepSize * (m[i] / ((T.Sqrt(v[i]) / correction2) + epsilon));
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>The step count t and, per parameter, m and v, as PyTorch names them: <c>exp_avg</c> and <c>exp_avg_sq</c>.</remarks>
    public OptimizerState<T> GetState<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        var tensors = new List<OptimizerTensor<T>>();
        for (int p = 0; p < parameters.Count; p++)
        {
            if (_moments.TryGetValue(parameters[p], out var moments))
            {
                tensors.Add(new OptimizerTensor<T>(p, "exp_avg", [.. (T[])moments.M]));
                tensors.Add(new OptimizerTensor<T>(p, "exp_avg_sq", [.. (T[])moments.V]));
            }
        }

        return new OptimizerState<T>(Steps, tensors);
    }

    /// <inheritdoc/>
    public void SetState<T>(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckNotNull(state, nameof(state));
        var m = new Dictionary<int, T[]>();
        var v = new Dictionary<int, T[]>();
        foreach (OptimizerTensor<T> tensor in state.Tensors)
        {
            Dictionary<int, T[]>? into = tensor.Key switch { "exp_avg" => m, "exp_avg_sq" => v, _ => null };
            if (into is null || (uint)tensor.Parameter >= (uint)parameters.Count || tensor.Values.Length != parameters[tensor.Parameter].Count || !into.TryAdd(tensor.Parameter, (T[])tensor.Values.Clone()))
            {
                throw new ArgumentException($"{this}: the saved state holds '{tensor.Key}' for parameter {tensor.Parameter}, which does not fit these {parameters.Count} parameters.", nameof(state));
            }
        }

        if (state.Steps < 0 || m.Count != v.Count || m.Keys.Any(p => !v.ContainsKey(p)))
        {
            throw new ArgumentException($"{this}: the saved state needs m and v for the same parameters and a step count of 0 or more.", nameof(state));
        }

        _moments.Clear();
        foreach ((int p, T[] mean) in m)
        {
            _moments[parameters[p]] = (mean, v[p]);
        }

        Steps = state.Steps;
    }

    /// <summary>Returns the optimizer and its settings, for example <c>Adam(ε=0.001, β₁=0.9, β₂=0.999)</c>.</summary>
    /// <returns>The optimizer as text.</returns>
    public override string ToString() => FormattableString.Invariant($"Adam(ε={LearningRate}, β₁={Beta1}, β₂={Beta2})");
}
