using System.Numerics;
using DeepLearning.Compute;
using DeepLearning.Layers;

namespace DeepLearning.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter, 2019): Adam with <i>decoupled</i> weight decay — before each Adam step every weight is
/// shrunk towards zero by a fraction of itself, <c>w ← w − ε·λ·w</c>, instead of adding λ·w to the gradient (which Adam's
/// scaling would then distort). The optimizer of Transformers; makemore trains its models with it.
/// </summary>
/// <remarks>
/// <para>
/// <b>Which weights decay</b>: the parameters that are weights (<see cref="Parameter{T}.IsWeight"/>: the matrices of dense,
/// convolutional and attention layers), not biases, not the γ and β of normalizations, not embedding tables — the groups
/// makemore and GPT-2 use. PyTorch: <c>torch.optim.AdamW([{"params": weights, "weight_decay": λ}, {"params": others,
/// "weight_decay": 0}], lr=ε, betas=(β₁, β₂), eps=δ)</c>; a test checks steps against it.
/// </para>
/// <para>Registry name <c>adamw(lr = 0.001, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.01)</c>. Keeps m and v per parameter: one optimizer per network. Not thread-safe.</para>
/// </remarks>
/// <example><c>--optimizer "adamw(lr=0.001, weight_decay=0.01)" --schedule "cosine(warmup=100)" --clip 1.0</c></example>
public sealed class AdamW : IOptimizer
{
    private readonly Adam _adam;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">ε; default 0.001.</param>
    /// <param name="beta1">β₁; default 0.9.</param>
    /// <param name="beta2">β₂; default 0.999.</param>
    /// <param name="epsilon">δ; default 1e-8.</param>
    /// <param name="weightDecay">λ, the fraction of each weight taken away per unit of learning rate; default 0.01.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (λ must be 0 or more and finite).</exception>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        _adam = new Adam(learningRate, beta1, beta2, epsilon);
        WeightDecay = weightDecay >= 0 && double.IsFinite(weightDecay) ? weightDecay : throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, $"weight_decay must be 0 or more and finite, but was {Preconditions.Format(weightDecay)}.");
    }

    /// <inheritdoc/>
    public double LearningRate => _adam.LearningRate;

    /// <summary>β₁, the decay of the running average of the gradient.</summary>
    public double Beta1 => _adam.Beta1;

    /// <summary>β₂, the decay of the running average of the squared gradient.</summary>
    public double Beta2 => _adam.Beta2;

    /// <summary>δ, the small number added to √v̂.</summary>
    public double Epsilon => _adam.Epsilon;

    /// <summary>λ, the decoupled weight decay.</summary>
    public double WeightDecay { get; }

    /// <summary>The number of steps taken so far (t).</summary>
    public long Steps => _adam.Steps;

    /// <inheritdoc/>
    public int StatePerValue => 2;

    /// <inheritdoc/>
    public string Spec => FormattableString.Invariant($"adamw({LearningRate:R}, {Beta1:R}, {Beta2:R}, {Epsilon:R}, {WeightDecay:R})");

    /// <inheritdoc/>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => Step(parameters, LearningRate);

    /// <inheritdoc/>
    public void Step<T>(IReadOnlyList<Parameter<T>> parameters, double learningRate)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(parameters, nameof(parameters));
        Preconditions.CheckNonNegativeFinite(learningRate, nameof(learningRate));
        T keep = T.CreateChecked(1 - (learningRate * WeightDecay));
        for (int index = 0; index < parameters.Count; index++) // indexed: no enumerator allocated per step
        {
            Parameter<T> parameter = parameters[index];
            if (parameter.IsWeight)
            {
                InCache.Multiply<T>(parameter.Values, keep, parameter.Values); // w ← w·(1 − ε·λ), as PyTorch
            }
        }

        _adam.Step(parameters, learningRate);
    }

    /// <inheritdoc/>
    public OptimizerState<T> GetState<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => _adam.GetState(parameters);

    /// <inheritdoc/>
    public void SetState<T>(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
        where T : struct, IFloatingPointIeee754<T>
        => _adam.SetState(parameters, state);

    /// <summary>Returns the optimizer and its settings, for example <c>AdamW(ε=0.001, β₁=0.9, β₂=0.999, λ=0.01)</c>.</summary>
    /// <returns>The optimizer as text.</returns>
    public override string ToString() => FormattableString.Invariant($"AdamW(ε={LearningRate}, β₁={Beta1}, β₂={Beta2}, λ={WeightDecay})");
}
