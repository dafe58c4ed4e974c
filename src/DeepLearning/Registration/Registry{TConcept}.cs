namespace DeepLearning;

/// <summary>
/// One family of concepts — activations, losses, initializers, regularizers, optimizers — by name: a spec such as
/// <c>relu</c>, <c>leaky_relu(0.01)</c> or <c>adam(lr=0.001)</c> becomes the concept, and every concept's
/// <see cref="IConcept.Spec"/> reads back to an equal one. The trainer's options and help, the model file and the docs
/// read the registries in <see cref="Registries"/>; adding a concept is one file and one <see cref="Register"/> call.
/// </summary>
/// <typeparam name="TConcept">The family's interface.</typeparam>
/// <remarks>The grammar and matching rules are <see cref="Registry"/>'s, shared with the layer registry.</remarks>
/// <example>
/// <code>
/// IActivation leaky = Registries.Activations.Create("leaky_relu(0.1)");   // leaky.Spec is "leaky_relu(0.1)"
/// IOptimizer adam = Registries.Optimizers.Create("adam(lr=0.01)");       // β₁, β₂ and δ take their defaults
/// Registries.Activations.Register("softplus", "", "log(1 + e^z)", _ => new Softplus());   // a concept of your own
/// </code>
/// </example>
public sealed class Registry<TConcept> : Registry
    where TConcept : class, IConcept
{
    private readonly Dictionary<string, Func<Arguments, TConcept>> _create = new(StringComparer.Ordinal);

    internal Registry(string family)
        : base(family)
    {
    }

    /// <summary>Adds a concept under <paramref name="name"/> (and its aliases).</summary>
    /// <param name="name">The canonical name, lower case with underscores, for example <c>leaky_relu</c>.</param>
    /// <param name="parameters">
    /// The parameters in order, with their defaults: <c>alpha = 0.01</c>, <c>lr = 0.1, momentum = 0</c>; a name without a
    /// default must be given (<c>lambda</c>); empty when there are none. The names are what <c>name=value</c> accepts.
    /// </param>
    /// <param name="description">One line: the formula or what it does.</param>
    /// <param name="create">Builds the concept from its settings, every declared parameter present (given or default): <c>a =&gt; new LeakyReLU(a.GetNumber("alpha"))</c>.</param>
    /// <param name="aliases">Other names accepted on input, for example <c>sgd</c> for <c>gradient_descent</c>.</param>
    /// <exception cref="ArgumentException">The name or an alias is taken, or the parameters are malformed.</exception>
    public void Register(string name, string parameters, string description, Func<Arguments, TConcept> create, params string[] aliases)
    {
        Preconditions.CheckNotNull(create, nameof(create));
        _create[Add(name, parameters, description, aliases).Name] = create;
    }

    /// <summary>Builds the concept a spec names, for example <c>leaky_relu(0.01)</c>.</summary>
    /// <param name="spec">A name, optionally followed by parameters in parentheses.</param>
    /// <returns>The concept.</returns>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones and the closest), or a parameter is missing, unknown or out of range.</exception>
    public TConcept Create(string spec)
        => TryCreate(spec, out TConcept? concept, out string error) ? concept! : throw new ArgumentException(error, nameof(spec));

    /// <summary>Like <see cref="Create"/>, without throwing.</summary>
    /// <param name="spec">A name, optionally followed by parameters in parentheses.</param>
    /// <param name="concept">The concept, or null.</param>
    /// <param name="error">One line saying what is wrong, or empty.</param>
    /// <returns>Whether the spec named a concept.</returns>
    public bool TryCreate(string spec, out TConcept? concept, out string error) => TryCreate(spec, [], out concept, out error);

    /// <summary>
    /// Like <see cref="TryCreate(string, out TConcept, out string)"/>, with named values added to those of the spec — how a
    /// command-line option such as <c>--learning-rate 0.01</c> becomes <c>lr=0.01</c> of whichever optimizer was chosen; a
    /// value the concept does not declare, or one the spec already gives, is an error that names it.
    /// </summary>
    /// <param name="spec">A name, optionally followed by parameters in parentheses.</param>
    /// <param name="settings">Named values, for example <c>("lr", "0.01")</c>.</param>
    /// <param name="concept">The concept, or null.</param>
    /// <param name="error">One line saying what is wrong, or empty.</param>
    /// <returns>Whether the spec named a concept.</returns>
    public bool TryCreate(string spec, IReadOnlyList<(string Key, string Value)> settings, out TConcept? concept, out string error)
    {
        Preconditions.CheckNotNull(settings, nameof(settings));
        concept = null;
        if (!TryBind(spec, settings, out RegistryEntry? entry, out Arguments arguments, out error))
        {
            return false;
        }

        try
        {
            concept = _create[entry!.Name](arguments);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"{Family} '{Shorten(spec)}': {FirstLine(e)}";
            return false;
        }
    }
}
