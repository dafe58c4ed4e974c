namespace DeepLearning.Tests;

/// <summary>Tests that change environment variables run one at a time, never beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Environment variables";
}
