using System.Numerics;
using DeepLearning.Layers;

namespace DeepLearning.Clipping;

/// <summary>
/// Gradient clipping: a limit on the gradients applied after backpropagation and before the optimizer's step, so that one
/// batch with an enormous gradient — a recurrent network's exploding gradient, an outlier — cannot throw the weights far
/// away. By global norm (the whole gradient scaled down, its direction kept) or by value (each entry cut).
/// </summary>
/// <remarks>
/// A clipping rule is one file and one registration line (<c>Registries.Clipping.Register(…)</c>), used by
/// <c>TrainingOptions.Clipping</c> and the trainer's <c>--clip</c>. Implementations are stateless.
/// </remarks>
public interface IGradientClipping : IConcept
{
    /// <summary>The rule's name, for example <c>ClipNorm</c>.</summary>
    string Name { get; }

    /// <summary>Limits the gradients of <paramref name="parameters"/> in place.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="parameters">Every trainable parameter of the network, their gradients from the last backward pass.</param>
    /// <returns>The global L2 norm of the gradients before clipping (for reports).</returns>
    double Clip<T>(IReadOnlyList<Parameter<T>> parameters)
        where T : struct, IFloatingPointIeee754<T>;
}
