// Regression: fit a noisy non-linear function of one variable with the mean squared error. A linear model (no hidden
// layer) can only draw a straight line; a deep network follows the curve.
//
// Usage: dotnet run --project samples/Regression -c Release [-- --seed N --output DIR --quick]


(SampleArgs? options, int exitCode) = SampleArgs.Parse(args, "Regression",
    "a noisy curve y = sin(2x) + x/2 fitted by a linear model and by a deep network, with the mean squared error", usesMnist: false);
if (options is null)
{
    return exitCode;
}

const double Noise = 0.2;
int count = options.Quick ? 200 : 400;
int epochs = options.Quick ? 150 : 500;
var random = new Random(options.Seed);
(Tensor<double> trainX, Tensor<double> trainY) = Sample(count, random);
(Tensor<double> testX, Tensor<double> testY) = Sample(count / 2, random);

Console.WriteLine($"The data: y = sin(2x) + x/2 plus Gaussian noise of standard deviation {Noise}, x in [−3, 3].");
Console.WriteLine($"{trainX.Rows} points train each model, {testX.Rows} others test it (seed {options.Seed}).");
Console.WriteLine();

(string Name, Network<double> Network)[] models =
[
    ("linear (1-1)", new NetworkBuilder<double>(1, options.Seed).Dense(1, Activation.Identity).Build()),
    ("deep network (1-32-32-1)", new NetworkBuilder<double>(1, options.Seed).Dense(32, Activation.Tanh).Dense(32, Activation.Tanh).Dense(1, Activation.Identity).Build()),
];

var rows = new List<string[]>();
foreach ((string name, Network<double> network) in models)
{
    network.Fit(trainX, trainY, Loss.MeanSquaredError, new GradientDescent(0.01, momentum: 0.9),
        new TrainingOptions { Epochs = epochs, BatchSize = 16, Seed = options.Seed });
    rows.Add([name, Table.Number(network.Evaluate(trainX, trainY, Loss.MeanSquaredError).Loss), Table.Number(network.Evaluate(testX, testY, Loss.MeanSquaredError).Loss)]);
}

Console.Write(Table.Format(["model", "train MSE", "test MSE"], rows));
Console.WriteLine($"(the noise alone gives an MSE of {Noise * Noise:0.00}: no model can do better on new points)");
Console.WriteLine();
Console.WriteLine("The linear model can only tilt and shift a straight line. The deep network's tanh neurons each contribute a");
Console.WriteLine("smooth step, and added up they follow the waves, down to about the noise.");

string file = options.File("regression.png");
var plot = new Plot();
var data = plot.Add.ScatterPoints(Column(trainX), Column(trainY));
data.LegendText = "training data";
data.MarkerSize = 4;
data.Color = Colors.Gray;
double[] xs = [.. Enumerable.Range(0, 301).Select(i => -3 + (i * 0.02))];
var grid = new Tensor<double>(xs.Length, 1);
for (int i = 0; i < xs.Length; i++)
{
    grid[i, 0] = xs[i];
}

var truth = plot.Add.ScatterLine(xs, [.. xs.Select(True)]);
truth.LegendText = "true function";
truth.LineWidth = 3;
truth.LinePattern = LinePattern.Dashed;
truth.Color = Colors.Black;
foreach ((string name, Network<double> network) in models)
{
    var fit = plot.Add.ScatterLine(xs, Column(network.Predict(grid)));
    fit.LegendText = name;
    fit.LineWidth = 3;
}

plot.Title("Fitting y = sin(2x) + x/2 with the mean squared error");
plot.Axes.Bottom.Label.Text = "x";
plot.Axes.Left.Label.Text = "y";
plot.ShowLegend(Alignment.UpperLeft);
DeepLearning.IO.AtomicFile.Write(file, (string temporary) => plot.SavePng(temporary, 900, 550));
Console.WriteLine();
Console.WriteLine($"Picture (data, true function and both fits): {Path.GetFullPath(file)}");
return 0;

static double True(double x) => Math.Sin(2 * x) + (x / 2);

static (Tensor<double> X, Tensor<double> Y) Sample(int count, Random random)
{
    var x = new Tensor<double>(count, 1);
    var y = new Tensor<double>(count, 1);
    for (int i = 0; i < count; i++)
    {
        x[i, 0] = -3 + (6 * random.NextDouble());
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        y[i, 0] = True(x[i, 0]) + (Noise * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    return (x, y);
}

static double[] Column(Tensor<double> t) => [.. t.Matrix.Column(0)];
