namespace DeepLearning;

/// <summary>One registered concept: its name, its parameters with their defaults, its description and its aliases.</summary>
/// <param name="Name">The canonical name, for example <c>leaky_relu</c>.</param>
/// <param name="Parameters">
/// The parameters in order, as declared and shown in help: <c>alpha = 0.01</c>, <c>outputs, activation = identity</c>;
/// a name without <c>= default</c> must be given, a name in brackets (<c>[seed]</c>) may be left out; empty when there are none.
/// </param>
/// <param name="Description">One line: the formula or what it does.</param>
/// <param name="Aliases">Other names accepted on input.</param>
public sealed record RegistryEntry(string Name, string Parameters, string Description, IReadOnlyList<string> Aliases)
{
    /// <summary>The names of the parameters, in order: what a spec may give by position or as <c>name=value</c>.</summary>
    public IReadOnlyList<string> ParameterNames => [.. ParameterDeclaration.ParseAll(Parameters).Select(p => p.Name)];

    /// <summary>The entry as a call with its parameters, for help: <c>leaky_relu(alpha = 0.01)</c>, or <c>relu</c>.</summary>
    public string Signature => Parameters.Length == 0 ? Name : $"{Name}({Parameters})";
}
