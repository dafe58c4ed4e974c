using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// One trainable tensor of a layer, such as its weight matrix W or its bias vector b, together with the gradient
/// ∂L/∂W (or ∂L/∂b) that the last backward pass computed for it. Optimizers update <see cref="Values"/> from <see cref="Gradients"/>.
/// </summary>
/// <remarks>
/// Both spans view the layer's own storage (MathNet's arrays, column by column): writing to <see cref="Values"/>
/// changes the layer. Not thread-safe.
/// </remarks>
/// <typeparam name="T">float or double.</typeparam>
public sealed class Parameter<T>
    where T : struct, IFloatingPointIeee754<T>
{
    private readonly T[] _values;
    private readonly T[] _gradients;

    internal Parameter(string name, TensorShape shape, T[] values, T[] gradients, bool isWeight = false)
    {
        IsWeight = isWeight;
        Name = name;
        Shape = shape;
        _values = values;
        _gradients = gradients;
    }

    /// <summary>The name, the layer's followed by the tensor's: for example <c>Dense(2→3).Weights</c>.</summary>
    public string Name { get; }

    /// <summary>Whether this is a weight matrix (which L2 regularization shrinks) rather than a bias vector (which it leaves alone).</summary>
    public bool IsWeight { get; }

    /// <summary>The shape: n_in×n_out for a weight matrix, 1×n_out for a bias vector.</summary>
    public TensorShape Shape { get; }

    /// <summary>The number of values, <c>Shape.Rows · Shape.Columns</c>.</summary>
    public int Count => (int)Shape.Count; // the layer checked n_in·n_out against Array.MaxLength when it allocated the values

    /// <summary>The current values, column by column.</summary>
    public Span<T> Values => _values.AsSpan(0, Count);

    /// <summary>The gradient of the loss with respect to each value, from the last backward pass, in the same order as <see cref="Values"/>.</summary>
    public Span<T> Gradients => _gradients.AsSpan(0, Count);

    /// <summary>Returns the name and shape, for example <c>Dense(2→3).Weights 2×3</c>.</summary>
    /// <returns>The parameter as text.</returns>
    public override string ToString() => $"{Name} {Shape}";
}
