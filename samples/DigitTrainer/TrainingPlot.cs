using ScottPlot;

namespace DigitTrainer;

/// <summary>The learning curves: training loss (left axis) and test accuracy (right axis) per epoch.</summary>
internal static class TrainingPlot
{
    public static void Save(string path, IReadOnlyList<EpochEntry> epochs, string title)
    {
        var plot = new Plot();
        double[] xs = [.. epochs.Select(e => (double)e.Epoch)];
        var loss = plot.Add.Scatter(xs, [.. epochs.Select(e => e.TrainLoss)]);
        loss.LegendText = "training loss";
        var accuracy = plot.Add.Scatter(xs, [.. epochs.Select(e => 100 * e.TestAccuracy)]);
        accuracy.LegendText = "test accuracy (%)";
        accuracy.Axes.YAxis = plot.Axes.Right;
        plot.Axes.Left.Label.Text = "training loss";
        plot.Axes.Right.Label.Text = "test accuracy (%)";
        plot.Axes.Bottom.Label.Text = "epoch";
        // Whole epochs only: no tick at 1.5 or 2.5.
        int step = Math.Max(1, (int)Math.Ceiling(epochs.Count / 10.0));
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. epochs.Where(e => (e.Epoch - 1) % step == 0 || e.Epoch == epochs[^1].Epoch).Select(e => (double)e.Epoch)],
            [.. epochs.Where(e => (e.Epoch - 1) % step == 0 || e.Epoch == epochs[^1].Epoch).Select(e => e.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Title(title);
        plot.ShowLegend(Alignment.MiddleRight);
        DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 800, 500));
    }
}
