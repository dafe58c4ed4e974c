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
    IReadOnlyList<int> Hidden,
    string Activation,
    string Loss,
    double LearningRate,
    double Momentum,
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

    public void Write(string path) => AtomicWrite.Text(path, JsonSerializer.Serialize(this, Json));
}

/// <summary>One epoch in the report.</summary>
internal sealed record EpochEntry(int Epoch, double TrainLoss, double TestAccuracy, double Seconds);

/// <summary>Writes to a temporary name in the same folder, then renames, so a file is never half-written.</summary>
internal static class AtomicWrite
{
    public static void Text(string path, string text) => File(path, temporary => System.IO.File.WriteAllText(temporary, text));

    public static void File(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(full)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(full)}");
        try
        {
            write(temporary);
            System.IO.File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            System.IO.File.Delete(temporary);
        }
    }
}
