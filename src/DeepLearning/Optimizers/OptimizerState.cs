using System.Numerics;

namespace DeepLearning.Optimizers;

/// <summary>
/// What an optimizer keeps between steps, in a form a file stores: its step count and, per parameter, its arrays — the
/// velocity of gradient descent with momentum, Adam's running averages m and v. Saved in a checkpoint so that a resumed run
/// takes the very steps an uninterrupted one would (see <c>ModelFile.Save</c> with a <c>Checkpoint</c>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Steps">The steps taken (Adam's t); 0 for an optimizer that does not count.</param>
/// <param name="Tensors">The arrays: the index of the parameter (in the order given to <see cref="IOptimizer.GetState{T}"/>), a key (PyTorch's <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>) and the values, as many as the parameter's.</param>
public sealed record OptimizerState<T>(long Steps, IReadOnlyList<OptimizerTensor<T>> Tensors)
    where T : struct, IFloatingPointIeee754<T>
{
    /// <summary>No state: a fresh optimizer, or one that keeps nothing (plain gradient descent).</summary>
    public static OptimizerState<T> Empty { get; } = new(0, []);
}

/// <summary>One array of an optimizer's state.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Parameter">The index of the parameter it belongs to.</param>
/// <param name="Key">Its name: <c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>.</param>
/// <param name="Values">Its values, one per value of the parameter, in the parameter's storage order.</param>
public sealed record OptimizerTensor<T>(int Parameter, string Key, T[] Values)
    where T : struct, IFloatingPointIeee754<T>;
