using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DeepLearning.Benchmarks;

/// <summary>A GFLOP/s column: a benchmark case's floating-point operations (from its parameters) divided by its mean time.</summary>
/// <param name="legend">How the operations are counted, shown under the table.</param>
/// <param name="operations">The floating-point operations of one call of the case.</param>
internal sealed class GflopsColumn(string legend, Func<BenchmarkCase, double> operations) : IColumn
{
    public string Id => "GFLOPS";

    public string ColumnName => "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return meanNanoseconds is { } ns && ns > 0
            ? (operations(benchmarkCase) / ns).ToString("F1", CultureInfo.InvariantCulture)
            : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
