namespace Playground.Tests;

/// <summary>Each data set's starting settings learn it: the address with only the data set reaches a test loss of 0.1.</summary>
public class StartingSettingsTest
{
    public static TheoryData<string> Names => [.. PlaygroundSettings.DataSets];

    [Theory]
    [MemberData(nameof(Names))]
    public void DataSetAlone_ReachesATestLossOfATenthWithin5000Steps(string name)
    {
        var settings = PlaygroundSettings.FromQuery($"?dataset={name}&steps=5000", out IReadOnlyList<string> notes);
        notes.Should().BeEmpty();
        var session = new TrainingSession(settings);
        while (!session.Finished && session.TakeStep())
        {
        }

        session.Record();
        session.Step.Should().Be(5000);
        session.TestLoss.Should().BeLessThanOrEqualTo(0.1, $"{name}'s starting settings ({settings.ToQuery()}) should learn it; training loss {session.TrainLoss:0.0000}");
    }
}
