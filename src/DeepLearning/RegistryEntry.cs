namespace DeepLearning;

/// <summary>One registered concept: its name, parameters with defaults, description and aliases.</summary>
/// <param name="Name">The canonical name, for example <c>leaky_relu</c>.</param>
/// <param name="Parameters">The parameters with their defaults, for example <c>α = 0.01</c>; empty when there are none.</param>
/// <param name="Description">One line: the formula or what it does.</param>
/// <param name="Aliases">Other names accepted on input.</param>
public sealed record RegistryEntry(string Name, string Parameters, string Description, IReadOnlyList<string> Aliases);
