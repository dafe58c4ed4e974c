using System.Numerics;
using DeepLearning.Layers;

namespace DeepLearning.Optimizers;

/// <summary>
/// A rule that moves each parameter against its gradient after a backward pass. An optimizer knows nothing of layers or
/// losses: it sees only <see cref="Parameter{T}"/> values and their gradients.
/// </summary>
public interface IOptimizer : IConcept
{
    /// <summary>The learning rate ε, the size of each step; with a schedule, its peak (see <see cref="Step{T}(IReadOnlyList{Parameter{T}}, double)"/>).</summary>
    double LearningRate { get; }

    /// <summary>
    /// How many values of its own the optimizer keeps per trainable value: 0 for plain gradient descent, 1 with momentum
    /// (the velocity), 2 for Adam (m and v). Memory estimates read it.
    /// </summary>
    int StatePerValue => 0;

    /// <summary>Updates every parameter from the gradients of the last backward pass, at the learning rate <see cref="LearningRate"/>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The parameters to update, in a fixed order from step to step.</param>
    void Step<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>;

    /// <summary>
    /// Updates every parameter at the learning rate <paramref name="learningRate"/> — the one a schedule gives for this
    /// step — instead of <see cref="LearningRate"/>. The built-in optimizers implement it; by default it takes the step at
    /// <see cref="LearningRate"/> and refuses any other rate, so an optimizer written for an earlier version is never
    /// silently run off its schedule.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The parameters to update, in a fixed order from step to step.</param>
    /// <param name="learningRate">ε for this step, at least 0.</param>
    /// <exception cref="NotSupportedException">The optimizer does not take a learning rate per step.</exception>
    void Step<T>(IReadOnlyList<Parameter<T>> parameters, double learningRate)
        where T : struct, IFloatingPointIeee754<T>
    {
        if (learningRate != LearningRate)
        {
            throw new NotSupportedException($"{GetType().Name} does not take a learning rate per step, so it cannot follow a schedule: implement IOptimizer.Step(parameters, learningRate).");
        }

        Step(parameters);
    }

    /// <summary>
    /// What the optimizer keeps for <paramref name="parameters"/> (see <see cref="OptimizerState{T}"/>), for a checkpoint.
    /// By default nothing for an optimizer that keeps nothing (<see cref="StatePerValue"/> 0), and a refusal otherwise.
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The parameters it updates, in the order it is given them.</param>
    /// <returns>Its state.</returns>
    /// <exception cref="NotSupportedException">It keeps state it cannot export (implement this and <see cref="SetState{T}"/>).</exception>
    OptimizerState<T> GetState<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>
        => StatePerValue == 0 ? OptimizerState<T>.Empty : throw new NotSupportedException($"{GetType().Name} keeps {StatePerValue} value(s) per weight but does not export them, so its run cannot be saved to resume: implement IOptimizer.GetState and SetState.");

    /// <summary>Restores what <see cref="GetState{T}"/> gave, for the same parameters in the same order, so the next step is the one the saved run would have taken.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The parameters it updates, in the order it is given them.</param>
    /// <param name="state">The state.</param>
    /// <exception cref="ArgumentException">The state does not fit the parameters.</exception>
    /// <exception cref="NotSupportedException">The optimizer cannot take state.</exception>
    void SetState<T>(IReadOnlyList<Parameter<T>> parameters, OptimizerState<T> state)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(state, nameof(state));
        if (state.Steps != 0 || state.Tensors.Count > 0)
        {
            throw new NotSupportedException($"{GetType().Name} cannot take a saved state: implement IOptimizer.SetState.");
        }
    }
}
