using DeepLearning.Initialization;

namespace DeepLearning.Tests.Initialization;

public class InitializerTest
{
    public static TheoryData<string> Names => new() { "standard-normal", "glorot", "he", "zeros" };

    [Theory]
    [MemberData(nameof(Names))]
    public void Initialize_SameSeed_BitIdentical(string name)
    {
        IInitializer initializer = ByName(name);
        var first = new double[500];
        var second = new double[500];

        initializer.Initialize<double>(first, 20, 25, new Random(3));
        initializer.Initialize<double>(second, 20, 25, new Random(3));

        first.Should().Equal(second);
    }

    [Fact]
    public void StandardNormal_LargeSample_MeanZeroStandardDeviationOne()
    {
        var values = new double[100_000];

        Initializer.StandardNormal.Initialize<double>(values, 1, 1, new Random(1));

        values.Average().Should().BeApproximately(0, 0.02);
        Math.Sqrt(values.Select(v => v * v).Average()).Should().BeApproximately(1, 0.02);
    }

    [Fact]
    public void GlorotUniform_WithinBoundAndFillsIt()
    {
        var values = new float[10_000];

        Initializer.GlorotUniform.Initialize<float>(values, 784, 30, new Random(1));

        float bound = (float)Math.Sqrt(6.0 / (784 + 30));
        values.Should().OnlyContain(v => Math.Abs(v) <= bound);
        values.Max().Should().BeGreaterThan(0.95f * bound);
        values.Min().Should().BeLessThan(-0.95f * bound);
    }

    [Fact]
    public void HeNormal_StandardDeviationIsSqrtTwoOverFanIn()
    {
        var values = new double[100_000];

        Initializer.HeNormal.Initialize<double>(values, 50, 10, new Random(1));

        Math.Sqrt(values.Select(v => v * v).Average()).Should().BeApproximately(Math.Sqrt(2.0 / 50), 0.004);
    }

    [Fact]
    public void Gaussian_InvalidStandardDeviation_NamesParameter()
    {
        Action act = () => _ = new Gaussian(0, 0);

        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("standardDeviation");
    }

    private static IInitializer ByName(string name) => name switch
    {
        "standard-normal" => Initializer.StandardNormal,
        "glorot" => Initializer.GlorotUniform,
        "he" => Initializer.HeNormal,
        _ => Initializer.Zeros,
    };
}
