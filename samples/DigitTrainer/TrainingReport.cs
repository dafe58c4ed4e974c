using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DigitTrainer;

/// <summary>The machine-readable summary written by --report.</summary>
internal sealed record TrainingReport(
    double TestAccuracy,
    double TestLoss,
    string DataSource,
    int TrainSamples,
    int TestSamples,
    string Backend,
    string ElementType,
    string Network,
    IReadOnlyList<string> Layers,
    string Loss,
    string Optimizer,
    double LearningRate,
    int BatchSize,
    int Seed,
    double TotalSeconds,
    IReadOnlyList<EpochEntry> Epochs,
    IReadOnlyList<double> PerDigitAccuracy)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Write(string path) => DeepLearning.IO.AtomicFile.WriteAllText(path, ToJson());
}

/// <summary>One epoch in the report.</summary>
internal sealed record EpochEntry(int Epoch, double TrainLoss, double TestAccuracy, double Seconds);
