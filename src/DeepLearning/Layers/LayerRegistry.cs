using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Reflection;

namespace DeepLearning.Layers;

/// <summary>
/// The kinds of layer by name (<c>dense</c>, <c>dropout</c>): the model file stores each layer's kind and configuration,
/// and this registry builds the layer again. A kind is registered with its generic class, which implements
/// <see cref="ILayerKind{TSelf, T}"/>: <c>Registries.Layers.Register("dropout", typeof(Dropout&lt;&gt;), "…")</c>.
/// </summary>
public sealed class LayerRegistry
{
    private readonly List<RegistryEntry> _entries = [];
    private readonly Dictionary<string, Type> _types = new(StringComparer.OrdinalIgnoreCase);

    internal LayerRegistry()
    {
    }

    /// <summary>Every registered kind, in registration order.</summary>
    public IReadOnlyList<RegistryEntry> Entries => _entries;

    /// <summary>Adds a kind of layer.</summary>
    /// <param name="kind">Its name, as <see cref="ILayer{T}.Kind"/> returns it.</param>
    /// <param name="layerType">The generic layer class with one type parameter (the element type), for example <c>typeof(Dense&lt;&gt;)</c>.</param>
    /// <param name="description">One line: what the layer computes.</param>
    /// <exception cref="ArgumentException">The name is taken or the type is not a generic layer class.</exception>
    public void Register(string kind, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type layerType, string description)
    {
        Preconditions.CheckNotNull(kind, nameof(kind));
        Preconditions.CheckNotNull(layerType, nameof(layerType));
        if (!layerType.IsGenericTypeDefinition || layerType.GetGenericArguments().Length != 1)
        {
            throw new ArgumentException($"{layerType.Name} must be a generic layer class with one type parameter, such as Dense<>.", nameof(layerType));
        }

        if (!_types.TryAdd(kind, layerType))
        {
            throw new ArgumentException($"The layer kind '{kind}' is already registered.", nameof(kind));
        }

        _entries.Add(new RegistryEntry(kind, string.Empty, description ?? string.Empty, []));
    }

    /// <summary>Builds a layer of a registered kind from its configuration.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="kind">The kind, for example <c>dense</c>.</param>
    /// <param name="configuration">The layer's settings.</param>
    /// <param name="random">The seeded source of its initial values.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">The kind is unknown or the configuration invalid; the message says which.</exception>
    [UnconditionalSuppressMessage("Trimming", "IL2055", Justification = "Registered layer types are kept by the DynamicallyAccessedMembers annotation on Register.")]
    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = "The closed generic is built from a registered, annotated definition.")]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "The closed generic is built from a registered, annotated definition.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Layer types are instantiated over float and double only.")]
    public ILayer<T> Create<T>(string kind, LayerConfiguration configuration, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(kind, nameof(kind));
        Preconditions.CheckNotNull(configuration, nameof(configuration));
        Preconditions.CheckNotNull(random, nameof(random));
        if (!_types.TryGetValue(kind, out Type? definition))
        {
            throw new ArgumentException($"unknown layer kind '{kind}'; expected one of {string.Join(", ", _entries.Select(e => e.Name))}.", nameof(kind));
        }

        MethodInfo create = definition.MakeGenericType(typeof(T)).GetMethod("FromConfiguration", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{definition.Name} has no public static FromConfiguration (ILayerKind).");
        try
        {
            return (ILayer<T>)create.Invoke(null, [configuration, random])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw new ArgumentException($"layer '{kind}' ({configuration}): {inner.Message.Split(" (Parameter", StringSplitOptions.None)[0]}", nameof(configuration), inner);
        }
    }
}
