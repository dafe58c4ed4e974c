// Classification: two interleaved spirals that no straight line separates. A model with no hidden layer can only draw
// a straight boundary; a deep network bends it around the spirals.
//
// Usage: dotnet run --project samples/Classification -c Release [-- --seed N --output DIR --quick]


(SampleArgs? options, int exitCode) = SampleArgs.Parse(args, "Classification",
    "two interleaved spirals, a model with no hidden layer against a deep network, and their decision boundaries", usesMnist: false);
if (options is null)
{
    return exitCode;
}

int perClass = options.Quick ? 150 : 300;
int epochs = options.Quick ? 150 : 600;
(Tensor<double> x, int[] labels) = Spirals(perClass, options.Seed);
int trainCount = (int)(0.7 * x.Rows);
(Tensor<double> trainX, int[] trainLabels) = Rows(x, labels, 0, trainCount);
(Tensor<double> testX, int[] testLabels) = Rows(x, labels, trainCount, x.Rows - trainCount);

Console.WriteLine("Two spirals wind around each other; each point belongs to one of them (class 0 or 1).");
Console.WriteLine($"{trainCount} points train each model, {testX.Rows} others test it (seed {options.Seed}).");
Console.WriteLine();

(string Name, Network<double> Network)[] models =
[
    ("no hidden layer (2-2)", new NetworkBuilder<double>(2, options.Seed).Dense(2).Build()),
    ("deep network (2-16-16-2)", new NetworkBuilder<double>(2, options.Seed).Dense(16, Activation.Tanh).Dense(16, Activation.Tanh).Dense(2).Build()),
];

var rows = new List<string[]>();
var pictures = new List<string>();
foreach ((string name, Network<double> network) in models)
{
    network.Fit(trainX, Tensor<double>.OneHot(trainLabels, 2), Loss.CrossEntropy, new GradientDescent(0.05, momentum: 0.9),
        new TrainingOptions { Epochs = epochs, BatchSize = 16, Seed = options.Seed });
    double train = Accuracy(network, trainX, trainLabels), test = Accuracy(network, testX, testLabels);
    rows.Add([name, Table.Percent(train), Table.Percent(test)]);
    string file = options.File(name.StartsWith("no", StringComparison.Ordinal) ? "boundary-no-hidden-layer.png" : "boundary-deep.png");
    DrawBoundary(file, network, x, labels, $"{name}: {Table.Percent(test)} of the test points right");
    pictures.Add(file);
}

Console.Write(Table.Format(["model", "train accuracy", "test accuracy"], rows));
Console.WriteLine();
Console.WriteLine("A model with no hidden layer computes softmax(x·W + b): its boundary between the classes is a straight line,");
Console.WriteLine($"so it gets only {rows[0][2]} of the test points right, little better than the 50% of a coin toss.");
Console.WriteLine($"The hidden layers let the deep network bend its boundary around the spirals: {rows[1][2]}.");
Console.WriteLine();
Console.WriteLine("Pictures (the coloured background is the predicted class, the dots are the data):");
pictures.ForEach(p => Console.WriteLine($"  {Path.GetFullPath(p)}"));
return 0;

static (Tensor<double> X, int[] Labels) Spirals(int perClass, int seed)
{
    var random = new Random(seed);
    var points = new List<(double X, double Y, int Label)>();
    for (int c = 0; c < 2; c++)
    {
        for (int i = 0; i < perClass; i++)
        {
            double t = 0.25 + (0.75 * i / perClass);        // from near the centre outwards
            double angle = (t * 3.5 * Math.PI) + (c * Math.PI);
            double noise() => 0.12 * ((random.NextDouble() * 2) - 1);
            points.Add(((3 * t * Math.Cos(angle)) + noise(), (3 * t * Math.Sin(angle)) + noise(), c)); // radius up to 3
        }
    }

    random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(points));
    var x = new Tensor<double>(points.Count, 2);
    for (int i = 0; i < points.Count; i++)
    {
        x[i, 0] = points[i].X;
        x[i, 1] = points[i].Y;
    }

    return (x, [.. points.Select(p => p.Label)]);
}

static (Tensor<double>, int[]) Rows(Tensor<double> x, int[] labels, int start, int count)
{
    var part = new Tensor<double>(count, x.Columns);
    for (int i = 0; i < count; i++)
    {
        part[i, 0] = x[start + i, 0];
        part[i, 1] = x[start + i, 1];
    }

    return (part, labels[start..(start + count)]);
}

static double Accuracy(Network<double> network, Tensor<double> x, int[] labels)
    => (double)network.PredictClasses(x).Zip(labels).Count(p => p.First == p.Second) / labels.Length;

static void DrawBoundary(string path, Network<double> network, Tensor<double> x, int[] labels, string title)
{
    const int Size = 200;
    const double Min = -3.5, Max = 3.5;
    var grid = new Tensor<double>(Size * Size, 2);
    for (int row = 0; row < Size; row++)
    {
        for (int column = 0; column < Size; column++)
        {
            grid[(row * Size) + column, 0] = Min + ((Max - Min) * (column + 0.5) / Size);
            grid[(row * Size) + column, 1] = Max - ((Max - Min) * (row + 0.5) / Size); // row 0 is the top
        }
    }

    Tensor<double> probabilities = network.Predict(grid, Loss.CrossEntropy); // softmax of the logits
    var intensities = new double[Size, Size];
    for (int row = 0; row < Size; row++)
    {
        for (int column = 0; column < Size; column++)
        {
            intensities[row, column] = probabilities[(row * Size) + column, 1] > 0.5 ? 1 : 0; // the predicted class
        }
    }

    // The decision boundary, where the two classes are equally likely (p = 0.5): a point wherever p crosses 0.5 between
    // two neighbouring grid cells, placed by linear interpolation. Drawn dense enough to read as a line.
    var boundaryX = new List<double>();
    var boundaryY = new List<double>();
    double step = (Max - Min) / Size;
    for (int row = 0; row < Size; row++)
    {
        for (int column = 0; column < Size; column++)
        {
            double p = probabilities[(row * Size) + column, 1];
            double x0 = Min + ((column + 0.5) * step), y0 = Max - ((row + 0.5) * step);
            if (column + 1 < Size && (p - 0.5) * (probabilities[(row * Size) + column + 1, 1] - 0.5) < 0)
            {
                double q = probabilities[(row * Size) + column + 1, 1];
                boundaryX.Add(x0 + (step * (0.5 - p) / (q - p)));
                boundaryY.Add(y0);
            }

            if (row + 1 < Size && (p - 0.5) * (probabilities[((row + 1) * Size) + column, 1] - 0.5) < 0)
            {
                double q = probabilities[((row + 1) * Size) + column, 1];
                boundaryX.Add(x0);
                boundaryY.Add(y0 - (step * (0.5 - p) / (q - p)));
            }
        }
    }

    var plot = new Plot();
    var heatmap = plot.Add.Heatmap(intensities);
    heatmap.Extent = new CoordinateRect(Min, Max, Min, Max);
    heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
    heatmap.Opacity = 0.5;
    Color[] colors = [Color.FromHex("#3B0F70"), Color.FromHex("#E8590C")];
    for (int c = 0; c < 2; c++)
    {
        int[] members = [.. Enumerable.Range(0, labels.Length).Where(i => labels[i] == c)];
        var dots = plot.Add.ScatterPoints(members.Select(i => x[i, 0]).ToArray(), members.Select(i => x[i, 1]).ToArray());
        dots.Color = colors[c];
        dots.MarkerSize = 6;
        dots.LegendText = $"class {c}";
    }

    var boundary = plot.Add.ScatterPoints(boundaryX.ToArray(), boundaryY.ToArray());
    boundary.Color = Colors.Black;
    boundary.MarkerSize = 2;
    boundary.LegendText = "decision boundary (p = 0.5)";

    plot.Axes.SetLimits(Min, Max, Min, Max);
    plot.Axes.Bottom.Label.Text = "x₁ (first feature)";
    plot.Axes.Left.Label.Text = "x₂ (second feature)";
    plot.Title(title);
    plot.ShowLegend(Alignment.UpperRight);
    DeepLearning.IO.AtomicFile.Write(path, (string temporary) => plot.SavePng(temporary, 700, 650));
}
