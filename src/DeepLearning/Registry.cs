using System.Globalization;

namespace DeepLearning;

/// <summary>
/// One family of concepts (activations, losses, initializers, optimizers) by name: a name with optional numeric parameters
/// — <c>relu</c>, <c>leaky_relu(0.01)</c>, <c>adam(0.001, 0.9, 0.999)</c> — becomes the concept, and every concept's
/// <see cref="IConcept.Spec"/> reads back to an equal one. The trainer's options and help, the model file and the docs
/// read the registries in <see cref="Registries"/>; adding a concept is one file and one <see cref="Register"/> line.
/// </summary>
/// <typeparam name="TConcept">The family's interface.</typeparam>
/// <remarks>
/// Names are matched ignoring case, with <c>-</c> read as <c>_</c> (so <c>cross-entropy</c> is <c>cross_entropy</c>).
/// Parameters are invariant-culture numbers; those left out take the defaults the entry documents. Registering is meant
/// for start-up; reading is thread-safe once registration is done.
/// </remarks>
/// <example>
/// <code>
/// IActivation leaky = Registries.Activations.Create("leaky_relu(0.1)");   // leaky.Spec is "leaky_relu(0.1)"
/// IOptimizer adam = Registries.Optimizers.Create("adam(0.001)");          // β₁, β₂ and ε take their defaults
/// </code>
/// </example>
public sealed class Registry<TConcept>
    where TConcept : class, IConcept
{
    private readonly List<RegistryEntry> _entries = [];
    private readonly Dictionary<string, (RegistryEntry Entry, Func<double[], TConcept> Create)> _byName = new(StringComparer.Ordinal);

    internal Registry(string family) => Family = family;

    /// <summary>The family, in the singular: <c>activation</c>, <c>loss</c>, <c>initializer</c> or <c>optimizer</c>.</summary>
    public string Family { get; }

    /// <summary>Every registered concept, in registration order.</summary>
    public IReadOnlyList<RegistryEntry> Entries => _entries;

    /// <summary>Adds a concept under <paramref name="name"/> (and its aliases).</summary>
    /// <param name="name">The canonical name, lower case with underscores, for example <c>leaky_relu</c>.</param>
    /// <param name="parameters">The parameters in order with their defaults, for people: <c>α = 0.01</c>; empty when there are none.</param>
    /// <param name="description">One line: the formula or what it does.</param>
    /// <param name="create">Builds the concept from the parameters given (those left out are not in the array).</param>
    /// <param name="aliases">Other names accepted on input, for example <c>sgd</c> for <c>gradient_descent</c>.</param>
    /// <exception cref="ArgumentException">The name or an alias is taken.</exception>
    public void Register(string name, string parameters, string description, Func<double[], TConcept> create, params string[] aliases)
    {
        Preconditions.CheckNotNull(name, nameof(name));
        Preconditions.CheckNotNull(create, nameof(create));
        var entry = new RegistryEntry(Normalize(name), parameters ?? string.Empty, description ?? string.Empty, [.. aliases.Select(Normalize)]);
        foreach (string key in entry.Aliases.Prepend(entry.Name))
        {
            if (_byName.ContainsKey(key))
            {
                throw new ArgumentException($"The {Family} name '{key}' is already registered.", nameof(name));
            }
        }

        _entries.Add(entry);
        foreach (string key in entry.Aliases.Prepend(entry.Name))
        {
            _byName[key] = (entry, create);
        }
    }

    /// <summary>Builds the concept a spec names, for example <c>leaky_relu(0.01)</c>.</summary>
    /// <param name="spec">A name, optionally followed by parameters in parentheses.</param>
    /// <returns>The concept.</returns>
    /// <exception cref="ArgumentException">The name is unknown (the message lists the known ones) or a parameter is not a number or out of range.</exception>
    public TConcept Create(string spec)
        => TryCreate(spec, out TConcept? concept, out string error) ? concept! : throw new ArgumentException(error, nameof(spec));

    /// <summary>Like <see cref="Create"/>, without throwing.</summary>
    /// <param name="spec">A name, optionally followed by parameters in parentheses.</param>
    /// <param name="concept">The concept, or null.</param>
    /// <param name="error">One line saying what is wrong, or empty.</param>
    /// <returns>Whether the spec named a concept.</returns>
    public bool TryCreate(string spec, out TConcept? concept, out string error)
    {
        concept = null;
        error = string.Empty;
        string text = (spec ?? string.Empty).Trim();
        int open = text.IndexOf('(', StringComparison.Ordinal);
        string name = Normalize(open < 0 ? text : text[..open]);
        if (!_byName.TryGetValue(name, out var found))
        {
            error = $"unknown {Family} '{spec}'; expected one of {string.Join(", ", _entries.Select(e => e.Name))}.";
            return false;
        }

        double[] arguments = [];
        if (open >= 0)
        {
            if (!text.EndsWith(')'))
            {
                error = $"{Family} '{spec}': a ')' is missing after the parameters.";
                return false;
            }

            string inside = text[(open + 1)..^1].Trim();
            string[] parts = inside.Length == 0 ? [] : inside.Split(',');
            arguments = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out arguments[i]) || !double.IsFinite(arguments[i]))
                {
                    error = $"{Family} '{spec}': parameter {i + 1} '{parts[i].Trim()}' is not a finite number.";
                    return false;
                }
            }
        }

        int allowed = found.Entry.Parameters.Length == 0 ? 0 : found.Entry.Parameters.Split(',').Length;
        if (arguments.Length > allowed)
        {
            error = allowed == 0
                ? $"{Family} '{found.Entry.Name}' takes no parameters, but {arguments.Length} were given."
                : $"{Family} '{found.Entry.Name}' takes at most {allowed} parameter(s) ({found.Entry.Parameters}), but {arguments.Length} were given.";
            return false;
        }

        try
        {
            concept = found.Create(arguments);
            return true;
        }
        catch (ArgumentException e)
        {
            error = $"{Family} '{spec}': {e.Message.Split('\n')[0].Split(" (Parameter", StringSplitOptions.None)[0]}";
            return false;
        }
    }

    /// <summary>The entries as help text, one line each: <c>leaky_relu(α = 0.01)  max(αz, z)</c>.</summary>
    /// <returns>The lines.</returns>
    public IEnumerable<string> Describe()
        => _entries.Select(e => $"{(e.Parameters.Length == 0 ? e.Name : $"{e.Name}({e.Parameters})"),-34} {e.Description}");

    /// <summary>The parameter at <paramref name="index"/>, or <paramref name="fallback"/> when it was left out.</summary>
    /// <param name="arguments">The parameters given.</param>
    /// <param name="index">Which parameter, from 0.</param>
    /// <param name="fallback">The default.</param>
    /// <returns>The value.</returns>
    public static double Argument(double[] arguments, int index, double fallback)
        => Preconditions.CheckNotNull(arguments, nameof(arguments)).Length > index ? arguments[index] : fallback;

    private static string Normalize(string name) => name.Trim().ToLowerInvariant().Replace('-', '_');
}
