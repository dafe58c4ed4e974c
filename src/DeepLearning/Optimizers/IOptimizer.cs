using System.Numerics;
using DeepLearning.Layers;

namespace DeepLearning.Optimizers;

/// <summary>
/// A rule that moves each parameter against its gradient after a backward pass. An optimizer knows nothing of layers or
/// losses: it sees only <see cref="Parameter{T}"/> values and their gradients.
/// </summary>
public interface IOptimizer : IConcept
{
    /// <summary>The learning rate ε, the size of each step.</summary>
    double LearningRate { get; }

    /// <summary>
    /// How many values of its own the optimizer keeps per trainable value: 0 for plain gradient descent, 1 with momentum
    /// (the velocity), 2 for Adam (m and v). Memory estimates read it.
    /// </summary>
    int StatePerValue => 0;

    /// <summary>Updates every parameter from the gradients of the last backward pass.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The parameters to update, in a fixed order from step to step.</param>
    void Step<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>;
}
