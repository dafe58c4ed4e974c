using Samples.Common;

namespace NameWriter;

/// <summary>
/// What --report writes: the model, the data and its split, the losses in nats per character (the final model's on each
/// split, makemore's figure for the kind of model and the counting bigram's on the same test set), the training, and the
/// names written with the share of them not in the training set.
/// </summary>
internal sealed record WriterReport(
    string Model,
    IReadOnlyList<string> Layers,
    long Parameters,
    string Data,
    string DataFile,
    int Vocabulary,
    int Positions,
    int TrainNames,
    int DevNames,
    int TestNames,
    double TrainLoss,
    double DevLoss,
    double TestLoss,
    double? MakemoreTestLoss,
    double CountingBigramTestLoss,
    string? Optimizer,
    string? Schedule,
    int? BatchSize,
    int Seed,
    double TrainSeconds,
    IReadOnlyList<WriterReport.Epoch> Epochs,
    double Temperature,
    int? TopK,
    IReadOnlyList<string> Samples,
    double? NewShare)
{
    /// <summary>The report as indented JSON, camelCase names.</summary>
    public string ToJson() => ReportJson.Serialize(this);

    /// <summary>One epoch: its mean training loss over the steps, the validation loss after it, the seconds since training began.</summary>
    internal sealed record Epoch(int Number, double TrainLoss, double DevLoss, double Seconds);
}
