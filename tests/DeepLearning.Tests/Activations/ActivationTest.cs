namespace DeepLearning.Tests.Activations;

/// <summary>Values and derivatives of the element-wise activations, checked against hand-computed numbers.</summary>
public class ActivationTest
{
    public static TheoryData<string, double, double, double> ValueAndDerivative => new()
    {
        // name, z, σ(z), σ′(z) — the numbers in each activation's <example>.
        { "sigmoid", 0, 0.5, 0.25 },
        { "sigmoid", 2, 0.8807970779778823, 0.8807970779778823 * (1 - 0.8807970779778823) },
        { "tanh", 0, 0, 1 },
        { "tanh", 1, 0.7615941559557649, 1 - (0.7615941559557649 * 0.7615941559557649) },
        { "relu", -2, 0, 0 },
        { "relu", 3, 3, 1 },
        { "relu", 0, 0, 0 },
        { "identity", 10, 10, 1 },
        { "identity", -4.5, -4.5, 1 },
    };

    [Theory]
    [InlineData(0f)]
    [InlineData(1e-10f)]
    [InlineData(-3e-7f)]
    [InlineData(0.01f)]
    [InlineData(-0.1f)]
    [InlineData(0.124f)]
    [InlineData(0.126f)]
    [InlineData(0.7f)]
    public void Tanh_Float_IsExactNearZero(float z)
    {
        // Many values in one batch, so that the vectorized path runs; each must be within 1e-6 relative of tanh in double.
        Tensor<float> zt = Tensor<float>.FromRows([.. Enumerable.Repeat(new[] { z }, 37)]);
        var a = new Tensor<float>(37, 1);

        Activation.Tanh.Forward(zt, a);
        Activation.Tanh.Forward(zt, zt); // in place, too

        double expected = Math.Tanh(z);
        foreach (float value in a.ToArray().Cast<float>().Concat(zt.ToArray().Cast<float>()))
        {
            if (z == 0)
            {
                value.Should().Be(0f);
            }
            else
            {
                Math.Abs((value - expected) / expected).Should().BeLessThan(1e-6);
            }
        }
    }

    [Theory]
    [MemberData(nameof(ValueAndDerivative))]
    public void ForwardAndBackward_HandComputedValues(string name, double z, double expectedValue, double expectedDerivative)
    {
        IActivation activation = Activation.FromName(name);
        var zt = Tensor<double>.FromRow(z);
        var a = new Tensor<double>(1, 1);
        var delta = new Tensor<double>(1, 1);

        activation.Forward(zt, a);
        activation.Backward(zt, a, Tensor<double>.FromRow(1.0), delta);

        a[0, 0].Should().BeApproximately(expectedValue, 1e-12);
        delta[0, 0].Should().BeApproximately(expectedDerivative, 1e-12);
    }

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("identity")]
    [InlineData("softmax")]
    public void Backward_MatchesFiniteDifferencesOfForward(string name)
    {
        IActivation activation = Activation.FromName(name);
        var z = Tensor<double>.FromRows([0.3, -1.2, 2.0], [-0.7, 0.1, 0.9]);
        var g = Tensor<double>.FromRows([0.5, -1.0, 2.0], [1.5, 0.25, -0.75]);
        var a = new Tensor<double>(2, 3);
        var delta = new Tensor<double>(2, 3);
        activation.Forward(z, a);
        activation.Backward(z, a, g, delta);

        // δ = ∂(Σ g⊙σ(z))/∂z, by central differences.
        const double h = 1e-6;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double original = z[i, j];
                z[i, j] = original + h;
                double plus = Weighted(activation, z, g);
                z[i, j] = original - h;
                double minus = Weighted(activation, z, g);
                z[i, j] = original;

                delta[i, j].Should().BeApproximately((plus - minus) / (2 * h), 1e-8, $"{name} at ({i}, {j})");
            }
        }
    }

    [Theory]
    [InlineData("sigmoid", 1.0, 0.0)]
    [InlineData("tanh", 1.0, -1.0)]
    [InlineData("relu", 1000.0, 0.0)]
    public void Forward_InputsOfPlusMinus1000_FiniteAndSaturated(string name, double atPlus, double atMinus)
    {
        foreach (bool useFloat in new[] { false, true })
        {
            if (useFloat)
            {
                var a = new Tensor<float>(1, 2);
                Activation.FromName(name).Forward(Tensor<float>.FromRow(1000f, -1000f), a);
                a[0, 0].Should().Be((float)atPlus);
                a[0, 1].Should().Be((float)atMinus);
            }
            else
            {
                var a = new Tensor<double>(1, 2);
                Activation.FromName(name).Forward(Tensor<double>.FromRow(1000, -1000), a);
                a[0, 0].Should().Be(atPlus);
                a[0, 1].Should().Be(atMinus);
            }
        }
    }

    [Fact]
    public void Forward_ShapeMismatch_NamesActivationAndShapes()
    {
        Action act = () => Activation.Sigmoid.Forward(new Tensor<double>(2, 3), new Tensor<double>(3, 2));

        act.Should().Throw<ArgumentException>().WithMessage("Sigmoid: a tensor has shape 3×2, expected 2×3*");
    }

    [Fact]
    public void FromName_Unknown_ListsTheKnownNames()
    {
        Action act = () => Activation.FromName("swish");

        act.Should().Throw<ArgumentException>().WithMessage($"unknown activation 'swish'; expected one of {string.Join(", ", Registries.Activations.Entries.Select(e => e.Name))}.*")
            .Which.ParamName.Should().Be("name");
    }

    private static double Weighted(IActivation activation, Tensor<double> z, Tensor<double> g)
    {
        var a = new Tensor<double>(z.Rows, z.Columns);
        activation.Forward(z, a);
        return (a.Matrix.PointwiseMultiply(g.Matrix)).Enumerate().Sum();
    }
}
