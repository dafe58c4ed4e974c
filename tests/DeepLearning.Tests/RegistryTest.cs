using DeepLearning.Initialization;

namespace DeepLearning.Tests;

public class RegistryTest
{
    public static TheoryData<string> EveryEntry()
    {
        var data = new TheoryData<string>();
        foreach (RegistryEntry e in Registries.Activations.Entries.Concat(Registries.Losses.Entries).Concat(Registries.Initializers.Entries).Concat(Registries.Optimizers.Entries))
        {
            data.Add(e.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryEntry))]
    public void EveryRegisteredName_RoundTripsThroughItsSpec(string name)
    {
        IConcept concept = Create(name);

        IConcept again = Create(concept.Spec);

        again.Spec.Should().Be(concept.Spec);
        again.GetType().Should().Be(concept.GetType());
    }

    [Theory]
    [InlineData("leaky_relu(0.2)", "leaky_relu(0.2)")]
    [InlineData("Leaky-ReLU( 0.05 )", "leaky_relu(0.05)")]
    [InlineData("leaky_relu", "leaky_relu(0.01)")]
    [InlineData("relu", "relu")]
    [InlineData("LINEAR", "identity")]
    public void Activations_CarryTheirParameters(string spec, string expected)
        => Registries.Activations.Create(spec).Spec.Should().Be(expected);

    [Theory]
    [InlineData("adam", "adam(0.001, 0.9, 0.999, 1E-08)")]
    [InlineData("adam(0.01, 0.8)", "adam(0.01, 0.8, 0.999, 1E-08)")]
    [InlineData("sgd(0.5, 0.9)", "gradient_descent(0.5, 0.9)")]
    [InlineData("gradient_descent(3)", "gradient_descent(3, 0)")]
    public void Optimizers_CarryTheirParameters(string spec, string expected)
        => Registries.Optimizers.Create(spec).Spec.Should().Be(expected);

    [Theory]
    [InlineData("cross-entropy", "cross_entropy")]
    [InlineData("MSE", "mse")]
    [InlineData("binary-cross-entropy", "binary_cross_entropy")]
    public void Losses_AcceptHyphens(string spec, string expected) => Registries.Losses.Create(spec).Spec.Should().Be(expected);

    [Fact]
    public void Initializers_GaussianWithParameters()
    {
        var gaussian = (Gaussian)Registries.Initializers.Create("gaussian(0, 0.5)");

        gaussian.StandardDeviation.Should().Be(0.5);
        gaussian.Spec.Should().Be("gaussian(0, 0.5)");
        Registries.Initializers.Create("he").Should().BeSameAs(Initializer.HeNormal);
    }

    [Theory]
    [InlineData("swish", "unknown activation 'swish'; expected one of ")]
    [InlineData("reluu", "unknown activation 'reluu' (did you mean relu?); expected one of ")]
    [InlineData("leaky_relu(alhpa=0.1)", "activation 'leaky_relu' has no parameter 'alhpa' (did you mean alpha?); its parameters are alpha.")]
    [InlineData("leaky_relu(alpha=0.1, 0.2)", "activation 'leaky_relu(alpha=0.1, 0.2)': the value '0.2' comes after a named one; give positional values first.")]
    [InlineData("leaky_relu(0.1, alpha=0.2)", "activation 'leaky_relu': alpha is given twice.")]
    [InlineData("leaky_relu(,)", "activation 'leaky_relu(,)': a value is empty (two commas in a row?).")]
    [InlineData("relu\nsigmoid", "activation 'relu?sigmoid': the spec holds a control character (a line break?).")]
    [InlineData("", "activation '': the spec is empty.")]
    [InlineData("relu(1)", "activation 'relu' takes no parameters, but 1 were given.")]
    [InlineData("leaky_relu(0.1, 2)", "activation 'leaky_relu' takes at most 1 parameter(s) (alpha = 0.01), but 2 were given.")]
    [InlineData("leaky_relu(x)", "activation 'leaky_relu(x)': alpha must be a finite number, but was 'x'.")]
    [InlineData("leaky_relu(0.1", "activation 'leaky_relu(0.1': a ')' is missing after the parameters.")]
    [InlineData("leaky_relu(2)", "activation 'leaky_relu(2)': alpha must be in [0, 1), but was 2.")]
    public void Create_BadSpec_OneLineSayingWhatIsWrong(string spec, string message)
    {
        Action act = () => Registries.Activations.Create(spec);

        act.Should().Throw<ArgumentException>().Which.Message.Should().StartWith(message);
    }

    [Fact]
    public void Describe_ListsEveryEntryWithItsParameters()
    {
        string[] lines = [.. Registries.Activations.Describe()];

        lines.Should().HaveCount(Registries.Activations.Entries.Count);
        lines.Should().Contain(l => l.StartsWith("leaky_relu(alpha = 0.01)", StringComparison.Ordinal) && l.Contains("α·z"));
    }

    private static IConcept Create(string spec)
        => Registries.Activations.TryCreate(spec, out var a, out _) ? a!
            : Registries.Losses.TryCreate(spec, out var l, out _) ? l!
            : Registries.Initializers.TryCreate(spec, out var i, out _) ? i!
            : Registries.Optimizers.Create(spec);
}
