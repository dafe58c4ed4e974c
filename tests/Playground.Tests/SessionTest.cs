namespace Playground.Tests;

/// <summary>The run behind the page: seeded, explained step by step, and stopped with a message when it diverges.</summary>
public class SessionTest
{
    [Fact]
    public void SameSettings_GiveTheSameRun()
    {
        var settings = PlaygroundSettings.FromQuery("?dataset=gauss&layers=3,2&momentum=0.5&seed=7", out _);
        var a = new TrainingSession(settings);
        var b = new TrainingSession(settings);

        for (int i = 0; i < 40; i++)
        {
            a.TakeStep();
            b.TakeStep();
        }

        a.History.Should().Equal(b.History);
        a.Layers[0].Weights.Should().BeEquivalentTo(b.Layers[0].Weights);
        a.TrainingPoints.Should().Equal(b.TrainingPoints);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void Explain_SaysWhatTheNextStepDoes(double momentum)
    {
        var session = new TrainingSession(new PlaygroundSettings { DataSet = "xor", Layers = [4], Momentum = momentum, LearningRate = 0.3 });
        for (int i = 0; i < 5; i++)
        {
            session.TakeStep();
        }

        StepExplanation e = session.Explain(0, 1, 2);
        session.TakeStep();

        e.Layer.Should().Be(1);
        e.LearningRate.Should().Be(0.3);
        e.Gradient.Should().NotBe(0);
        session.Layers[0].Weights[1, 2].Should().BeApproximately(e.NewValue, 1e-12);
        (e.NewValue - e.Value).Should().BeApproximately((momentum * e.PreviousChange) - (0.3 * e.Gradient), 1e-12);
    }

    [Fact]
    public void TooLargeALearningRate_StopsWithAMessage()
    {
        var session = new TrainingSession(PlaygroundSettings.FromQuery("?dataset=curve&layers=8,8&activation=relu&learningRate=10&seed=1", out _));

        int steps = 0;
        while (session.TakeStep() && steps < 1000)
        {
            steps++;
        }

        session.Diverged.Should().Contain("too large").And.Contain("smaller one, such as 1");
        steps.Should().BeLessThan(1000);
    }

    [Theory]
    [InlineData("circle")]
    [InlineData("xor")]
    [InlineData("spiral")]
    [InlineData("gauss")]
    public void ClassificationSets_AreBalancedAndSplit(string name)
    {
        (Point[] training, Point[] test) = DataSets.Make(name, 0.1, 0.5, 1);

        training.Should().HaveCount(DataSets.Count / 2);
        test.Should().HaveCount(DataSets.Count / 2);
        training.Concat(test).Count(p => p.Label == 1).Should().BeInRange(100, 200);
    }

    [Fact]
    public void L2_PullsTheWeightsTowardsZero_AndItsStepIsExplained()
    {
        double SumOfSquares(TrainingSession session) => session.Layers.Sum(l => l.Weights.Enumerate().Sum(w => w * w));
        var plain = new TrainingSession(PlaygroundSettings.FromQuery("?dataset=gauss&seed=2", out _));
        var penalized = new TrainingSession(PlaygroundSettings.FromQuery("?dataset=gauss&seed=2&l2=3", out _));
        for (int i = 0; i < 300; i++)
        {
            plain.TakeStep();
            penalized.TakeStep();
        }

        SumOfSquares(penalized).Should().BeLessThan(SumOfSquares(plain), "(λ/2n)·Σw² adds λw/n to every weight's gradient");

        StepExplanation e = penalized.Explain(0, 1, 2);
        penalized.TakeStep();
        penalized.Layers[0].Weights[1, 2].Should().BeApproximately(e.NewValue, 1e-12, "the explanation's gradient includes the penalty's");
    }

    [Fact]
    public void Dropout_ExplainedStepIsTheStepTaken_AndExplainingDoesNotChangeTheRun()
    {
        PlaygroundSettings settings = PlaygroundSettings.FromQuery("?dataset=circle&layers=8,8&dropout=0.3&seed=4", out IReadOnlyList<string> notes);
        notes.Should().BeEmpty();
        var watched = new TrainingSession(settings);
        var alone = new TrainingSession(settings);
        watched.Network.Layers.Select(l => l.Kind).Should().Equal("dense", "dropout", "dense", "dropout", "dense");

        for (int i = 0; i < 200; i++)
        {
            StepExplanation e = watched.Explain(1, i % 8, (i / 8) % 8);
            watched.Explain(0, 0, i % 8); // a second click before the step: the same gradient, no new mask
            watched.TakeStep();
            alone.TakeStep();
            watched.Layers[1].Weights[i % 8, (i / 8) % 8].Should().BeApproximately(e.NewValue, 1e-12, $"step {i + 1} did what its explanation said");
        }

        watched.Layers.Select(l => l.Weights.ToArray()).Should().BeEquivalentTo(alone.Layers.Select(l => l.Weights.ToArray()),
            "every step draws its dropout mask once, explained or not");
        var unregularized = new TrainingSession(settings with { Dropout = 0 });
        for (int i = 0; i < 200; i++)
        {
            unregularized.TakeStep();
        }

        unregularized.Layers[0].Weights.ToArray().Should().NotBeEquivalentTo(alone.Layers[0].Weights.ToArray(), "the masks change the steps");
    }
}
