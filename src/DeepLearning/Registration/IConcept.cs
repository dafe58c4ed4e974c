namespace DeepLearning;

/// <summary>
/// A concept the library can name: an activation, a loss, an initializer or an optimizer. Its <see cref="Spec"/> is its
/// registry name with its parameters, such as <c>relu</c>, <c>leaky_relu(0.01)</c> or <c>adam(0.001, 0.9, 0.999, 1E-08)</c>,
/// and the family's <see cref="Registry{TConcept}"/> builds an equal concept from it (the model file and the trainer's
/// options rely on that round trip).
/// </summary>
public interface IConcept
{
    /// <summary>The registry name and parameters, for example <c>leaky_relu(0.01)</c>; <c>Registry.Create(Spec)</c> gives back an equal concept.</summary>
    string Spec { get; }
}
