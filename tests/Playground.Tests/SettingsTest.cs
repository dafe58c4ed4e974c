namespace Playground.Tests;

/// <summary>The URL carries the whole setup; bad values fall back to defaults, each with a note.</summary>
public class SettingsTest
{
    [Fact]
    public void FromQuery_TheAutomationExample_ReadsEveryName()
    {
        var s = PlaygroundSettings.FromQuery(
            "?dataset=xor&layers=4&activation=tanh&learningRate=0.3&seed=1&steps=300&autoplay=true", out var notes);

        notes.Should().BeEmpty();
        s.DataSet.Should().Be("xor");
        s.Layers.Should().Equal(4);
        s.Activation.Should().Be("tanh");
        s.LearningRate.Should().Be(0.3);
        s.Seed.Should().Be(1);
        s.Steps.Should().Be(300);
        s.Autoplay.Should().BeTrue();
    }

    [Fact]
    public void FromQuery_InvalidValues_KeepTheDefaultsAndSayWhy()
    {
        var defaults = PlaygroundSettings.StartingFor("circle"); // the page's defaults: the first data set's start

        var s = PlaygroundSettings.FromQuery("?dataset=moon&layers=9,x&learningRate=abc&seed=-3&autoplay=yes", out var notes);

        s.Should().BeEquivalentTo(defaults);
        notes.Should().HaveCount(5);
        notes[0].Should().Contain("dataset 'moon'").And.Contain("circle, xor, spiral, gauss, curve");
        notes.Should().Contain(n => n.Contains("layers '9,x'", StringComparison.Ordinal));
        notes.Should().Contain(n => n.Contains("learningRate 'abc'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("4,4,4,4,4,4,4")]
    [InlineData("9")]
    [InlineData("4,,4")]
    public void FromQuery_LayersOutsideOneToSixOfOneToEight_AreRefused(string layers)
    {
        var s = PlaygroundSettings.FromQuery("?layers=" + layers, out var notes);

        s.Layers.Should().Equal(new PlaygroundSettings().Layers);
        notes.Should().ContainSingle().Which.Should().Contain("1 to 6 counts of 1 to 8 neurons");
    }

    [Fact]
    public void ToQuery_GivesTheSameSettingsBack()
    {
        var s = new PlaygroundSettings
        {
            DataSet = "spiral", Layers = [8, 6, 3], Activation = "leaky_relu(0.1)", Loss = "quadratic", LearningRate = 0.003,
            Momentum = 0.9, BatchSize = 20, Noise = 0.3, TrainShare = 0.7, Seed = 42, Steps = 10, Autoplay = true,
        };

        var back = PlaygroundSettings.FromQuery(s.ToQuery(), out var notes);

        notes.Should().BeEmpty();
        back.Should().BeEquivalentTo(s);
    }

    [Fact]
    public void Choices_ComeFromTheRegistries()
    {
        PlaygroundSettings.Activations.Should().Contain(["sigmoid", "tanh", "relu", "leaky_relu", "identity"]).And.NotContain("softmax");
        PlaygroundSettings.Losses.Should().Contain(["binary_cross_entropy", "quadratic", "mse"]).And.NotContain("cross_entropy");
    }
}
