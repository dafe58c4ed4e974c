using System.Globalization;
using DeepLearning.Layers;

namespace DocFigures;

/// <summary>The figures of the first articles: activations and their derivatives, the one-weight walk of gradient descent, learning rates too small and too large.</summary>
internal static class LossFigures
{
    internal static void Activations(string path)
    {
        double[] zs = [.. Enumerable.Range(0, 161).Select(i => -4 + (i * 0.05))];
        var z = new Tensor<double>(1, zs.Length);
        for (int j = 0; j < zs.Length; j++)
        {
            z[0, j] = zs[j];
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        IActivation[] activations = [Activation.Sigmoid, Activation.Tanh, Activation.ReLU];
        for (int k = 0; k < activations.Length; k++)
        {
            var a = new Tensor<double>(1, zs.Length);
            var d = new Tensor<double>(1, zs.Length);
            var ones = new Tensor<double>(1, zs.Length);
            ones.Matrix.Clear();
            ones.Matrix.Add(1.0, ones.Matrix);
            activations[k].Forward(z, a);
            activations[k].Backward(z, a, ones, d);
            Plot plot = multiplot.GetPlot(k);
            plot.Add.Scatter(zs, a.GetRow(0)).LegendText = "σ(z)";
            var derivative = plot.Add.Scatter(zs, d.GetRow(0));
            derivative.LegendText = "σ′(z)";
            derivative.LinePattern = LinePattern.Dashed;
            foreach (var s in plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>())
            {
                s.MarkerSize = 0;
                s.LineWidth = 2;
            }

            plot.Title(activations[k].Name);
            plot.Axes.Bottom.Label.Text = "z";
            plot.ShowLegend(Alignment.UpperLeft);
        }

        DeepLearning.IO.AtomicFile.Write(path, (string temporary) => multiplot.SavePng(temporary, 1200, 400));
    }

    internal static (Network<double> Network, Dense<double> Layer) OneWeight()
    {
        var layer = new Dense<double>(1, 1, Activation.Identity, useBias: false);
        layer.Weights[0, 0] = 5;
        return (new Network<double>(layer), layer);
    }

    internal static List<(double W, double Loss)> Walk(double learningRate, int steps)
    {
        (Network<double> network, Dense<double> layer) = OneWeight();
        var optimizer = new GradientDescent(learningRate);
        var x = Tensor<double>.FromRow(2.0);
        var y = Tensor<double>.FromRow(6.0);
        var points = new List<(double, double)>();
        for (int step = 0; step <= steps; step++)
        {
            double loss = network.ComputeGradients(x, y, Loss.Quadratic);
            points.Add((layer.Weights[0, 0], loss));
            optimizer.Step(network.Parameters);
        }

        return points;
    }

    internal static void LossCurve(Plot plot, double from, double to)
    {
        double[] ws = [.. Enumerable.Range(0, 201).Select(i => from + ((to - from) * i / 200))];
        var curve = plot.Add.Scatter(ws, [.. ws.Select(w => 0.5 * ((2 * w) - 6) * ((2 * w) - 6))]);
        curve.MarkerSize = 0;
        curve.LineWidth = 2;
        curve.LegendText = "L(w) = ½(2w − 6)²";
        plot.Axes.Bottom.Label.Text = "weight w";
        plot.Axes.Left.Label.Text = "loss L";
    }

    internal static void GradientDescentWalk(string path)
    {
        var plot = new Plot();
        LossCurve(plot, 1.5, 5.5);
        List<(double W, double Loss)> walk = Walk(0.1, 8);
        var steps = plot.Add.Scatter(walk.Select(p => p.W).ToArray(), walk.Select(p => p.Loss).ToArray());
        steps.LegendText = "gradient-descent steps, ε = 0.1";
        steps.MarkerSize = 9;
        for (int i = 0; i < 3; i++)
        {
            var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"w = {walk[i].W:0.##}, L = {walk[i].Loss:0.##}"), walk[i].W, walk[i].Loss);
            label.LabelFontSize = 13;
            label.LabelAlignment = Alignment.UpperLeft;
            label.OffsetX = 10;
        }

        plot.Title("Gradient descent on one weight: x = 2, label 6, from w = 5 towards w = 3");
        plot.ShowLegend(Alignment.UpperLeft);
        DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 900, 550));
    }

    internal static void LearningRates(string path)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(3);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        (double Rate, string Title)[] cases = [(0.02, "ε = 0.02: too small, crawls"), (0.1, "ε = 0.1: converges"), (0.55, "ε = 0.55: too large, diverges")];
        for (int k = 0; k < cases.Length; k++)
        {
            Plot plot = multiplot.GetPlot(k);
            List<(double W, double Loss)> walk = Walk(cases[k].Rate, 8);
            double low = Math.Min(1, walk.Min(p => p.W)), high = Math.Max(5.5, walk.Max(p => p.W));
            LossCurve(plot, low, high);
            var steps = plot.Add.Scatter(walk.Select(p => p.W).ToArray(), walk.Select(p => p.Loss).ToArray());
            steps.MarkerSize = 8;
            steps.LegendText = "8 steps";
            plot.Title(cases[k].Title);
            plot.ShowLegend(Alignment.UpperCenter);
        }

        DeepLearning.IO.AtomicFile.Write(path, (string temporary) => multiplot.SavePng(temporary, 1350, 420));
    }
}
