using DeepLearning.Optimizers;
using DeepLearning.Training;
using ScottPlot;

namespace DocFigures;

/// <summary>The package icon.</summary>
internal static class IconFigure
{
    internal static void Icon(string path)
    {
        // A 2-3-2 network: neurons as dots, weights as lines.
        var plot = new Plot();
        double[][] layers = [[0.3, 0.7], [0.15, 0.5, 0.85], [0.3, 0.7]];
        for (int l = 0; l + 1 < layers.Length; l++)
        {
            foreach (double from in layers[l])
            {
                foreach (double to in layers[l + 1])
                {
                    var line = plot.Add.Line(l, from, l + 1, to);
                    line.LineWidth = 4;
                    line.LineColor = Color.FromHex("#5B6C8F");
                }
            }
        }

        for (int l = 0; l < layers.Length; l++)
        {
            foreach (double y in layers[l])
            {
                var dot = plot.Add.Marker(l, y);
                dot.MarkerSize = 28;
                dot.Color = Color.FromHex(l == 1 ? "#E07A2E" : "#2E6FE0");
            }
        }

        plot.Axes.SetLimits(-0.35, 2.35, -0.05, 1.05);
        plot.HideGrid();
        plot.Layout.Frameless();
        plot.Axes.Frameless();
        plot.FigureBackground.Color = Colors.White;
        DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 128, 128));
    }
}
