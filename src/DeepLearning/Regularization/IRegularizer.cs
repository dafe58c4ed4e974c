using System.Numerics;
using DeepLearning.Layers;

namespace DeepLearning.Regularization;

/// <summary>
/// A penalty on the size of the weights, added to the loss to fight overfitting: <c>C = C₀ + penalty(w)</c>. Training
/// adds the penalty's gradient to every weight's gradient after backpropagation and before the optimizer's step
/// (<see cref="Training.TrainingOptions.Regularizer"/>).
/// </summary>
public interface IRegularizer : IConcept
{
    /// <summary>The penalty for the current weights, as added to the loss.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The network's parameters; only weights (<see cref="Parameter{T}.IsWeight"/>) count.</param>
    /// <param name="trainingSamples">n, the number of training samples.</param>
    /// <returns>The penalty.</returns>
    double Penalty<T>(IReadOnlyList<Parameter<T>> parameters, int trainingSamples)
        where T : struct, IFloatingPointIeee754<T>;

    /// <summary>Adds ∂penalty/∂w to the gradient of every weight.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">The network's parameters, with the loss's gradients in them.</param>
    /// <param name="trainingSamples">n, the number of training samples.</param>
    void AddGradient<T>(IReadOnlyList<Parameter<T>> parameters, int trainingSamples)
        where T : struct, IFloatingPointIeee754<T>;
}
