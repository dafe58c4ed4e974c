using System.Numerics;

namespace DeepLearning.Layers;

/// <summary>
/// The kinds of layer by name (<c>dense</c>, <c>dropout</c>, …), with the registry grammar of every family
/// (<see cref="Registry"/>): <c>dense(100, relu)</c> builds a layer after whatever shape comes before it, and a layer's
/// kind and <see cref="ILayer{T}.Configuration"/> — what the model file and safetensors store — build it again.
/// </summary>
/// <remarks>
/// <para>
/// A kind is registered with its class for float and for double, which implements <see cref="ILayerKind{TSelf, T}"/>:
/// <c>Registries.Layers.Register&lt;Dense&lt;float&gt;, Dense&lt;double&gt;&gt;("dense", "outputs, activation = identity, bias = true", "…")</c>.
/// The registry calls the class's static <c>Plan</c> and <c>Create</c> directly (no reflection).
/// </para>
/// <para>
/// <b>Guards.</b> Every layer is planned before it is built (<see cref="Plan(string, Arguments)"/>): a reader of a file
/// adds up the values the plans will allocate and checks them against the file's length first. After building, the
/// registry checks that the layer is what its plan said (shapes and parameter count), so that a plan cannot hide an
/// allocation.
/// </para>
/// <para>
/// <b>Stored configurations</b> hold <c>input=SHAPE</c> and the declared parameters. Files of version 0.2.0 named a flat
/// input <c>inputs=n</c> (dense) or <c>size=n</c> (dropout); both are still read as <c>input=n</c>.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// ILayer&lt;float&gt; conv = Registries.Layers.Create&lt;float&gt;("dense(100, relu)", FeatureShape.Flat(784), new Random(1));
/// LayerPlan plan = Registries.Layers.Plan("dense(10)", FeatureShape.Flat(100));   // plan.Parameters is 1,010
/// </code>
/// </example>
public sealed class LayerRegistry : Registry
{
    private static readonly string[] LegacyInputKeys = ["inputs", "size"];
    private readonly Dictionary<string, LayerKind> _kinds = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _names = [];

    internal LayerRegistry()
        : base("layer")
    {
    }

    /// <summary>Adds a kind of layer: its class for float and for double.</summary>
    /// <typeparam name="TFloat">The layer class over float, for example <c>Dense&lt;float&gt;</c>.</typeparam>
    /// <typeparam name="TDouble">The same class over double.</typeparam>
    /// <param name="name">Its name, for example <c>dense</c>.</param>
    /// <param name="parameters">Its parameters as a spec gives them, in order, with defaults: <c>outputs, activation = identity, bias = true</c>.</param>
    /// <param name="description">One line: what the layer computes.</param>
    /// <param name="aliases">Other names accepted on input.</param>
    /// <exception cref="ArgumentException">The name is taken or the parameters are malformed.</exception>
    public void Register<TFloat, TDouble>(string name, string parameters, string description, params string[] aliases)
        where TFloat : ILayer<float>, ILayerKind<TFloat, float>
        where TDouble : ILayer<double>, ILayerKind<TDouble, double>
    {
        RegistryEntry entry = Add(name, parameters, description, aliases);
        _kinds[entry.Name] = new LayerKind<TFloat, TDouble>();
        _names[typeof(TFloat)] = entry.Name;
        _names[typeof(TDouble)] = entry.Name;
    }

    /// <summary>The registered name of a layer class, for example <c>dense</c> for <c>Dense&lt;float&gt;</c>; null when it is not registered.</summary>
    /// <param name="layerType">The layer's class.</param>
    /// <returns>The name, or null.</returns>
    public string? KindOf(Type layerType) => _names.GetValueOrDefault(Preconditions.CheckNotNull(layerType, nameof(layerType)));

    /// <summary>Builds the layer a spec names, after layers whose output has shape <paramref name="input"/>: <c>dense(100, relu)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="spec">The kind and its parameters.</param>
    /// <param name="input">The shape of one input sample (the previous layer's output).</param>
    /// <param name="random">The seeded source of the initial values.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">The spec is not a layer, or does not fit the input; the message says why.</exception>
    public ILayer<T> Create<T>(string spec, FeatureShape input, Random random)
        where T : struct, IFloatingPointIeee754<T>
        => TryCreate(spec, input, random, out ILayer<T>? layer, out string error) ? layer! : throw new ArgumentException(error, nameof(spec));

    /// <summary>Like <see cref="Create{T}(string, FeatureShape, Random)"/>, without throwing.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="spec">The kind and its parameters.</param>
    /// <param name="input">The shape of one input sample.</param>
    /// <param name="random">The seeded source of the initial values.</param>
    /// <param name="layer">The layer, or null.</param>
    /// <param name="error">One line saying what is wrong, or empty.</param>
    /// <returns>Whether the layer was built.</returns>
    public bool TryCreate<T>(string spec, FeatureShape input, Random random, out ILayer<T>? layer, out string error)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(random, nameof(random));
        layer = null;
        return TryPlan(spec, input, out LayerKind? kind, out Arguments settings, out LayerPlan plan, out error)
            && TryBuild(kind!, Shorten(ActivationAsLayer(spec)), settings, input, plan, random, out layer, out error);
    }

    /// <summary>What a spec's layer will be after an input of shape <paramref name="input"/>, without building it.</summary>
    /// <param name="spec">The kind and its parameters.</param>
    /// <param name="input">The shape of one input sample.</param>
    /// <returns>Its output shape and the values it will allocate.</returns>
    /// <exception cref="ArgumentException">The spec is not a layer, or does not fit the input.</exception>
    public LayerPlan Plan(string spec, FeatureShape input)
        => TryPlan(spec, input, out _, out _, out LayerPlan plan, out string error) ? plan : throw new ArgumentException(error, nameof(spec));

    /// <summary>What a stored layer — its kind and <see cref="ILayer{T}.Configuration"/> — will be, without building it.</summary>
    /// <param name="kind">The kind, for example <c>dense</c>.</param>
    /// <param name="configuration">The stored configuration, its input shape included.</param>
    /// <returns>Its input shape, and its output shape and the values it will allocate.</returns>
    /// <exception cref="ArgumentException">The kind is unknown or the configuration invalid; the message says which.</exception>
    public (FeatureShape Input, LayerPlan Plan) Plan(string kind, Arguments configuration)
    {
        (FeatureShape input, string spec) = Stored(kind, configuration);
        return (input, Plan(spec, input));
    }

    /// <summary>Builds a stored layer again from its kind and <see cref="ILayer{T}.Configuration"/>, with freshly initialized parameters.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="kind">The kind, for example <c>dense</c>.</param>
    /// <param name="configuration">The stored configuration, its input shape included.</param>
    /// <param name="random">The seeded source of the initial values.</param>
    /// <returns>The layer.</returns>
    /// <exception cref="ArgumentException">The kind is unknown or the configuration invalid; the message says which.</exception>
    public ILayer<T> Create<T>(string kind, Arguments configuration, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        (FeatureShape input, string spec) = Stored(kind, configuration);
        return Create<T>(spec, input, random);
    }

    /// <summary>The spec of a layer for people and for <c>--layers</c>, without its input shape: <c>dense(outputs=100, activation=relu, bias=true)</c>.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <returns>The spec.</returns>
    public static string SpecOf<T>(ILayer<T> layer)
        where T : struct, IFloatingPointIeee754<T>
    {
        Preconditions.CheckNotNull(layer, nameof(layer));
        KeyValuePair<string, string>[] settings = [.. layer.Configuration.Pairs.Where(p => p.Key != "input")];
        return settings.Length == 0 ? layer.Kind : $"{layer.Kind}({string.Join(", ", settings.Select(p => $"{p.Key}={p.Value}"))})";
    }

    /// <summary>
    /// Splits a list of layer specs at the spaces outside parentheses: <c>"dense(100, relu) dropout(0.5) dense(10)"</c> is
    /// three specs — how <c>--layers</c> and a block's <c>layers</c> are written.
    /// </summary>
    /// <param name="specs">The specs, separated by spaces.</param>
    /// <returns>The specs, at least one.</returns>
    /// <exception cref="ArgumentException">The list is empty or its parentheses do not match.</exception>
    public static IReadOnlyList<string> SplitSpecs(string specs)
    {
        Preconditions.CheckNotNull(specs, nameof(specs));
        var list = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i <= specs.Length; i++)
        {
            char c = i < specs.Length ? specs[i] : ' ';
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (depth < 0)
            {
                throw new ArgumentException($"'{Shorten(specs)}': a ')' has no matching '('.", nameof(specs));
            }

            if (depth == 0 && char.IsWhiteSpace(c))
            {
                if (specs[start..i].Trim() is { Length: > 0 } spec)
                {
                    list.Add(spec);
                }

                start = i + 1;
            }
        }

        return depth != 0
            ? throw new ArgumentException($"'{Shorten(specs)}': its parentheses do not match.", nameof(specs))
            : list.Count == 0 ? throw new ArgumentException("no layer given: write layer specs separated by spaces, e.g. dense(100, relu) dense(10).", nameof(specs)) : list;
    }

    /// <summary>
    /// What a list of layers (<see cref="SplitSpecs"/>) will be after an input of shape <paramref name="input"/>, without
    /// building them: the last one's output shape, and the parameters and values per sample of them all.
    /// </summary>
    /// <param name="specs">The specs, separated by spaces.</param>
    /// <param name="input">The shape of one input sample.</param>
    /// <returns>The plan of the whole list.</returns>
    /// <exception cref="ArgumentException">A spec is not a layer or does not fit the shape before it.</exception>
    public LayerPlan PlanList(string specs, FeatureShape input)
    {
        FeatureShape shape = input;
        long parameters = 0, values = 0;
        foreach (string spec in SplitSpecs(specs))
        {
            LayerPlan plan = Plan(spec, shape);
            (shape, parameters, values) = (plan.Output, checked(parameters + plan.Parameters), checked(values + plan.ValuesPerSample));
        }

        return new LayerPlan(shape, parameters, values);
    }

    /// <summary>Builds a list of layers (<see cref="SplitSpecs"/>), each after the one before, from one seeded source of initial values.</summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <param name="specs">The specs, separated by spaces.</param>
    /// <param name="input">The shape of the first layer's input.</param>
    /// <param name="random">The seeded source of the initial values.</param>
    /// <returns>The layers, in order.</returns>
    /// <exception cref="ArgumentException">A spec is not a layer or does not fit the shape before it.</exception>
    public IReadOnlyList<ILayer<T>> CreateList<T>(string specs, FeatureShape input, Random random)
        where T : struct, IFloatingPointIeee754<T>
    {
        var layers = new List<ILayer<T>>();
        FeatureShape shape = input;
        foreach (string spec in SplitSpecs(specs))
        {
            layers.Add(Create<T>(spec, shape, random));
            shape = layers[^1].OutputShape;
        }

        return layers;
    }

    private bool TryPlan(string spec, FeatureShape input, out LayerKind? kind, out Arguments settings, out LayerPlan plan, out string error)
    {
        kind = null;
        plan = default;
        spec = ActivationAsLayer(spec);
        if (!TryBind(spec, [], out RegistryEntry? entry, out settings, out error))
        {
            return false;
        }

        kind = _kinds[entry!.Name];
        try
        {
            plan = kind.Plan(settings, input);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            error = $"layer '{Shorten(spec)}' after {input}: {FirstLine(e)}";
            return false;
        }
    }

    private static bool TryBuild<T>(LayerKind kind, string spec, Arguments settings, FeatureShape input, LayerPlan plan, Random random, out ILayer<T>? layer, out string error)
        where T : struct, IFloatingPointIeee754<T>
    {
        error = string.Empty;
        try
        {
            layer = kind.Create<T>(settings, input, random);
        }
        catch (ArgumentException e)
        {
            layer = null;
            error = $"layer '{spec}' after {input}: {FirstLine(e)}";
            return false;
        }

        long parameters = layer.Parameters.Sum(p => (long)p.Count);
        if (layer.InputShape != input || layer.OutputShape != plan.Output || parameters != plan.Parameters)
        {
            throw new InvalidOperationException(
                $"The layer kind of '{spec}' planned {input}→{plan.Output} with {plan.Parameters:N0} parameters, but built {layer.InputShape}→{layer.OutputShape} with {parameters:N0}: its Plan and its constructor disagree.");
        }

        return true;
    }

    /// <summary>An activation's spec alone (<c>relu</c>, <c>leaky_relu(0.2)</c>) as the layer <c>activation(…)</c>; any other spec as it is.</summary>
    private string ActivationAsLayer(string spec)
        => SpecCall.TryParse(spec, out SpecCall call, out _) && Find(call.Name) is null && Registries.Activations.TryCreate(spec, out _, out _) && Find("activation") is not null
            ? $"activation({spec.Trim()})"
            : spec;

    /// <summary>A stored configuration as its input shape and the spec <c>kind(key=value, …)</c> of the rest.</summary>
    private (FeatureShape Input, string Spec) Stored(string kind, Arguments configuration)
    {
        Preconditions.CheckNotNull(kind, nameof(kind));
        Preconditions.CheckNotNull(configuration, nameof(configuration));
        if (Find(kind) is null)
        {
            string? closest = Closest(kind, Entries.Select(e => e.Name));
            throw new ArgumentException($"unknown layer kind '{Shorten(kind)}'{(closest is null ? string.Empty : $" (did you mean {closest}?)")}; expected one of {string.Join(", ", Entries.Select(e => e.Name))}.", nameof(kind));
        }

        string? inputKey = new[] { "input" }.Concat(LegacyInputKeys).FirstOrDefault(configuration.Contains);
        if (inputKey is null)
        {
            throw new ArgumentException($"layer '{kind}' ({configuration}) has no input shape ('input').", nameof(configuration));
        }

        FeatureShape input = inputKey == "input" ? configuration.GetShape(inputKey) : FeatureShape.Flat(configuration.GetSize(inputKey));
        Arguments rest = configuration.Without(inputKey);
        return (input, rest.Pairs.Count == 0 ? kind : $"{kind}({string.Join(", ", rest.Pairs.Select(p => $"{p.Key}={p.Value}"))})");
    }

    /// <summary>A registered kind: its float and double classes' static members, called without reflection.</summary>
    private abstract class LayerKind
    {
        public abstract LayerPlan Plan(Arguments settings, FeatureShape input);

        public abstract ILayer<T> Create<T>(Arguments settings, FeatureShape input, Random random)
            where T : struct, IFloatingPointIeee754<T>;
    }

    private sealed class LayerKind<TFloat, TDouble> : LayerKind
        where TFloat : ILayer<float>, ILayerKind<TFloat, float>
        where TDouble : ILayer<double>, ILayerKind<TDouble, double>
    {
        public override LayerPlan Plan(Arguments settings, FeatureShape input) => TFloat.Plan(settings, input);

        public override ILayer<T> Create<T>(Arguments settings, FeatureShape input, Random random)
        {
            Preconditions.CheckElementType<T>();
            return typeof(T) == typeof(float)
                ? (ILayer<T>)(object)TFloat.Create(settings, input, random)
                : (ILayer<T>)(object)TDouble.Create(settings, input, random);
        }
    }
}
