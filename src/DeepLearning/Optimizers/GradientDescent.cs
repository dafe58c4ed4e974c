using System.Numerics;
using System.Runtime.InteropServices;
using DeepLearning.Layers;

namespace DeepLearning.Optimizers;

/// <summary>
/// Gradient descent: every weight moves against its gradient, scaled by the learning rate ε: <c>w ← w − ε·∂L/∂w</c>.
/// With momentum μ &gt; 0 it keeps a velocity per weight: <c>v ← μ·v − ε·∂L/∂w</c>, <c>w ← w + v</c>.
/// </summary>
/// <remarks>
/// <para>
/// Whether this is batch, mini-batch or stochastic gradient descent depends only on how many samples the gradient was
/// computed from: all of them, a mini-batch, or one (<see cref="Training.TrainingOptions.BatchSize"/>).
/// </para>
/// <para>
/// Too large a learning rate overshoots the minimum and can diverge (the loss grows, then becomes NaN); too small a one
/// crawls. Momentum (0.9 is usual) averages successive steps, which speeds up travel along shallow valleys.
/// </para>
/// <para>The optimizer keeps one velocity array per parameter when momentum is on; use one optimizer per network. Not thread-safe.</para>
/// </remarks>
/// <example>
/// The one-weight example: w = 5, x = 2, label 6, quadratic loss. The gradient is ∂L/∂w = (w·x − 6)·x = 8, so one step
/// with ε = 0.1 gives w = 5 − 0.1·8 = 4.2; repeated steps approach the optimum w = 3.
/// <code>
/// var optimizer = new GradientDescent(learningRate: 0.1);
/// </code>
/// </example>
public sealed class GradientDescent : IOptimizer
{
    private readonly Dictionary<object, Array> _velocities = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates a gradient descent optimizer.</summary>
    /// <param name="learningRate">ε, greater than 0 and finite.</param>
    /// <param name="momentum">μ in [0, 1); 0 (the default) for plain gradient descent.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is not positive and finite, or <paramref name="momentum"/> is outside [0, 1).</exception>
    public GradientDescent(double learningRate, double momentum = 0)
    {
        LearningRate = Preconditions.CheckPositiveFinite(learningRate, nameof(learningRate));
        Momentum = Preconditions.CheckInRange(momentum, 0, 1, nameof(momentum));
    }

    /// <inheritdoc/>
    public double LearningRate { get; }

    /// <summary>μ, the fraction of the previous step kept in the next; 0 for plain gradient descent.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    public int StatePerValue => Momentum == 0 ? 0 : 1;

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"gradient_descent({LearningRate:R}, {Momentum:R})");

    /// <inheritdoc/>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => Step(parameters, LearningRate);

    /// <inheritdoc/>
    /// <remarks>
    /// With momentum, each step's ε scales that step's gradient, <c>v ← μ·v − ε_t·∂L/∂w</c> (Keras's form); PyTorch's SGD
    /// keeps v ← μ·v + ∂L/∂w and scales the whole of it, w ← w − ε_t·v. The two are the same at a constant rate.
    /// </remarks>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters, double learningRate)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckNonNegativeFinite(learningRate, nameof(learningRate));

        T minusEta = T.CreateChecked(-learningRate);
        for (int p = 0; p < parameters.Count; p++)
        {
            Parameter<T> parameter = parameters[p];
            Span<T> w = parameter.Values;
            Span<T> gradient = parameter.Gradients;
            if (Momentum == 0)
            {
                PlainStep(w, gradient, minusEta);
                continue;
            }

            MomentumStep(w, gradient, Velocity(parameter), T.CreateChecked(Momentum), minusEta);
        }
    }

    /// <inheritdoc/>
    /// <remarks>With momentum, each parameter's velocity v, as <c>velocity</c>; nothing without.</remarks>
    public OptimizerState<T> GetState<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        var tensors = new List<OptimizerTensor<T>>();
        for (int p = 0; p < parameters.Count; p++)
        {
            if (_velocities.TryGetValue(parameters[p], out Array? velocity))
            {
                tensors.Add(new OptimizerTensor<T>(p, "velocity", [.. (T[])velocity]));
            }
        }

        return new OptimizerState<T>(0, tensors);
    }

    /// <inheritdoc/>
    public void SetState<T>(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckNotNull(state, nameof(state));
        var velocities = new Dictionary<object, Array>(ReferenceEqualityComparer.Instance);
        foreach (OptimizerTensor<T> tensor in state.Tensors)
        {
            if (tensor.Key != "velocity" || (uint)tensor.Parameter >= (uint)parameters.Count || tensor.Values.Length != parameters[tensor.Parameter].Count || Momentum == 0)
            {
                throw new ArgumentException($"{this}: the saved state holds '{tensor.Key}' for parameter {tensor.Parameter}, which does not fit these {parameters.Count} parameters{(Momentum == 0 ? " (and plain gradient descent keeps nothing)" : string.Empty)}.", nameof(state));
            }

            velocities[parameters[tensor.Parameter]] = (T[])tensor.Values.Clone();
        }

        _velocities.Clear();
        foreach ((object parameter, Array velocity) in velocities)
        {
            _velocities[parameter] = velocity;
        }
    }

    /// <summary>Returns the settings, for example <c>GradientDescent(ε=0.1)</c>.</summary>
    /// <returns>The optimizer as text.</returns>
    public override string ToString()
        => Momentum == 0 ? $"GradientDescent(ε={LearningRate})" : $"GradientDescent(ε={LearningRate}, μ={Momentum})";

    /// <summary>w ← w − ε·g, vectorized.</summary>
    private static void PlainStep<T>(Span<T> w, ReadOnlySpan<T> g, T minusEta)
        where T : struct, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && w.Length >= Vector<T>.Count)
        {
            var etaVector = new Vector<T>(minusEta);
            ref T wRef = ref MemoryMarshal.GetReference(w);
            ref T gRef = ref MemoryMarshal.GetReference(g);
            for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                (Vector.LoadUnsafe(ref wRef, (nuint)i) + (etaVector * Vector.LoadUnsafe(ref gRef, (nuint)i))).StoreUnsafe(ref wRef, (nuint)i);
            }
        }

        for (; i < w.Length; i++)
        {
            w[i] += minusEta * g[i];
        }
    }

    /// <summary>v ← μ·v − ε·g, then w ← w + v, in one pass over the three arrays (the update is bound by memory traffic).</summary>
    private static void MomentumStep<T>(Span<T> w, ReadOnlySpan<T> g, Span<T> v, T mu, T minusEta)
        where T : struct, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported && w.Length >= Vector<T>.Count)
        {
            var muVector = new Vector<T>(mu);
            var etaVector = new Vector<T>(minusEta);
            ref T wRef = ref MemoryMarshal.GetReference(w);
            ref T gRef = ref MemoryMarshal.GetReference(g);
            ref T vRef = ref MemoryMarshal.GetReference(v);
            for (; i <= w.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> velocity = (muVector * Vector.LoadUnsafe(ref vRef, (nuint)i)) + (etaVector * Vector.LoadUnsafe(ref gRef, (nuint)i));
                velocity.StoreUnsafe(ref vRef, (nuint)i);
                (Vector.LoadUnsafe(ref wRef, (nuint)i) + velocity).StoreUnsafe(ref wRef, (nuint)i);
            }
        }

        for (; i < w.Length; i++)
        {
            v[i] = (mu * v[i]) + (minusEta * g[i]);
            w[i] += v[i];
        }
    }

    private Span<T> Velocity<T>(Parameter<T> parameter)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (!_velocities.TryGetValue(parameter, out Array? velocity))
        {
            velocity = new T[parameter.Count];
            _velocities.Add(parameter, velocity);
        }

        return ((T[])velocity).AsSpan();
    }
}
