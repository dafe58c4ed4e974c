using DeepLearning.Serialization;

namespace DeepLearning.Tests.Layers;

/// <summary>Every registered kind of layer, read from the registry (no list of names here): planned, built and stored alike.</summary>
public class LayerRegistryTest
{
    /// <summary>Each registered kind with the smallest spec that builds it: its required parameters set to 2 (a size), 0.5 (a rate), tanh (an activation, a block's layers).</summary>
    public static TheoryData<string> EveryKind()
    {
        var data = new TheoryData<string>();
        foreach (RegistryEntry entry in Registries.Layers.Entries)
        {
            data.Add(entry.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryKind_PlanAgreesWithTheBuiltLayer_AndItsConfigurationBuildsItAgain(string kind)
    {
        (string spec, FeatureShape input) = Smallest(kind);

        LayerPlan plan = Registries.Layers.Plan(spec, input);
        ILayer<double> layer = Registries.Layers.Create<double>(spec, input, new Random(3));
        ILayer<float> again = Registries.Layers.Create<float>(layer.Kind, layer.Configuration, new Random(3));

        layer.Kind.Should().Be(kind);
        (layer.InputShape, layer.OutputShape).Should().Be((input, plan.Output));
        layer.Parameters.Sum(p => (long)p.Count).Should().Be(plan.Parameters);
        again.Configuration.ToString().Should().Be(layer.Configuration.ToString());
        again.Parameters.Select(p => p.ExportShape).Should().BeEquivalentTo(layer.Parameters.Select(p => p.ExportShape), o => o.WithStrictOrdering());
        LayerRegistry.SpecOf(layer).Should().StartWith(kind);
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void EveryKind_ForwardAndBackward_KeepTheShapesThePlanSays(string kind)
    {
        (string spec, FeatureShape input) = Smallest(kind);
        ILayer<double> layer = Registries.Layers.Create<double>(spec, input, new Random(3));
        var x = new Tensor<double>(3, (int)input.Size);
        x.Matrix.MapIndexedInplace((i, j, _) => (i + (2 * j)) % 3 % 2); // 0s and 1s: values for any layer, token ids for an embedding of 2

        Tensor<double> a = layer.Forward(x, training: true);
        Tensor<double>? dx = layer.Backward(a.Clone());

        a.Shape.Should().Be(new TensorShape(3, layer.OutputSize));
        dx!.Shape.Should().Be(x.Shape);
    }

    [Fact]
    public void Create_DenseSpec_BuildsAfterTheGivenShape()
    {
        ILayer<float> layer = Registries.Layers.Create<float>("dense(100, relu)", new FeatureShape(20, 4, 4), new Random(1));

        layer.Should().BeOfType<Dense<float>>().Which.Weights.RowCount.Should().Be(320);
        layer.Configuration.ToString().Should().Be("input=20×4×4; outputs=100; activation=relu; bias=true; init=auto; bias_init=zeros");
        LayerRegistry.SpecOf(layer).Should().Be("dense(outputs=100, activation=relu, bias=true, init=auto, bias_init=zeros)");
    }

    [Fact]
    public void Create_NamedAndNestedArguments()
    {
        var dense = (Dense<double>)Registries.Layers.Create<double>("dense(10, activation=leaky_relu(alpha=0.2), bias=false, init=gaussian(std=0.5))", FeatureShape.Flat(3), new Random(1));

        dense.Activation.Spec.Should().Be("leaky_relu(0.2)");
        dense.Bias.Should().BeNull();
        dense.Configuration.Get("init").Should().Be("gaussian(0, 0.5)");
    }

    [Theory]
    [InlineData("dense", "layer 'dense' needs outputs, for example dense(outputs).")]
    [InlineData("dense(0)", "layer 'dense(0)' after 784: outputs must be a whole number of at least 1, but was '0'.")]
    [InlineData("dense(10, swish)", "layer 'dense(10, swish)' after 784: activation: unknown activation 'swish'; expected one of *.")]
    [InlineData("dropout(1.5)", "layer 'dropout(1.5)' after 784: rate must be in [0, 1), but was 1.5.")]
    [InlineData("dens(10)", "unknown layer 'dens' (did you mean dense?); expected one of *.")]
    [InlineData("dense(3000000)", "layer 'dense(3000000)' after 784: The weight matrix of Dense(784→3000000) would be 784×3,000,000 = 2,352,000,000 elements, more than the 2,147,483,591 a .NET array can hold; use fewer neurons.")]
    public void Plan_BadSpec_OneLineWithoutAllocating(string spec, string message)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();

        Action act = () => Registries.Layers.Plan(spec, FeatureShape.Flat(784));

        act.Should().Throw<ArgumentException>().Which.Message.Split(" (Parameter")[0].Should().Match(message);
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(1_000_000, "a plan allocates no layer");
    }

    [Theory]
    [InlineData("inputs=784; outputs=30; activation=relu; bias=true", 784, 30)]
    [InlineData("size=30; rate=0.5; seed=7", 30, 30)]
    public void Create_StoredByVersion020_LegacyInputKeysStillRead(string configuration, int inputs, int outputs)
    {
        string kind = configuration.StartsWith("size", StringComparison.Ordinal) ? "dropout" : "dense";

        ILayer<float> layer = Registries.Layers.Create<float>(kind, Arguments.Parse(configuration), new Random(1));

        (layer.InputSize, layer.OutputSize).Should().Be((inputs, outputs));
        layer.Configuration.Get("input").Should().Be(inputs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Create_StoredWithoutInput_SaysSo()
    {
        Action act = () => Registries.Layers.Create<float>("dense", Arguments.Parse("outputs=3"), new Random(1));

        act.Should().Throw<ArgumentException>().WithMessage("layer 'dense' (outputs=3) has no input shape ('input').*");
    }

    [Fact]
    public void Register_APlanThatHidesAnAllocation_IsCaughtWhenBuilt()
    {
        var registry = new LayerRegistry(); // a registry of its own, so that the lying kind never meets the other tests
        registry.Register<LyingPlan<float>, LyingPlan<double>>("lying_plan", "", "a test layer whose plan under-reports its parameters");

        Action act = () => registry.Create<float>("lying_plan", FeatureShape.Flat(4), new Random(1));

        act.Should().Throw<InvalidOperationException>().WithMessage("The layer kind of 'lying_plan' planned 4→4 with 0 parameters, but built 4→4 with 4: its Plan and its constructor disagree.");
    }

    [Fact]
    public void KindOf_RegisteredClassesAndOthers()
    {
        Registries.Layers.KindOf(typeof(Dense<float>)).Should().Be("dense");
        Registries.Layers.KindOf(typeof(Dropout<double>)).Should().Be("dropout");
        Registries.Layers.KindOf(typeof(string)).Should().BeNull();
    }

    /// <summary>The smallest spec of a kind: every required parameter 2 (0.5 for a rate), after a 2×6×6 image, else a flat input of 6, else a sequence of 6 positions of 2 features.</summary>
    internal static (string Spec, FeatureShape Input) Smallest(string kind)
    {
        RegistryEntry entry = Registries.Layers.Entries.Single(e => e.Name == kind);
        string[] required = [.. entry.Parameters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => !p.Contains('=') && !p.StartsWith('['))];
        string spec = required.Length == 0 ? kind : $"{kind}({string.Join(", ", required.Select(Sample))})";
        foreach (FeatureShape input in new[] { new FeatureShape(2, 6, 6), FeatureShape.Flat(6), FeatureShape.Sequence(6, 2) })
        {
            try
            {
                Registries.Layers.Plan(spec, input);
                return (spec, input);
            }
            catch (ArgumentException)
            {
                // try the next input shape
            }
        }

        throw new InvalidOperationException($"no input plans {spec}");
    }

    /// <summary>A value for a required parameter, by its name: a size of 2, a rate of 0.5, an activation, a list of one layer that keeps the shape.</summary>
    private static string Sample(string parameter) => parameter switch
    {
        "rate" => "0.5",
        "function" => "tanh",
        "layers" => "tanh",
        _ => "2",
    };

    private sealed class LyingPlan<T> : Layer<T>, ILayerKind<LyingPlan<T>, T>
        where T : struct, System.Numerics.IFloatingPointIeee754<T>
    {
        private LyingPlan(FeatureShape input, Random random)
            : base(input, input)
            => AddParameter("weight", 1, InputSize, DeepLearning.Initialization.Initializer.Zeros, random, 1, 1);

        protected override Arguments Settings => Arguments.Empty;

        public static LayerPlan Plan(Arguments settings, FeatureShape input) => new(input, 0, input.Size);

        public static LyingPlan<T> Create(Arguments settings, FeatureShape input, Random random) => new(input, random);

        protected override Tensor<T> ForwardCore(Tensor<T> input, bool training) => input;

        protected override Tensor<T>? BackwardCore(Tensor<T> input, Tensor<T> outputGradient, bool computeInputGradient) => outputGradient;
    }
}
